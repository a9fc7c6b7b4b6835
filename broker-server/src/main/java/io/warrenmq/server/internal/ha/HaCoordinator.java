package io.warrenmq.server.internal.ha;

import io.warrenmq.store.jdbc.HaLease;
import io.warrenmq.store.jdbc.HaLeaseConfig;
import io.warrenmq.store.jdbc.LeaseWatch;
import io.warrenmq.store.jdbc.StoreFencedException;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The live/backup state machine of one broker of a shared-store HA group (README.md, "High
 * availability"; DESIGN.md "HA"), over the store's {@link HaLease}:
 *
 * <ol>
 *   <li>BACKUP: {@link #awaitLive} reads the lease every {@code renew_interval} and feeds a {@link
 *       LeaseWatch}; it logs {@code HA: node <name> is backup; live is <owner> (epoch <n>)} when it
 *       starts waiting (and again for each new live node), and acquires the lease once the watch
 *       says it expired. The caller opens nothing meanwhile: no store, no AMQP listener.
 *   <li>LIVE: from the acquisition on, a renewer thread renews the lease every {@code
 *       renew_interval} and a watchdog checks that a renewal succeeded within the last {@code
 *       store_outage_timeout}; the caller opens the store fenced by the lease, recovers, binds its
 *       listeners and calls {@link #announceLive}.
 *   <li>While renewals fail (the store cannot be reached), the node's publishers are blocked
 *       through {@link #watchStore} and resume when a renewal succeeds again: a database restart
 *       shorter than {@code store_outage_timeout} costs no failover.
 *   <li>HALT: when a renewal finds a newer epoch, when no renewal succeeded for {@code
 *       store_outage_timeout}, or when the store refuses a commit because of a newer epoch ({@link
 *       HaLease#onFenced}), it logs an ERROR naming the new epoch and owner (if known) and halts
 *       the process at once ({@code Runtime.halt(3)}: no shutdown hook, no further write, nothing
 *       confirmed after that point; fencing already refused the write in flight).
 * </ol>
 *
 * <p>Thread-safety: {@link #status} and {@link #close} from any thread; {@link #awaitLive} and
 * {@link #announceLive} from the starting thread.
 */
public final class HaCoordinator implements AutoCloseable {
  /** The exit status of a halted live broker that lost its lease. */
  public static final int EXIT_DEPOSED = 3;

  private static final System.Logger LOG = System.getLogger(HaCoordinator.class.getName());

  /** What this node is. */
  public enum Role {
    BACKUP,
    LIVE
  }

  /**
   * What the management API and the metrics show.
   *
   * @param role live or backup
   * @param epoch the live node's epoch: this node's once live, the one it watches as a backup (0:
   *     none seen)
   * @param leaseAgeMs ms since the lease was last renewed as this node saw it: since its own last
   *     successful renewal when live, since the watched pair last changed when backup
   * @param takeovers how often this node became live (0 or 1 in one run)
   */
  public record Status(Role role, long epoch, long leaseAgeMs, long takeovers) {}

  private final HaLease lease;
  private final HaLeaseConfig config;
  private final IntConsumer halt;
  private final LeaseWatch watch;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean halting = new AtomicBoolean();
  private volatile Role role = Role.BACKUP;
  private volatile long lastRenewSent; // nanoTime of the sending of the last successful renewal
  private volatile long lastRenewReceived; // nanoTime of its answer
  private volatile long watchedEpoch;
  private volatile long takeovers;
  private volatile Thread waiter;
  private volatile Consumer<Boolean> storeAlarm = on -> {};
  private Thread renewer;
  private Thread watchdog;

  /**
   * @param lease the store's lease, opened; closed by {@link #close}
   * @param halt ends the process with the given status ({@code Runtime.getRuntime()::halt} in the
   *     server; a recorder in tests)
   */
  public HaCoordinator(HaLease lease, IntConsumer halt) {
    this.lease = Objects.requireNonNull(lease, "lease");
    this.config = lease.config();
    this.halt = Objects.requireNonNull(halt, "halt");
    this.watch = new LeaseWatch(config);
    lease.onFenced(this::fenced);
  }

  /** This node's name ({@code warrenmq.ha.node_name}). */
  public String nodeName() {
    return config.nodeName();
  }

  /** The lease, for opening the store fenced by it once live. */
  public HaLease lease() {
    return lease;
  }

  /**
   * Waits as a backup until this node holds the lease, then starts renewing it. Returns at once
   * when no live node holds it (a fresh database, or a live node that released it at a clean stop).
   *
   * @throws InterruptedException if {@link #close} was called meanwhile (or the thread was
   *     interrupted): nothing was acquired
   */
  public void awaitLive() throws InterruptedException {
    waiter = Thread.currentThread();
    long interval = TimeUnit.MILLISECONDS.toNanos(config.renewIntervalMs());
    long announcedEpoch = -1;
    boolean outage = false;
    try {
      while (true) {
        if (closed.get() || Thread.interrupted()) {
          throw new InterruptedException("HA: stopped while waiting as a backup");
        }
        long sent = System.nanoTime();
        try {
          Optional<HaLease.State> state = lease.read();
          watch.seen(state, sent, System.nanoTime());
          if (outage) {
            LOG.log(System.Logger.Level.INFO, "HA: backup {0} reads the lease again", nodeName());
            outage = false;
          }
          if (watch.expired()) {
            if (lease.acquire(state)) {
              becameLive(sent);
              return;
            }
            continue; // another backup was faster, or the live node renewed: read again
          }
          HaLease.State s = state.orElseThrow(); // not expired: a live node holds it
          watchedEpoch = s.epoch();
          if (s.epoch() != announcedEpoch) {
            LOG.log(
                System.Logger.Level.INFO,
                "HA: node {0} is backup; live is {1} (epoch {2})",
                nodeName(),
                s.owner(),
                Long.toString(s.epoch()));
            announcedEpoch = s.epoch();
          }
        } catch (SQLException e) {
          watch.failed();
          if (!outage) {
            LOG.log(
                System.Logger.Level.WARNING,
                "HA: backup {0} cannot read the lease ({1}); it watches again once the database"
                    + " answers, and does not take over meanwhile",
                nodeName(),
                e.getMessage());
            outage = true;
          }
        }
        long wake = sent + interval;
        for (long left = wake - System.nanoTime(); left > 0; left = wake - System.nanoTime()) {
          LockSupport.parkNanos(this, left);
          if (closed.get() || Thread.interrupted()) {
            throw new InterruptedException("HA: stopped while waiting as a backup");
          }
        }
      }
    } finally {
      waiter = null;
    }
  }

  private void becameLive(long acquireSent) {
    lastRenewSent = acquireSent;
    lastRenewReceived = System.nanoTime();
    watchedEpoch = lease.epoch();
    takeovers++;
    role = Role.LIVE;
    LOG.log(
        System.Logger.Level.INFO,
        "HA: node {0} acquired the lease (epoch {1}); recovering the store",
        nodeName(),
        Long.toString(lease.epoch()));
    renewer = new Thread(this::renewLoop, "warren-ha-renew");
    renewer.setDaemon(true);
    renewer.start();
    watchdog = new Thread(this::watchdogLoop, "warren-ha-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /**
   * Whom to tell while this live node cannot reach the store to renew its lease: told {@code true}
   * at the first failed renewal and {@code false} at the next successful one (the standalone server
   * passes the broker's store alarm, which blocks publishers meanwhile).
   *
   * @param alarm called on the renewal thread; must not block
   */
  public void watchStore(Consumer<Boolean> alarm) {
    this.storeAlarm = Objects.requireNonNull(alarm, "alarm");
  }

  /** Logs that the node serves clients: after recovery and the listeners' bind. */
  public void announceLive() {
    LOG.log(
        System.Logger.Level.INFO,
        "HA: node {0} is live (epoch {1})",
        nodeName(),
        Long.toString(lease.epoch()));
  }

  private void renewLoop() {
    long interval = TimeUnit.MILLISECONDS.toNanos(config.renewIntervalMs());
    boolean failing = false;
    while (!closed.get()) {
      long sent = System.nanoTime();
      try {
        if (!lease.renew()) {
          deposed("a renewal found a newer epoch");
          return;
        }
        lastRenewSent = sent;
        lastRenewReceived = System.nanoTime();
        if (failing) {
          LOG.log(
              System.Logger.Level.INFO,
              "HA: node {0} renews its lease again; publishers go on",
              nodeName());
          failing = false;
          storeAlarm.accept(false);
        }
      } catch (SQLException | RuntimeException e) {
        if (!failing) {
          LOG.log(
              System.Logger.Level.WARNING,
              "HA: node {0} could not renew its lease ({1}); its publishers are blocked"
                  + " (connection.blocked \"store unreachable\") and it halts if that lasts {2} ms"
                  + " (warrenmq.ha.store_outage_timeout)",
              nodeName(),
              e.getMessage(),
              Long.toString(config.storeOutageTimeoutMs()));
          failing = true;
          storeAlarm.accept(true);
        }
      }
      long wake = sent + interval;
      for (long left = wake - System.nanoTime(); left > 0; left = wake - System.nanoTime()) {
        LockSupport.parkNanos(this, left);
        if (closed.get()) {
          return;
        }
      }
    }
  }

  private void watchdogLoop() {
    long timeout = TimeUnit.MILLISECONDS.toNanos(config.storeOutageTimeoutMs());
    long tick = TimeUnit.MILLISECONDS.toNanos(Math.max(10, config.renewIntervalMs() / 4));
    while (!closed.get()) {
      long silent = System.nanoTime() - lastRenewSent;
      if (silent >= timeout) {
        halt(
            "HA: node "
                + nodeName()
                + " could not renew its lease (epoch "
                + lease.epoch()
                + ") for "
                + TimeUnit.NANOSECONDS.toMillis(silent)
                + " ms (warrenmq.ha.store_outage_timeout "
                + config.storeOutageTimeoutMs()
                + " ms): a backup may have taken over; halting so that its clients fail over");
        return;
      }
      LockSupport.parkNanos(this, tick);
    }
  }

  /** The store refused a commit: a newer epoch exists. Called on the store's writer thread. */
  private void fenced(StoreFencedException e) {
    halt(
        "HA: node "
            + nodeName()
            + " lost its lease: the store refused a commit of epoch "
            + e.epoch()
            + " because it is at epoch "
            + e.currentEpoch()
            + (e.currentOwner().isEmpty() ? "" : " of node " + e.currentOwner())
            + "; halting (nothing of that commit was stored or confirmed)");
  }

  private void deposed(String why) {
    String now = "";
    try {
      Optional<HaLease.State> s = lease.read();
      if (s.isPresent()) {
        now = ": the store is at epoch " + s.get().epoch() + " of node " + s.get().owner();
      }
    } catch (SQLException | RuntimeException e) {
      now = " (the new epoch could not be read: " + e.getMessage() + ")";
    }
    halt(
        "HA: node "
            + nodeName()
            + " lost its lease (epoch "
            + lease.epoch()
            + "), "
            + why
            + now
            + "; halting");
  }

  private void halt(String message) {
    if (closed.get() || !halting.compareAndSet(false, true)) {
      return;
    }
    LOG.log(System.Logger.Level.ERROR, message);
    System.err.flush();
    System.out.flush();
    halt.accept(EXIT_DEPOSED);
  }

  /** The role, epoch and lease age now. */
  public Status status() {
    long now = System.nanoTime();
    if (role == Role.LIVE) {
      return new Status(
          Role.LIVE,
          lease.epoch(),
          TimeUnit.NANOSECONDS.toMillis(now - lastRenewReceived),
          takeovers);
    }
    return new Status(Role.BACKUP, watchedEpoch, watch.leaseAgeMs(now), takeovers);
  }

  /**
   * Stops waiting, renewing and watching. A live node calls it after its store closed at a clean
   * stop: it then releases the lease, so that a backup takes over at once. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
    for (Thread t : new Thread[] {renewer, watchdog}) {
      if (t != null) {
        LockSupport.unpark(t);
        try {
          t.join(TimeUnit.MILLISECONDS.toMillis(config.leaseTimeoutMs() * 2));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (role == Role.LIVE && !halting.get()) {
      lease.release();
      LOG.log(
          System.Logger.Level.INFO,
          "HA: node {0} released the lease (epoch {1})",
          nodeName(),
          Long.toString(lease.epoch()));
    }
    lease.close();
  }
}
