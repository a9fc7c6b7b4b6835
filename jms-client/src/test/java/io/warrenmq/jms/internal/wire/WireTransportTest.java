package io.warrenmq.jms.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.Return;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.TransportConnection;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wire transport below the JMS layer, against an in-process WarrenServer whose broker has a 1
 * MiB memory limit: each {@link AmqpChannel} behaviour the engine's channel has in-VM (errors as
 * reply codes, returns, confirms, consumer cancel by the broker), channel numbers, client ids, and
 * {@code connection.blocked}.
 */
@Timeout(60)
class WireTransportTest {
  private static Broker broker;
  private static WarrenServer server;

  @BeforeAll
  static void start() {
    broker = new Broker(new BrokerConfig("wire-transport", 2).withMemoryLimitBytes(1 << 20));
    server = WarrenServer.start(broker, ServerConfig.defaults().withHeartbeat(1));
  }

  @AfterAll
  static void stop() {
    server.close();
    broker.close();
  }

  private static TransportConnection connect() {
    return WireTransport.of(AmqpUrl.parse("amqp://127.0.0.1:" + server.port()))
        .connect(new ConnectionInfo("/", "guest", "guest", null));
  }

  @Test
  void aChannelErrorFromTheBrokerFailsTheCallWithItsReplyCodeAndClosesOnlyThatChannel() {
    try (TransportConnection c = connect()) {
      AmqpChannel ch = c.createChannel();
      AmqpException e =
          assertThrows(AmqpException.class, () -> ch.queueDeclarePassive("wire-absent"));
      assertEquals(ReplyCode.NOT_FOUND, e.replyCode());
      assertTrue(e.replyText().contains("wire-absent"), e.replyText());
      assertFalse(ch.isOpen());
      AmqpException after = assertThrows(AmqpException.class, () -> ch.queuePurge("x"));
      assertEquals(ReplyCode.CHANNEL_ERROR, after.replyCode());
      assertTrue(after.replyText().contains("wire-absent"), after.replyText());
      assertTrue(c.isOpen());
      assertNotNull(c.createChannel().queueDeclare(new QueueSpec("", false, true, true, null)));
    }
  }

  @Test
  void channelNumbersStartAtOneAndAreReusedAfterAClose() {
    try (TransportConnection c = connect()) {
      AmqpChannel one = c.createChannel();
      AmqpChannel two = c.createChannel();
      assertEquals(1, one.channelNumber());
      assertEquals(2, two.channelNumber());
      one.close();
      assertEquals(1, c.createChannel().channelNumber());
      assertEquals(3, c.createChannel().channelNumber());
    }
  }

