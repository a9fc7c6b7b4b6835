package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Objects of one virtual host are invisible from another (AMQP 0-9-1 spec 3.1.2). */
@Timeout(30)
class VirtualHostIsolationTest {
  private Broker broker;
  private Channel a;
  private Channel b;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    broker.virtualHost("tenant-a");
    broker.virtualHost("tenant-b");
    a = broker.newConnection("tenant-a", null).createChannel();
    b = broker.newConnection("tenant-b", null).createChannel();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void queuesOfTheSameNameInTwoVirtualHostsAreDistinct() {
    a.queueDeclare(QueueSpec.durable("orders"));
    b.queueDeclare(QueueSpec.durable("orders"));
    a.basicPublish("", "orders", false, null, bytes("for a"));
    assertEquals("for a", text(a.basicGet("orders", true).delivery()));
    assertNull(b.basicGet("orders", true), "tenant-b's queue saw nothing");
  }

  @Test
  void anExchangeOfOneVirtualHostIsNotFoundFromAnother() {
    a.exchangeDeclare(ExchangeSpec.durable("events", "fanout"));
    AmqpException e =
        assertAmqpError(ReplyCode.NOT_FOUND, () -> b.exchangeDeclarePassive("events"));
    assertEquals("no exchange 'events' in vhost 'tenant-b'", e.replyText());
  }
}
