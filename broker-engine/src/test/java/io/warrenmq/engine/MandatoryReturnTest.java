package io.warrenmq.engine;

import static io.warrenmq.engine.AlternateExchangeTest.poll;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.Return;
import io.warrenmq.client.ReturnListener;
import io.warrenmq.engine.TestSupport.Recorder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code mandatory} and {@code basic.return} (AMQP 0-9-1 spec 1.8.3.9, RabbitMQ semantics). */
@Timeout(30)
class MandatoryReturnTest {
  private Broker broker;
  private Channel ch;
  private final LinkedBlockingQueue<Return> returns = new LinkedBlockingQueue<>();
  private final List<String> returnThreads = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    ch = broker.newConnection("/", null).createChannel();
    ch.addReturnListener(
        r -> {
          returnThreads.add(Thread.currentThread().getName());
          returns.add(r);
        });
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  /**
   * A marker delivered to a consumer of this channel (published on another channel, since this one
   * may be transactional): every callback posted to this channel before it has run.
   */
  private void awaitChannelCallbacks() {
    ch.queueDeclare(QueueSpec.durable("marker"));
    Recorder r = new Recorder();
    String tag = ch.basicConsume("marker", true, "", false, null, r);
    try (Channel other = ch.connection().createChannel()) {
      other.basicPublish("", "marker", false, null, bytes("marker"));
    }
    r.next();
    ch.basicCancel(tag);
  }

  @Test
  void anUnroutableMandatoryMessageIsReturnedWith312NoRoute() {
    BasicProperties props = BasicProperties.builder().messageId("m-1").build();
    byte[] body = bytes("lost");

    ch.basicPublish("amq.direct", "nobody", true, props, body);

    Return r = poll(returns);
    assertEquals(ReplyCode.NO_ROUTE, r.replyCode());
    assertEquals(312, r.replyCode().code());
    assertEquals("NO_ROUTE", r.replyText());
    assertEquals("amq.direct", r.exchange());
    assertEquals("nobody", r.routingKey());
    assertSame(props, r.properties());
    assertArrayEquals(body, r.body());
    assertTrue(returnThreads.get(0).startsWith("warren-dispatch-" + broker.name()));
  }

  @Test
  void theDefaultExchangeReturnsAMessageForAMissingQueue() {
    ch.basicPublish("", "no-such-queue", true, null, bytes("m"));

    Return r = poll(returns);
    assertEquals("", r.exchange());
    assertEquals("no-such-queue", r.routingKey());
  }

  @Test
  void routedAndNonMandatoryMessagesAreNotReturned() {
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueBind("q", "amq.direct", "k", null);

    ch.basicPublish("amq.direct", "k", true, null, bytes("routed"));
    ch.basicPublish("amq.direct", "nobody", false, null, bytes("dropped"));
    awaitChannelCallbacks();

    assertTrue(returns.isEmpty());
    assertEquals(1, broker.virtualHost("/").queueMessageCount("q"));
  }

  @Test
  void aMessageTakenByTheAlternateExchangeIsNotReturned() {
    ch.queueDeclare(QueueSpec.durable("unrouted"));
    ch.exchangeDeclare(ExchangeSpec.durable("ae", "fanout"));
    ch.queueBind("unrouted", "ae", "", null);
    ch.exchangeDeclare(
        new ExchangeSpec("main", "direct", true, false, false, Map.of("alternate-exchange", "ae")));

    ch.basicPublish("main", "k", true, null, bytes("m"));
    awaitChannelCallbacks();

    assertTrue(returns.isEmpty());
  }

  @Test
  void aReturnComesInOrderWithTheChannelsDeliveries() {
    ch.queueDeclare(QueueSpec.durable("q"));
    List<String> events = new CopyOnWriteArrayList<>();
    ch.addReturnListener(r -> events.add("return " + new String(r.body(), StandardCharsets.UTF_8)));
    Recorder r = new Recorder();
    ch.basicConsume(
        "q",
        true,
        "",
        false,
        null,
        d -> {
          events.add("delivery " + text(d));
          r.handleDelivery(d);
        });

    ch.basicPublish("", "q", true, null, bytes("1"));
    ch.basicPublish("", "nowhere", true, null, bytes("2"));
    ch.basicPublish("", "q", true, null, bytes("3"));
    r.next();
    r.next();
    poll(returns);

    assertEquals(List.of("delivery 1", "return 2", "delivery 3"), events);
  }

  @Test
  void aTransactionalMandatoryMessageIsReturnedAtCommitAndNotAfterRollback() {
    ch.txSelect();
    ch.basicPublish("amq.direct", "nobody", true, null, bytes("rolled back"));
    ch.txRollback();
    ch.basicPublish("amq.direct", "nobody", true, null, bytes("committed"));
    awaitChannelCallbacks();
    assertTrue(returns.isEmpty(), "nothing is returned before the commit");

    ch.txCommit();

    assertEquals("committed", new String(poll(returns).body(), StandardCharsets.UTF_8));
    awaitChannelCallbacks();
    assertTrue(returns.isEmpty());
  }

  @Test
  void aRemovedListenerIsNotCalled() {
    LinkedBlockingQueue<Return> other = new LinkedBlockingQueue<>();
    ReturnListener listener = other::add;
    ch.addReturnListener(listener);
    assertTrue(ch.removeReturnListener(listener));

    ch.basicPublish("amq.direct", "nobody", true, null, bytes("m"));
    poll(returns);

    assertTrue(other.isEmpty());
  }
}
