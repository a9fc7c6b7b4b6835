package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * {@code queue.delete}, {@code exchange.delete} and the unbinds of durable objects answer -ok only
 * once the store committed the removal (as declarations do), so that an -ok survives a restart; a
 * failed removal is a 541 INTERNAL_ERROR naming the object.
 */
@Timeout(30)
class DurableRemovalTest {

  private static void declareTopology(Channel ch) {
    ch.exchangeDeclare(ExchangeSpec.durable("orders", "direct"));
    ch.exchangeDeclare(ExchangeSpec.durable("audit", "fanout"));
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueBind("q", "orders", "k", null);
    ch.exchangeBind("audit", "orders", "k", null);
  }

  /** Runs {@code removal} on another thread and checks it waits for the store's commit. */
  private static void assertWaitsForTheStore(RecordingStore store, Executable removal)
      throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    store.removals = gate;
    CompletableFuture<Void> done =
        CompletableFuture.runAsync(
            () -> {
              try {
                removal.execute();
              } catch (Throwable t) {
                throw new IllegalStateException(t);
              }
            });
    assertThrows(
        TimeoutException.class,
        () -> done.get(300, TimeUnit.MILLISECONDS),
        "answered before the store committed the removal");
    gate.complete(null);
    done.get(10, TimeUnit.SECONDS);
    store.removals = null;
  }

  @Test
  void removalsOfDurableObjectsWaitForTheStoreCommit() throws Exception {
    RecordingStore store = new RecordingStore();
    try (Broker b = new Broker(BrokerConfig.named("removals"), store);
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      declareTopology(ch);
      assertWaitsForTheStore(store, () -> ch.queueUnbind("q", "orders", "k", null));
      assertWaitsForTheStore(store, () -> ch.exchangeUnbind("audit", "orders", "k", null));
      assertWaitsForTheStore(store, () -> ch.queueDelete("q", false, false));
      assertWaitsForTheStore(store, () -> ch.exchangeDelete("orders", false));
      assertTrue(
          store.removalCalls.containsAll(
              java.util.List.of(
                  "-binding orders->q", "-binding orders->audit", "-queue q", "-exchange orders")),
          store.removalCalls.toString());
    }
  }

  @Test
  void aRemovalTheStoreCannotWriteIsAnInternalErrorNamingTheObject() {
    RecordingStore store = new RecordingStore();
    try (Broker b = new Broker(BrokerConfig.named("removals"), store);
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      declareTopology(ch);
      CompletableFuture<Void> failed = new CompletableFuture<>();
      failed.completeExceptionally(new IllegalStateException("disk full"));
      store.removals = failed;
      AmqpException e =
          assertThrows(AmqpException.class, () -> c.createChannel().queueDelete("q", false, false));
      assertEquals(ReplyCode.INTERNAL_ERROR, e.replyCode());
      assertTrue(e.getMessage().contains("queue 'q'"), e.getMessage());
      assertTrue(e.getMessage().contains("disk full"), e.getMessage());
      // 541 is a hard error (AMQP 0-9-1): the connection closes; the queue is gone in memory and
      // the broker keeps running
      assertFalse(c.isOpen());
      assertFalse(b.virtualHost("/").queueExists("q"));
      store.removals = null;
      try (Connection again = b.newConnection("/", "t")) {
        again.createChannel().exchangeDelete("orders", false);
      }
      assertFalse(b.virtualHost("/").exchangeExists("orders"));
    }
  }

  @Test
  void removalsOfTransientObjectsDoNotTouchTheStore() throws ExecutionException {
    RecordingStore store = new RecordingStore();
    try (Broker b = new Broker(BrokerConfig.named("removals"), store);
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(new QueueSpec("t", false, false, false, null));
      store.removals = new CompletableFuture<>(); // would block forever if awaited
      assertEquals(0, ch.queueDelete("t", false, false));
      assertTrue(store.removalCalls.isEmpty(), store.removalCalls.toString());
    }
  }
}