  @Test
  void anUnroutableMandatoryMessageIsReturnedAndConfirmsArrive() throws Exception {
    try (TransportConnection c = connect()) {
      AmqpChannel ch = c.createChannel();
      BlockingQueue<Return> returns = new LinkedBlockingQueue<>();
      ch.addReturnListener(returns::add);
      List<Long> acked = new CopyOnWriteArrayList<>();
      ch.addConfirmListener(
          new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {
              acked.add(deliveryTag);
            }

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {}
          });
      ch.confirmSelect();
      assertEquals(1, ch.getNextPublishSeqNo());
      ch.basicPublish("", "wire-nowhere", true, BasicProperties.EMPTY, "lost".getBytes());
      String q = ch.queueDeclare(new QueueSpec("", false, true, true, null)).queue();
      for (int i = 0; i < 10; i++) {
        ch.basicPublish("", q, false, null, new byte[] {(byte) i});
      }
      assertEquals(12, ch.getNextPublishSeqNo());
      assertTrue(ch.waitForConfirms(10_000));
      Return r = returns.poll(10, TimeUnit.SECONDS);
      assertNotNull(r);
      assertEquals(ReplyCode.NO_ROUTE, r.replyCode());
      assertEquals("wire-nowhere", r.routingKey());
      assertEquals("lost", new String(r.body()));
      GetResponse got = ch.basicGet(q, false);
      assertEquals(0, got.delivery().body()[0]);
      assertEquals(9, got.messageCount());
      ch.basicAck(got.delivery().deliveryTag(), false);
      assertEquals(9, ch.queuePurge(q));
      assertNull(ch.basicGet(q, true));
    }
  }

  @Test
  void deliveriesComeInOrderAndADeletedQueueCancelsItsConsumer() throws Exception {
    try (TransportConnection c = connect()) {
      AmqpChannel ch = c.createChannel();
      String q = ch.queueDeclare(new QueueSpec("", false, false, false, null)).queue();
      BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
      CountDownLatch cancelled = new CountDownLatch(1);
      String tag =
          ch.basicConsume(
              q,
              true,
              "",
              false,
              null,
              new Consumer() {
                @Override
                public void handleDelivery(Delivery d) {
                  deliveries.add(d);
                }

                @Override
                public void handleCancel(String consumerTag) {
                  cancelled.countDown();
                }
              });
      assertTrue(tag.startsWith("amq.ctag-"), tag);
      for (int i = 0; i < 50; i++) {
        ch.basicPublish("", q, false, null, new byte[] {(byte) i});
      }
      for (int i = 0; i < 50; i++) {
        Delivery d = deliveries.poll(10, TimeUnit.SECONDS);
        assertNotNull(d);
        assertEquals(i, d.body()[0]);
        assertEquals(tag, d.consumerTag());
      }
      c.createChannel().queueDelete(q, false, false);
      assertTrue(cancelled.await(10, TimeUnit.SECONDS), "basic.cancel from the broker");
    }
  }

  @Test
  void aClientIdIsClaimedByOneConnectionAndReleasedByItsClose() {
    TransportConnection first = connect();
    try (TransportConnection second = connect()) {
      assertTrue(first.claimClientId("wire-one"));
      assertFalse(second.claimClientId("wire-one"));
      first.close();
      assertTrue(second.claimClientId("wire-one"));
    }
  }

  @Test
  void theServersCapabilitiesAreRead() {
    try (TransportConnection c = connect()) {
      assertTrue(c.hasCapability("warrenmq.dtx"));
      assertTrue(c.hasCapability("warrenmq.selectors"));
      assertFalse(c.hasCapability("warrenmq.teleport"));
    }
  }

  @Test
  void heartbeatsKeepAnIdleConnectionOpen() throws Exception {
    try (TransportConnection c = connect()) {
      CountDownLatch closed = new CountDownLatch(1);
      c.addCloseListener(cause -> closed.countDown());
      // a heartbeat of 1 s: three intervals of silence from the application
      assertFalse(closed.await(3, TimeUnit.SECONDS), "closed by missed heartbeats");
      assertTrue(c.isOpen());
    }
  }

  @Test
  void publishingWaitsWhileTheBrokerBlocksTheConnectionAndListenersAreTold() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch unblocked = new CountDownLatch(1);
    try (TransportConnection publisher = connect();
        TransportConnection drainer = connect()) {
      publisher.addBlockedListener(
          new TransportConnection.BlockedListener() {
            @Override
            public void blocked(String reason) {
              events.add("blocked: " + reason);
              blocked.countDown();
            }

            @Override
            public void unblocked() {
              events.add("unblocked");
              unblocked.countDown();
            }
          });
      AmqpChannel ch = publisher.createChannel();
      String q = ch.queueDeclare(new QueueSpec("wire-blocked", false, false, false, null)).queue();
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> publishing =
          CompletableFuture.runAsync(
              () -> {
                while (!stop.get()) {
                  ch.basicPublish("", q, false, null, new byte[16 * 1024]);
                }
              });
      assertTrue(blocked.await(30, TimeUnit.SECONDS), "connection.blocked");
      AmqpChannel d = drainer.createChannel();
      stop.set(true);
      // What the publisher wrote before the broker stopped reading (the socket buffers hold
      // megabytes on loopback) is read after the alarm clears and may raise it again, holding the
      // publisher's last publish: drain until that one has gone through.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!publishing.isDone()) {
        d.queuePurge(q);
        try {
          publishing.get(100, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stillPublishing) {
          assertTrue(System.nanoTime() < deadline, "the publisher never finished: " + events);
        }
      }
      assertTrue(unblocked.await(30, TimeUnit.SECONDS), "connection.unblocked: " + events);
      d.queueDelete(q, false, false);
      assertTrue(events.get(0).startsWith("blocked: "), events.toString());
      assertEquals("unblocked", events.get(1));
    }
  }

  @Test
  void theBrokersShutdownClosesTheConnectionWithItsReplyCode() throws Exception {
    Broker b = new Broker(BrokerConfig.named("wire-shutdown"));
    WarrenServer s = WarrenServer.start(b, ServerConfig.defaults());
    TransportConnection c =
        WireTransport.of(AmqpUrl.parse("amqp://127.0.0.1:" + s.port()))
            .connect(new ConnectionInfo("/", "guest", "guest", null));
    AmqpChannel ch = c.createChannel();
    CompletableFuture<AmqpException> cause = new CompletableFuture<>();
    c.addCloseListener(cause::complete);
    s.close();
    b.close();
    AmqpException e = cause.get(10, TimeUnit.SECONDS);
    assertNotNull(e, "a broker close is not a client close");
    assertTrue(e.isHardError(), e.toString());
    assertFalse(c.isOpen());
    AmqpException later = assertThrows(AmqpException.class, () -> ch.queuePurge("x"));
    assertEquals(ReplyCode.CHANNEL_ERROR, later.replyCode());
    c.close();
  }
}
