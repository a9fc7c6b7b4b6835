package io.warrenmq.store.jdbc.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The second stage of the group commit on the embedded H2 store: makes committed batches durable,
 * one file sync per round, on a thread of its own ({@code warren-sync-<brokerName>}), while the
 * writer ({@link GroupCommitWriter}) commits the next batch. Each round takes every batch handed
 * over since the last one, syncs the file once, then completes their operations' futures; so
 * nothing is confirmed before the sync that covers its commit, and the writer's CPU work
 * (statements, H2's chunk) overlaps the disk's wait instead of adding to it. Batches handed over
 * while a sync runs share the next one: as in the writer, there is no timer.
 *
 * <p>Why it is safe: with {@code WRITE_DELAY=0} H2 writes each commit's chunk to the file before
 * the JDBC commit returns, so a sync that begins after the writer handed a batch over covers that
 * batch ({@link WriteBarrierChannel#sync}). What PostgreSQL or an H2 URL commits is made durable by
 * the writer itself, as before.
 *
 * <p>Failure: a failed sync fails the futures of every batch of its round (publishers get a nack;
 * the commits are in the database but not known to be on disk), as the writer's own sync does.
 *
 * <p>Thread-safety: {@link #submit} and {@link #awaitIdle} from the writer thread, {@link #stop}
 * from the writer thread as it ends; the stage's own thread does the rest.
 */
final class SyncStage implements Runnable {
  private static final System.Logger LOG = System.getLogger(SyncStage.class.getName());

  /** Makes what the store committed so far durable. */
  @FunctionalInterface
  interface FileSync {
    /**
     * @throws IOException if the sync failed
     */
    void sync() throws IOException;
  }

  private final FileSync fileSync;
  private final WriterCounters counters;
  private final Thread thread;
  private final ArrayDeque<BatchOutcome> pending = new ArrayDeque<>(); // guarded by this
  private int inRound; // guarded by this: batches of the round being synced
  private boolean stopping; // guarded by this

  SyncStage(String brokerName, FileSync fileSync, WriterCounters counters) {
    this.fileSync = fileSync;
    this.counters = counters;
    this.thread = new Thread(this, "warren-sync-" + brokerName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Hands over a committed batch; its futures complete after the next sync. */
  synchronized void submit(BatchOutcome committed) {
    pending.add(committed);
    notifyAll();
  }

  /** Waits until every batch handed over so far is synced and completed. */
  synchronized void awaitIdle() throws InterruptedException {
    while (!pending.isEmpty() || inRound > 0) {
      wait();
    }
  }

  /**
   * Syncs and completes what was handed over, then ends the stage's thread; waits up to {@code
   * timeoutMs}.
   *
   * @return whether the thread ended in time
   */
  boolean stop(long timeoutMs) throws InterruptedException {
    synchronized (this) {
      stopping = true;
      notifyAll();
    }
    thread.join(timeoutMs);
    return !thread.isAlive();
  }

  @Override
  public void run() {
    while (true) {
      List<BatchOutcome> round;
      synchronized (this) {
        while (pending.isEmpty() && !stopping) {
          try {
            wait();
          } catch (InterruptedException e) {
            // only stop ends the stage: handed-over batches must be completed
          }
        }
        if (pending.isEmpty()) {
          return;
        }
        round = new ArrayList<>(pending);
        pending.clear();
        inRound = round.size();
      }
      Throwable failure = null;
      long start = System.nanoTime();
      try {
        fileSync.sync();
        counters.synced(System.nanoTime() - start);
      } catch (IOException | RuntimeException e) {
        LOG.log(
            System.Logger.Level.ERROR,
            "message store: the sync (fsync) after a commit failed; the operations of "
                + round.size()
                + " batch(es) are failed (publishers get a nack) though they may be stored",
            e);
        failure = e;
      }
      for (BatchOutcome b : round) {
        b.complete(failure);
      }
      synchronized (this) {
        inRound = 0;
        notifyAll();
      }
    }
  }
}
