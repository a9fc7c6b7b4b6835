package io.warrenmq.ra.internal;

import io.warrenmq.jms.WarrenConnection;
import jakarta.jms.JMSException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * Completes a prepared XA branch (second phase: commit or rollback) when the connection that
 * enlisted it is gone: a remote broker that was restarted, a network failure, a managed connection
 * the pool destroyed. The broker keeps a prepared branch in its store across a restart and any
 * connection to it can complete the branch, so the call that failed with {@code XAER_RMFAIL} is
 * made again on a new connection (opened by the {@link Opener}, same URL and login), every 100 ms
 * doubling up to 1 s, until the broker answers or {@link #waitMillis} have passed.
 *
 * <p>Why not leave it to the transaction manager's recovery: Payara's transaction manager (JTS)
 * treats {@code XAER_RMFAIL} from {@code xa_rollback} as "rolled back" and forgets the branch
 * (RegisteredResources.distributeRollback; only a later start of the server rolls it back), and its
 * {@code recover-transactions} of a running server completes only transactions whose commit failed.
 * A branch that was prepared in the broker when the connection broke during the prepare of the
 * transaction's next branch then stayed prepared, holding its consumed message, until Payara
 * restarted. WildFly's Narayana would retry by itself; completing here costs it nothing.
 *
 * <p>Outcome of the retry: {@code XAER_NOTA} means the broker no longer has the branch, which after
 * a lost call means that call completed it (a prepared branch leaves the broker only by a commit or
 * rollback of its Xid), and is reported as success. Other errors are thrown as the broker gave
 * them. When the broker is still unreachable after {@link #waitMillis}, the first {@code
 * XAER_RMFAIL} is thrown (the transaction manager's recovery takes over).
 *
 * <p>Thread-safety: thread-safe; each completion uses its own connection.
 */
public final class BranchCompletion {
  private static final System.Logger LOG = System.getLogger(BranchCompletion.class.getName());

  /**
   * The default of {@link #waitMillis}: a restart of the broker fits, also on a loaded machine (a
   * SIGKILLed standalone server took 29 s and 50 s to be back in the ITs on a busy 2-core host).
   */
  public static final long DEFAULT_WAIT_MILLIS = 120_000;

  /** Opens a new connection to the branch's broker, with the login of the lost one. */
  @FunctionalInterface
  public interface Opener {
    WarrenConnection open() throws JMSException;
  }

  /** The first attempt: the call on the resource that enlisted the branch. */
  @FunctionalInterface
  public interface Attempt {
    void run() throws XAException;
  }

  /** The resource that enlisted the branch, found when it is called (it may be gone). */
  @FunctionalInterface
  public interface OwnResource {
    XAResource get() throws XAException;
  }

  /** One XA call on a resource of the broker. */
  @FunctionalInterface
  public interface XaCall {
    void run(XAResource resource) throws XAException;
  }

  private final Opener opener;
  private final String broker;
  private final long waitMillis;

  /**
   * @param opener opens a new connection to the broker
   * @param broker the broker as log lines name it (a URL without its password)
   * @param waitMillis how long to try new connections, in ms, at least 0
   */
  public BranchCompletion(Opener opener, String broker, long waitMillis) {
    if (waitMillis < 0) {
      throw new IllegalArgumentException("waitMillis must be >= 0, was " + waitMillis);
    }
    this.opener = opener;
    this.broker = broker;
    this.waitMillis = waitMillis;
  }

  /** How long a completion tries new connections after {@code XAER_RMFAIL}, in ms. */
  public long waitMillis() {
    return waitMillis;
  }

  /**
   * {@code XAResource.commit} of {@code xid} through its own resource: one-phase as it is (never
   * retried, see {@link #complete}), two-phase through {@link #complete}.
   *
   * @throws XAException as {@link #complete}
   */
  public void commit(OwnResource own, Xid xid, boolean onePhase) throws XAException {
    if (onePhase) {
      own.get().commit(xid, true); // not prepared: a lost connection rolled it back
      return;
    }
    complete("commit", xid, () -> own.get().commit(xid, false), r -> r.commit(xid, false));
  }

  /**
   * {@code XAResource.rollback} of {@code xid} through its own resource, through {@link #complete}.
   *
   * @throws XAException as {@link #complete}
   */
  public void rollback(OwnResource own, Xid xid) throws XAException {
    complete("rollback", xid, () -> own.get().rollback(xid), r -> r.rollback(xid));
  }

  /**
   * Runs {@code own} (the call on the resource that enlisted the branch; {@code what} is "commit"
   * or "rollback" of {@code xid}); on {@code XAER_RMFAIL} runs {@code call} on new connections as
   * the class says. Only for a prepared branch's commit, or a rollback: a one-phase commit after a
   * lost connection must not be retried (the broker rolled the unprepared branch back).
   *
   * @throws XAException as the broker answers; the first {@code XAER_RMFAIL} if no new connection
   *     reached the broker in time
   */
  public void complete(String what, Xid xid, Attempt own, XaCall call) throws XAException {

    try {
      own.run();
      return;
    } catch (XAException e) {
      if (e.errorCode != XAException.XAER_RMFAIL) {
        throw e;
      }
      LOG.log(
          Level.INFO,
          "{0} of XA branch {1}: the connection to WarrenMQ at {2} failed ({3}); completing the"
              + " branch on a new connection",
          what,
          describe(xid),
          broker,
          e.getMessage());
      onNewConnections(what, xid, call, e);
    }
  }

  private void onNewConnections(String what, Xid xid, XaCall call, XAException first)
      throws XAException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    long pauseMillis = 100;
    int attempts = 0;
    String last = first.getMessage();
    while (true) {
      attempts++;
      WarrenConnection c = null;
      try {
        c = opener.open();
        call.run(c.createXASession().getXAResource());
        LOG.log(
            Level.INFO,
            "{0} of XA branch {1} done on a new connection to WarrenMQ at {2} (attempt {3})",
            what,
            describe(xid),
            broker,
            attempts);
        return;
      } catch (XAException e) {
        if (e.errorCode == XAException.XAER_NOTA) {
          LOG.log(
              Level.INFO,
              "{0} of XA branch {1}: WarrenMQ at {2} no longer has the branch; the call whose"
                  + " connection failed completed it",
              what,
              describe(xid),
              broker);
          return;
        }
        if (e.errorCode != XAException.XAER_RMFAIL) {
          throw e;
        }
        last = e.getMessage();
      } catch (JMSException | RuntimeException e) {
        last = e.getMessage();
      } finally {
        closeQuietly(c);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        LOG.log(
            Level.WARNING,
            "{0} of XA branch {1}: WarrenMQ at {2} unreachable for {3} ms ({4} attempts, last: {5});"
                + " the transaction manager's recovery has to complete it",
            what,
            describe(xid),
            broker,
            waitMillis,
            attempts,
            last);
        throw first;
      }
      try {
        Thread.sleep(Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw first;
      }
      pauseMillis = Math.min(pauseMillis * 2, 1_000);
    }
  }

  private static void closeQuietly(WarrenConnection c) {
    if (c != null) {
      try {
        c.close();
      } catch (JMSException | RuntimeException e) {
        LOG.log(Level.DEBUG, "closing a completion connection: {0}", e.getMessage());
      }
    }
  }

  /**
   * The Xid as the log names it: format id, global transaction id and branch qualifier, both in
   * hex, as the broker's log writes a branch (two branches of one transaction differ only in the
   * qualifier).
   */
  static String describe(Xid xid) {
    java.util.HexFormat hex = java.util.HexFormat.of();
    return xid.getFormatId()
        + ":"
        + hex.formatHex(xid.getGlobalTransactionId())
        + ":"
        + hex.formatHex(xid.getBranchQualifier());
  }
}
