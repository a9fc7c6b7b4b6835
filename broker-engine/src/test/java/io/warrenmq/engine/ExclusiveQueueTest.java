package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(30)
class ExclusiveQueueTest {
  private Broker broker;
  private Connection owner;
  private Channel ch;
  private Connection otherConnection;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    owner = broker.newConnection("/", "owner");
    ch = owner.createChannel();
    otherConnection = broker.newConnection("/", "other");
    vhost = broker.virtualHost("/");
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void assertLocked(java.util.function.Function<Channel, Object> call) {
    Channel other = otherConnection.createChannel();
    Executable e = () -> call.apply(other);
    AmqpException ex = assertAmqpError(ReplyCode.RESOURCE_LOCKED, e);
    assertTrue(ex.replyText().startsWith("cannot obtain exclusive access to locked queue 'ex'"));
    assertFalse(other.isOpen());
  }

  @Test
  void otherConnectionsGet405OnEveryQueueOperation() {
    ch.queueDeclare(new QueueSpec("ex", false, true, false, Map.of()));
    assertLocked(o -> o.queueDeclare(new QueueSpec("ex", false, true, false, Map.of())));
    assertLocked(o -> o.queueDeclarePassive("ex"));
    assertLocked(o -> o.basicConsume("ex", false, "", false, null, new Recorder()));
    assertLocked(
        o -> {
          o.queueBind("ex", "amq.direct", "k", null);
          return null;
        });
    assertLocked(o -> o.basicGet("ex", false));
    assertLocked(o -> o.queueDelete("ex", false, false));
    assertLocked(o -> o.queuePurge("ex"));
    // the owner's other channels may use it
    Channel second = owner.createChannel();
    second.basicPublish("", "ex", false, null, bytes("m"));
    assertEquals(1, second.queueDeclarePassive("ex").messageCount());
  }

  @Test
  void othersMayPublishToAnExclusiveQueue() {
    ch.queueDeclare(new QueueSpec("ex", false, true, false, Map.of()));
    otherConnection.createChannel().basicPublish("", "ex", false, null, bytes("m"));
    assertEquals(1, vhost.queueMessageCount("ex"));
  }

  @Test
  void anExclusiveQueueIsDeletedWhenItsConnectionCloses() {
    ch.queueDeclare(new QueueSpec("ex", false, true, false, Map.of()));
    ch.queueBind("ex", "amq.fanout", "", null);
    owner.close();
    assertFalse(vhost.queueExists("ex"));
    // its bindings went with it
    otherConnection.createChannel().basicPublish("amq.fanout", "", false, null, bytes("m"));
    Channel other = otherConnection.createChannel();
    other.queueDeclare(new QueueSpec("ex", false, true, false, Map.of()));
    assertEquals(0, vhost.queueMessageCount("ex"));
  }

  @Test
  void serverNamedQueuesGetAnAmqGenName() {
    QueueDeclareOk ok = ch.queueDeclare(QueueSpec.exclusiveAutoDelete(""));
    assertTrue(ok.queue().startsWith("amq.gen-"), ok.queue());
    assertTrue(vhost.queueExists(ok.queue()));
    QueueDeclareOk second = ch.queueDeclare(QueueSpec.exclusiveAutoDelete(""));
    assertFalse(ok.queue().equals(second.queue()));
    // redeclaring a generated name is allowed (it exists)
    ch.queueDeclare(new QueueSpec(ok.queue(), false, true, true, Map.of()));
  }

  @Test
  void autoDeleteQueueIsDeletedWhenItsLastConsumerIsCancelled() {
    ch.queueDeclare(new QueueSpec("ad", false, false, true, Map.of()));
    String t1 = ch.basicConsume("ad", false, "", false, null, new Recorder());
    String t2 = ch.basicConsume("ad", false, "", false, null, new Recorder());
    ch.basicCancel(t1);
    assertTrue(vhost.queueExists("ad"));
    ch.basicCancel(t2);
    assertFalse(vhost.queueExists("ad"));
  }

  @Test
  void autoDeleteQueueWithoutConsumersEverStays() {
    ch.queueDeclare(new QueueSpec("ad", false, false, true, Map.of()));
    ch.close();
    assertTrue(vhost.queueExists("ad"));
  }

  @Test
  void autoDeleteQueueIsDeletedWhenTheConsumersChannelCloses() {
    ch.queueDeclare(new QueueSpec("ad", false, false, true, Map.of()));
    Channel c = owner.createChannel();
    c.basicConsume("ad", false, "", false, null, new Recorder());
    c.close();
    assertFalse(vhost.queueExists("ad"));
  }

  @Test
  void exclusiveConsumerKeepsOthersOut() {
    ch.queueDeclare(QueueSpec.durable("shared"));
    ch.basicConsume("shared", false, "only", true, null, new Recorder());
    Channel other = owner.createChannel();
    AmqpException e =
        assertAmqpError(
            ReplyCode.ACCESS_REFUSED,
            () -> other.basicConsume("shared", false, "", false, null, new Recorder()));
    assertEquals("queue 'shared' in vhost '/' in exclusive use", e.replyText());
  }

  @Test
  void exclusiveConsumeIsRefusedWhileOtherConsumersExist() {
    ch.queueDeclare(QueueSpec.durable("shared"));
    ch.basicConsume("shared", false, "first", false, null, new Recorder());
    Channel other = owner.createChannel();
    assertAmqpError(
        ReplyCode.ACCESS_REFUSED,
        () -> other.basicConsume("shared", false, "", true, null, new Recorder()));
    assertEquals(1, vhost.queueConsumerCount("shared"));
  }
}
