package io.warrenmq.store.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The second stage of the group-commit writer on H2: makes committed batches durable ({@code
 * CHECKPOINT SYNC}, one {@code fsync}) on a thread of its own, {@code warren-store-sync-<broker>},
 * while the writer commits the next batch. Every batch whose commit returned before a sync started
 * is on disk when that sync returns (an {@code fsync} covers the whole file, whatever connection
 * wrote it); the batch's futures complete only then.
 *
 * <p>Two stages, not more: the writer hands over a committed batch and goes on with the next one,
 * but before it takes a third it waits until the sync stage has picked up the previous one ({@link
 * #awaitHandedOver}). So each sync overlaps one commit, and the work that arrives meanwhile waits
 * in the writer's queue to make the next batch as large as it was without the stage (more, smaller
 * batches would each cost H2 a chunk of its own). A lone caller gains nothing and loses nothing:
 * when the stage is idle the writer syncs on its own thread ({@link #idle}), as before.
 *
 * <p>Order: syncs run one at a time and complete their batches in commit order; the writer syncs
 * inline only when the stage is idle, so a later batch never completes before an earlier one.
 *
 * <p>A failed sync fails the batches it covered (their callers get an error, a publisher a nack;
 * they may be stored) and the stage takes a new connection for the next.
 *
 * <p>Thread-safety: {@link #handOver}, {@link #awaitHandedOver}, {@link #idle}, {@link #close} are
 * called by the writer thread; the rest runs on the stage's thread.
 */
final class H2SyncStage implements Runnable {
  private static final System.Logger LOG = System.getLogger(H2SyncStage.class.getName());

  private final DataSource dataSource;
  private final WriterCounters counters;
  private final Thread thread;

  /** Committed batches not yet picked up by a sync: each completes with the sync's failure. */
  private final List<Consumer<Throwable>> waiting = new ArrayList<>();

  private boolean syncing; // guarded by this
  private boolean closed; // guarded by this
  private Connection connection; // the stage's thread only

  H2SyncStage(String brokerName, DataSource dataSource, WriterCounters counters) {
    this.dataSource = dataSource;
    this.counters = counters;
    this.thread = new Thread(this, "warren-store-sync-" + brokerName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether no sync runs and none waits: the writer may sync on its own thread. */
  synchronized boolean idle() {
    return !syncing && waiting.isEmpty();
  }

  /**
   * Hands over a committed batch: {@code complete} runs, on the stage's thread, after the next sync
   * that starts from now on, with null or the sync's failure.
   */
  synchronized void handOver(Consumer<Throwable> complete) {
    waiting.add(complete);
    notifyAll();
  }

  /** Waits until every batch handed over is in a sync (running or done). */
  synchronized void awaitHandedOver() {
    boolean interrupted = false;
    while (!waiting.isEmpty()) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // the writer's batches must be completed: keep waiting
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until every batch handed over is synced and completed. */
  synchronized void awaitIdle() {
    boolean interrupted = false;
    while (syncing || !waiting.isEmpty()) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Completes what was handed over, then ends the thread and closes its connection. */
  void close() {
    awaitIdle();
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    List<Consumer<Throwable>> batches = new ArrayList<>();
    while (true) {
      synchronized (this) {
        while (waiting.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            // only close ends the stage
          }
        }
        if (waiting.isEmpty()) {
          break; // closed, and nothing left
        }
        batches.addAll(waiting);
        waiting.clear();
        syncing = true;
        notifyAll(); // the writer may take its next batch
      }
      Throwable failure = sync();
      for (Consumer<Throwable> b : batches) {
        try {
          b.accept(failure);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "message store: completing a batch failed", e);
        }
      }
      batches.clear();
      synchronized (this) {
        syncing = false;
        notifyAll();
      }
    }
    closeConnection();
  }

  /**
   * {@code CHECKPOINT SYNC} on the stage's connection: in H2 2.x {@code Database.sync()}, the
   * MVStore's pending chunk written, then one {@code FileChannel.force(true)}.
   *
   * @return null on success, else the failure
   */
  private Throwable sync() {
    long start = System.nanoTime();
    try {
      if (connection == null) {
        connection = dataSource.getConnection();
      }
      try (Statement s = connection.createStatement()) {
        s.execute("CHECKPOINT SYNC");
      }
      counters.synced(System.nanoTime() - start);
      return null;
    } catch (SQLException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "message store: the sync (fsync) after a commit failed; the operations of the batches it"
              + " covered are failed (publishers get a nack) though they may be stored",
          e);
      closeConnection();
      return e;
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the sync stage's connection failed", e);
      }
      connection = null;
    }
  }
}
