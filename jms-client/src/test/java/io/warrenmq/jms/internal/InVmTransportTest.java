package io.warrenmq.jms.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.TransportConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-VM transport keeps the SPI's contract over the engine. */
@Timeout(20)
class InVmTransportTest {

  private static final int MEMORY_LIMIT = 1000;

  private Broker broker;
  private InVmTransport transport;

  @BeforeEach
  void start() {
    broker =
        new Broker(
            new BrokerConfig("in-vm-transport-" + System.nanoTime(), 2)
                .withMemoryLimitBytes(MEMORY_LIMIT));
    transport = InVmTransport.of(broker);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private static ConnectionInfo trusted() {
    return new ConnectionInfo("/", null, null, null);
  }

  @Test
  void aLoginIsCheckedAndRefusedWithTheBrokersReplyCodes() {
    try (TransportConnection guest =
        transport.connect(new ConnectionInfo("/", "guest", "guest", null))) {
      assertTrue(guest.isOpen());
    }
    AmqpException wrongPassword =
        assertThrows(
            AmqpException.class,
            () -> transport.connect(new ConnectionInfo("/", "guest", "nope", null)));
    assertEquals(ReplyCode.ACCESS_REFUSED, wrongPassword.replyCode());
    AmqpException noVhost =
        assertThrows(
            AmqpException.class,
            () -> transport.connect(new ConnectionInfo("/none", null, null, null)));
    assertEquals(ReplyCode.NOT_ALLOWED, noVhost.replyCode());
  }

  @Test
  void aClientIdIsHeldByOneOpenConnectionOfTheBrokerUntilItCloses() {
    TransportConnection first = transport.connect(trusted());
    try (TransportConnection second = transport.connect(trusted())) {
      assertTrue(first.claimClientId("app-1"));
      assertFalse(second.claimClientId("app-1"));
      assertThrows(IllegalStateException.class, () -> first.claimClientId("app-2"));
      first.close();
      assertTrue(second.claimClientId("app-1"));
    }
    try (Broker other = new Broker(BrokerConfig.named("other-" + System.nanoTime()));
        TransportConnection elsewhere = InVmTransport.of(other).connect(trusted())) {
      assertTrue(elsewhere.claimClientId("app-1"), "client IDs are per broker");
    }
  }

  @Test
  void closeListenersHearTheHardErrorOfABrokerShutdownOrNullForAClientClose() throws Exception {
    CompletableFuture<AmqpException> byBroker = new CompletableFuture<>();
    TransportConnection c = transport.connect(trusted());
    c.addCloseListener(byBroker::complete);
    CompletableFuture<AmqpException> byClient = new CompletableFuture<>();
    TransportConnection d = transport.connect(trusted());
    d.addCloseListener(byClient::complete);
    d.close();
    assertNull(byClient.get(5, TimeUnit.SECONDS));
    broker.close();
    assertEquals(ReplyCode.CONNECTION_FORCED, byBroker.get(5, TimeUnit.SECONDS).replyCode());
    assertFalse(c.isOpen());
    AmqpException closed = assertThrows(AmqpException.class, c::createChannel);
    assertEquals(ReplyCode.CHANNEL_ERROR, closed.replyCode());
  }

  @Test
  void blockedListenersHearTheBrokersMemoryAlarmUntilRemoved() {
    List<String> events = new CopyOnWriteArrayList<>();
    TransportConnection.BlockedListener listener =
        new TransportConnection.BlockedListener() {
          @Override
          public void blocked(String reason) {
            events.add("blocked: " + reason);
          }

          @Override
          public void unblocked() {
            events.add("unblocked");
          }
        };
    try (TransportConnection c = transport.connect(trusted())) {
      c.addBlockedListener(listener);
      AmqpChannel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.basicPublish("", "q", false, null, new byte[MEMORY_LIMIT + 1]);
      await(() -> events.equals(List.of("blocked: low on memory")));
      ch.queueDelete("q", false, false);
      await(() -> events.equals(List.of("blocked: low on memory", "unblocked")));
      assertTrue(c.removeBlockedListener(listener));
      assertFalse(c.removeBlockedListener(listener));
    }
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
