package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.TestSupport.Recorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TransactionsTest {
  private Broker broker;
  private Channel ch;
  private Channel observer;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    Connection c = broker.newConnection("/", null);
    ch = c.createChannel();
    observer = c.createChannel();
    vhost = broker.virtualHost("/");
    ch.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void publishesAreInvisibleUntilCommit() {
    ch.txSelect();
    ch.basicPublish("", "q", false, null, bytes("a"));
    ch.basicPublish("", "q", false, null, bytes("b"));
    assertEquals(0, vhost.queueMessageCount("q"));
    ch.txCommit();
    assertEquals(2, vhost.queueMessageCount("q"));
    assertEquals("a", text(observer.basicGet("q", true).delivery()));
  }

  @Test
  void rollbackDiscardsPublishes() {
    ch.txSelect();
    ch.basicPublish("", "q", false, null, bytes("a"));
    ch.txRollback();
    ch.txCommit();
    assertEquals(0, vhost.queueMessageCount("q"));
    // the channel stays transactional
    ch.basicPublish("", "q", false, null, bytes("b"));
    assertEquals(0, vhost.queueMessageCount("q"));
    ch.txCommit();
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void acksTakeEffectOnCommit() {
    observer.basicPublish("", "q", false, null, bytes("a"));
    observer.basicPublish("", "q", false, null, bytes("b"));
    ch.txSelect();
    ch.basicGet("q", false);
    ch.basicGet("q", false);
    ch.basicAck(2, true);
    ch.txCommit();
    ch.close();
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void rollbackKeepsAckedMessagesUnacked() {
    observer.basicPublish("", "q", false, null, bytes("a"));
    ch.txSelect();
    ch.basicGet("q", false);
    ch.basicAck(1, false);
    ch.txRollback();
    assertEquals(0, vhost.queueMessageCount("q"));
    // still unacked: it can be acked again, and closing would return it
    ch.basicAck(1, false);
    ch.txRollback();
    ch.close();
    GetResponse back = observer.basicGet("q", true);
    assertEquals("a", text(back.delivery()));
    assertTrue(back.delivery().redelivered());
  }

  @Test
  void ackingTheSameTagTwiceInOneTransactionFails() {
    observer.basicPublish("", "q", false, null, bytes("a"));
    ch.txSelect();
    ch.basicGet("q", false);
    ch.basicAck(1, false);
    assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> ch.basicAck(1, false));
  }

  @Test
  void transactedRejectWithRequeueRequeuesOnCommit() {
    observer.basicPublish("", "q", false, null, bytes("a"));
    ch.txSelect();
    ch.basicGet("q", false);
    ch.basicReject(1, true);
    assertEquals(0, vhost.queueMessageCount("q"));
    ch.txCommit();
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void transactedConsumerAckFreesPrefetchOnCommit() {
    for (int i = 0; i < 3; i++) {
      observer.basicPublish("", "q", false, null, bytes("m" + i));
    }
    ch.txSelect();
    ch.basicQos(1, false);
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    Delivery d = r.next();
    ch.basicAck(d.deliveryTag(), false);
    assertEquals(2, vhost.queueMessageCount("q"));
    ch.txCommit();
    assertEquals(1, vhost.queueMessageCount("q"));
    assertEquals("m1", text(r.next()));
  }

  @Test
  void commitWithoutSelectFailsWith406AndClosesTheChannel() {
    AmqpException e = assertAmqpError(ReplyCode.PRECONDITION_FAILED, ch::txCommit);
    assertEquals("channel is not transactional", e.replyText());
    assertFalse(ch.isOpen());
  }

  @Test
  void rollbackWithoutSelectFailsWith406() {
    assertAmqpError(ReplyCode.PRECONDITION_FAILED, ch::txRollback);
  }

  @Test
  void publishingToAMissingExchangeFailsAtPublishTime() {
    ch.txSelect();
    assertAmqpError(
        ReplyCode.NOT_FOUND, () -> ch.basicPublish("missing", "k", false, null, bytes("x")));
  }
}
