package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ReplyCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.function.Executable;

/** Shared helpers: a recording consumer, deadline polling, error assertions. */
final class TestSupport {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final AtomicInteger BROKERS = new AtomicInteger();

  private TestSupport() {}

  static Broker newBroker() {
    return new Broker(new BrokerConfig("test-" + BROKERS.incrementAndGet(), 2));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(Delivery d) {
    return new String(d.body(), StandardCharsets.UTF_8);
  }

  static BasicProperties withPriority(int priority) {
    return BasicProperties.builder().priority(priority).build();
  }

  /** Polls a condition until it holds or the deadline passes (no fixed sleep). */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  static AmqpException assertAmqpError(ReplyCode code, Executable call) {
    AmqpException e = assertThrows(AmqpException.class, call);
    assertEquals(code, e.replyCode(), () -> "reply: " + e.getMessage());
    return e;
  }

  /** A consumer that records deliveries, cancels and the threads it was called on. */
  static final class Recorder implements Consumer {
    final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    final List<String> cancels = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void handleDelivery(Delivery delivery) {
      threads.add(Thread.currentThread().getName());
      deliveries.add(delivery);
    }

    final BlockingQueue<String> cancelOks = new LinkedBlockingQueue<>();

    @Override
    public void handleCancel(String consumerTag) {
      cancels.add(consumerTag);
    }

    @Override
    public void handleCancelOk(String consumerTag) {
      cancelOks.add(consumerTag);
    }

    /** The next delivery, failing after {@link #TIMEOUT}. */
    Delivery next() {
      try {
        Delivery d = deliveries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (d == null) {
          fail("no delivery within " + TIMEOUT);
        }
        return d;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Whether nothing has been delivered that was not taken with {@link #next()}. */
    boolean isEmpty() {
      return deliveries.isEmpty();
    }
  }
}
