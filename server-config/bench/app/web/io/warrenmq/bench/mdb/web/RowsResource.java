package io.warrenmq.bench.mdb.web;

import io.warrenmq.bench.mdb.BenchProducer;
import io.warrenmq.bench.mdb.Received;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /mdb-bench/api/rows?messages=&perTx=&persistent=&producers=&timeoutSeconds=}: one
 * row of the benchmark. {@code producers} container-managed threads call {@link
 * BenchProducer#send} ({@code messages / perTx} transactions in all, each thread taking the next
 * one) while the MDB consumes; the row ends when the MDB has received {@code messages} messages.
 * Answers one line {@code messages=.. received=.. sendMillis=.. totalMillis=.. msgPerSec=..}, where
 * msgPerSec = messages / totalMillis (first send to last message received). Not thread-safe: one
 * row at a time.
 */
@Path("rows")
@RequestScoped
public class RowsResource {
  private static final int BODY_BYTES = 1024;

  @EJB private BenchProducer producer;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  private ManagedThreadFactory threads;

  /** Runs one row; see the class comment. */
  @POST
  @Produces(MediaType.TEXT_PLAIN)
  public String run(
      @QueryParam("messages") @DefaultValue("20000") int messages,
      @QueryParam("perTx") @DefaultValue("1") int perTx,
      @QueryParam("persistent") @DefaultValue("true") boolean persistent,
      @QueryParam("producers") @DefaultValue("4") int producers,
      @QueryParam("timeoutSeconds") @DefaultValue("900") int timeoutSeconds)
      throws InterruptedException {
    if (messages < 1 || perTx < 1 || messages % perTx != 0 || producers < 1) {
      throw new IllegalArgumentException(
          "messages >= 1, perTx >= 1 dividing messages, producers >= 1");
    }
    byte[] body = new byte[BODY_BYTES];
    Arrays.fill(body, (byte) 'x');
    AtomicInteger transactionsLeft = new AtomicInteger(messages / perTx);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Received.reset();
    long start = System.nanoTime();
    Thread[] senders = new Thread[producers];
    for (int i = 0; i < producers; i++) {
      senders[i] =
          threads.newThread(
              () -> {
                try {
                  while (transactionsLeft.getAndDecrement() > 0 && failure.get() == null) {
                    producer.send(perTx, persistent, body);
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              });
      senders[i].start();
    }
    for (Thread t : senders) {
      t.join();
    }
    long sent = System.nanoTime();
    if (failure.get() != null) {
      throw new IllegalStateException("a producer transaction failed", failure.get());
    }
    long deadline = start + timeoutSeconds * 1_000_000_000L;
    while (Received.messages() < messages && System.nanoTime() < deadline) {
      Thread.sleep(5); // a benchmark's poll, not a test
    }
    long end = System.nanoTime();
    long received = Received.messages();
    long totalMillis = (end - start) / 1_000_000;
    return String.format(
        "messages=%d received=%d sendMillis=%d totalMillis=%d msgPerSec=%.0f%n",
        messages,
        received,
        (sent - start) / 1_000_000,
        totalMillis,
        received * 1000.0 / Math.max(1, totalMillis));
  }
}
