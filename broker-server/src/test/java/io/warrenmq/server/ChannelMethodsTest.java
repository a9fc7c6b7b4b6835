package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The methods of classes exchange, queue, basic, tx and confirm through RabbitMQ's Java client,
 * unchanged, against the engine behind the listener; errors close the channel with the reply code
 * RabbitMQ sends (AMQP 0-9-1 classes exchange, queue, basic, tx; RabbitMQ's confirm and nack).
 */
@Timeout(60)
class ChannelMethodsTest {
  private Broker broker;
  private WarrenServer server;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    broker = new Broker(BrokerConfig.named("wire-methods"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setAutomaticRecoveryEnabled(false);
    connection = f.newConnection();
  }

  @AfterEach
  void stop() {
    if (connection.isOpen()) {
      connection.abort();
    }
    server.close();
    broker.close();
  }

  @Test
  void publishedMessageReachesAConsumerThroughATopicExchangeWithItsProperties() throws Exception {
    Channel ch = connection.createChannel();
    ch.exchangeDeclare("logs", "topic", true);
    String queue = ch.queueDeclare().getQueue();
    assertTrue(queue.startsWith("amq.gen-"), queue);
    ch.queueBind(queue, "logs", "*.error");
    BlockingQueue<Object[]> received = new LinkedBlockingQueue<>();
    String tag =
        ch.basicConsume(
            queue,
            false,
            new DefaultConsumer(ch) {
              @Override
              public void handleDelivery(
                  String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                received.add(new Object[] {envelope, props, body});
              }
            });
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType("text/plain")
            .headers(Map.of("k", "v"))
            .deliveryMode(2)
            .messageId("m-1")
            .build();
    ch.basicPublish("logs", "app.error", props, "boom".getBytes(StandardCharsets.UTF_8));
    ch.basicPublish("logs", "app.info", props, "quiet".getBytes(StandardCharsets.UTF_8));
    Object[] d = received.poll(10, TimeUnit.SECONDS);
    Envelope envelope = (Envelope) d[0];
    AMQP.BasicProperties got = (AMQP.BasicProperties) d[1];
    assertEquals("logs", envelope.getExchange());
    assertEquals("app.error", envelope.getRoutingKey());
    assertFalse(envelope.isRedeliver());
    assertEquals("text/plain", got.getContentType());
    assertEquals("m-1", got.getMessageId());
    assertEquals("v", got.getHeaders().get("k").toString());
    assertArrayEquals("boom".getBytes(StandardCharsets.UTF_8), (byte[]) d[2]);
    ch.basicAck(envelope.getDeliveryTag(), false);
    ch.basicCancel(tag);
    assertNull(received.poll(200, TimeUnit.MILLISECONDS), "app.info was not routed");
  }

  /**
   * basic.qos prefetch-size (1.8.3.1), which RabbitMQ answers with 540 and WarrenMQ honours
   * (capability warrenmq.prefetch_size): over the wire a consumer holds what fits into the window,
   * and one message however large when it holds none.
   */
  @Test
  void aPrefetchSizeBoundsTheUnackedBodyBytesOfAConsumer() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("sized", false, false, false, null);
    for (int i = 0; i < 10; i++) {
      ch.basicPublish("", "sized", null, new byte[i == 9 ? 5_000 : 300]);
    }
    ch.basicQos(1_000, 0, false);
    BlockingQueue<Envelope> held = new LinkedBlockingQueue<>();
    ch.basicConsume(
        "sized",
        false,
        new DefaultConsumer(ch) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties p, byte[] body) {
            held.add(envelope);
          }
        });
    for (int i = 0; i < 3; i++) {
      assertTrue(held.poll(5, TimeUnit.SECONDS) != null, "delivery " + i);
    }
    assertNull(held.poll(300, TimeUnit.MILLISECONDS), "a fourth 300-byte body exceeds 1,000");
    Channel probe = connection.createChannel();
    assertEquals(7, probe.queueDeclarePassive("sized").getMessageCount());
    ch.basicAck(3, true);
    for (int i = 0; i < 3; i++) {
      assertTrue(held.poll(5, TimeUnit.SECONDS) != null, "after the ack, delivery " + i);
    }
    ch.basicAck(6, true);
    for (int i = 0; i < 3; i++) {
      assertTrue(held.poll(5, TimeUnit.SECONDS) != null, "third round, delivery " + i);
    }
    assertNull(held.poll(300, TimeUnit.MILLISECONDS), "5,000 bytes wait while any is unacked");
    ch.basicAck(9, true);
    assertEquals(10, held.poll(5, TimeUnit.SECONDS).getDeliveryTag(), "alone, it is sent");
  }

  @Test
  void nackWithRequeueRedeliversWithTheRedeliveredFlag() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("work", false, false, false, null);
    ch.basicPublish("", "work", null, "job".getBytes(StandardCharsets.UTF_8));
    GetResponse first = ch.basicGet("work", false);
    assertFalse(first.getEnvelope().isRedeliver());
    assertEquals(0, first.getMessageCount());
    ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
    GetResponse again = ch.basicGet("work", false);
    assertTrue(again.getEnvelope().isRedeliver());
    ch.basicAck(again.getEnvelope().getDeliveryTag(), false);
    assertNull(ch.basicGet("work", true));
  }

  @Test
  void consumeOkPrecedesTheFirstDeliveryFromAQueueWithReadyMessages() throws Exception {
    // spec 1.8.3.3: deliveries carry the tag that consume-ok announced; a client (amqplib,
    // RabbitMQ's Java client) knows its consumer only from consume-ok on
    Channel setup = connection.createChannel();
    setup.queueDeclare("backlog", false, false, false, null);
    for (int i = 0; i < 200; i++) {
      setup.basicPublish("", "backlog", null, new byte[16]);
    }
    for (int round = 0; round < 20; round++) {
      Channel ch = connection.createChannel();
      CountDownLatch all = new CountDownLatch(200);
      List<String> unsolicited = new CopyOnWriteArrayList<>();
      ch.setDefaultConsumer(
          new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(
                String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
              unsolicited.add(consumerTag);
              all.countDown();
            }
          });
      ch.basicConsume(
          "backlog",
          false,
          new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(
                String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
              all.countDown();
            }
          });
      assertTrue(all.await(10, TimeUnit.SECONDS), "round " + round + ": 200 deliveries");
      assertEquals(
          0, unsolicited.size(), "round " + round + ": deliveries before basic.consume-ok");
      ch.close(); // the 200 unacked messages return to the queue for the next round
    }
  }

  @Test
  void publisherConfirmsAckEveryPublish() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("confirmed", true, false, false, null);
    ch.confirmSelect();
    for (int i = 0; i < 100; i++) {
      ch.basicPublish(
          "",
          "confirmed",
          new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
          new byte[1024]);
    }
    assertTrue(ch.waitForConfirms(10_000));
    assertEquals(100, ch.queueDeclarePassive("confirmed").getMessageCount());
  }

  @Test
  void transactionPublishesOnlyOnCommit() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("tx", false, false, false, null);
    ch.txSelect();
    ch.basicPublish("", "tx", null, "a".getBytes(StandardCharsets.UTF_8));
    assertEquals(0, ch.queueDeclarePassive("tx").getMessageCount());
    ch.txRollback();
    ch.basicPublish("", "tx", null, "b".getBytes(StandardCharsets.UTF_8));
    ch.txCommit();
    assertEquals(1, ch.queueDeclarePassive("tx").getMessageCount());
    assertEquals("b", new String(ch.basicGet("tx", true).getBody(), StandardCharsets.UTF_8));
  }

  @Test
  void unroutableMandatoryMessageIsReturnedWithNoRoute() throws Exception {
    Channel ch = connection.createChannel();
    List<Integer> codes = new CopyOnWriteArrayList<>();
    CountDownLatch returned = new CountDownLatch(1);
    ch.addReturnListener(
        r -> {
          codes.add(r.getReplyCode());
          returned.countDown();
        });
    ch.basicPublish("amq.direct", "nowhere", true, null, "x".getBytes(StandardCharsets.UTF_8));
    assertTrue(returned.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(312), codes);
  }

  @Test
  void passiveDeclareOfAMissingQueueClosesTheChannelWithNotFound() throws Exception {
    Channel ch = connection.createChannel();
    IOException e = assertThrows(IOException.class, () -> ch.queueDeclarePassive("missing"));
    AMQP.Channel.Close close = closeOf(e);
    assertEquals(404, close.getReplyCode());
    assertTrue(close.getReplyText().startsWith("NOT_FOUND - "), close.getReplyText());
    assertEquals(50, close.getClassId());
    assertEquals(10, close.getMethodId());
    assertFalse(ch.isOpen());
    assertTrue(connection.isOpen(), "a channel error leaves the connection open");
    assertTrue(connection.createChannel().isOpen());
  }

  @Test
  void redeclaringAQueueWithOtherArgumentsIsPreconditionFailed() throws Exception {
    Channel ch = connection.createChannel();
    ch.queueDeclare("args", true, false, false, Map.of("x-message-ttl", 1000));
    Channel other = connection.createChannel();
    IOException e =
        assertThrows(
            IOException.class,
            () -> other.queueDeclare("args", true, false, false, Map.of("x-message-ttl", 2000)));
    assertEquals(406, closeOf(e).getReplyCode());
  }

  @Test
  void publishToAMissingExchangeClosesTheChannelAsynchronously() throws Exception {
    Channel ch = connection.createChannel();
    CountDownLatch closed = new CountDownLatch(1);
    ShutdownSignalException[] signal = new ShutdownSignalException[1];
    ch.addShutdownListener(
        s -> {
          signal[0] = s;
          closed.countDown();
        });
    ch.basicPublish("no-such-exchange", "k", null, new byte[1]);
    assertTrue(closed.await(10, TimeUnit.SECONDS));
    AMQP.Channel.Close close = (AMQP.Channel.Close) signal[0].getReason();
    assertEquals(404, close.getReplyCode());
    assertEquals(60, close.getClassId());
    assertEquals(40, close.getMethodId());
  }

  @Test
  void exchangeToExchangeBindingRoutesThrough() throws Exception {
    Channel ch = connection.createChannel();
    ch.exchangeDeclare("upstream", "fanout");
    ch.exchangeDeclare("downstream", "direct");
    ch.exchangeBind("downstream", "upstream", "");
    ch.queueDeclare("bound", false, false, false, null);
    ch.queueBind("bound", "downstream", "k");
    ch.basicPublish("upstream", "k", null, "via".getBytes(StandardCharsets.UTF_8));
    GetResponse r = null;
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        r == null && System.nanoTime() < deadline; ) {
      r = ch.basicGet("bound", true);
    }
    assertEquals("via", new String(r.getBody(), StandardCharsets.UTF_8));
    ch.exchangeUnbind("downstream", "upstream", "");
    ch.queueUnbind("bound", "downstream", "k");
    assertEquals(0, ch.queuePurge("bound").getMessageCount());
    assertEquals(0, ch.queueDelete("bound").getMessageCount());
    ch.exchangeDelete("downstream");
  }

  @Test
  void consumeOkPrecedesTheFirstDeliveryFromAQueueWithABacklog() throws Exception {
    // RabbitMQ's Java client closes the connection on a delivery before consume-ok
    Channel ch = connection.createChannel();
    ch.queueDeclare("backlog", false, false, false, null);
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < 100; i++) {
        ch.basicPublish("", "backlog", null, new byte[16]);
      }
      CountDownLatch all = new CountDownLatch(100);
      String tag = ch.basicConsume("backlog", true, (t, d) -> all.countDown(), t -> {});
      assertTrue(all.await(10, TimeUnit.SECONDS), "round " + round);
      ch.basicCancel(tag);
    }
    assertTrue(connection.isOpen());
  }

  private static AMQP.Channel.Close closeOf(IOException e) {
    ShutdownSignalException s = assertInstanceOf(ShutdownSignalException.class, e.getCause());
    return (AMQP.Channel.Close) s.getReason();
  }
}
