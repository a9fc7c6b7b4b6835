package io.warrenmq.jms.internal.failover;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Passwords;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.Transport;
import io.warrenmq.jms.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.transaction.xa.Xid;

/**
 * One logical AMQP connection over a list of brokers: a {@link TransportConnection} to one of them
 * at a time. When that connection is lost (the broker closed it, the socket dropped, heartbeats
 * stopped), a thread of its own reconnects as the {@link ReconnectPolicy} says, to the next broker
 * of the list: it claims the client ID again, declares again what was declared ({@link
 * Declarations}), and re-opens every open {@link FailoverChannel} (prefetch, {@code tx.select},
 * confirm mode, consumers with their tags, queues, selectors and exclusivity). Calls on a channel
 * meanwhile wait for the reconnection; settling a stale delivery tag does not wait (it is dropped,
 * see {@link io.warrenmq.jms.spi.RecoverableChannel}).
 *
 * <p>Close listeners are told only when the application closes the connection (null cause) or when
 * reconnection gives up (320 CONNECTION_FORCED naming every broker of the list, no password, and
 * the last error). Each loss and each reconnect is logged at WARNING and INFO.
 *
 * <p>A client-closed connection ({@link #close()}) is never reopened. A connection the broker
 * closed with an error is reopened like a lost one (e.g. 320 CONNECTION_FORCED at a broker's
 * shutdown).
 *
 * <p>Thread-safety: thread-safe. {@link #lock} guards the state; no transport call is made while
 * holding it.
 */
final class FailoverConnection implements TransportConnection {
  private static final System.Logger LOG = System.getLogger(FailoverConnection.class.getName());

  private enum State {
    OPEN,
    RECOVERING,
    CLOSED,
    FAILED
  }

  private final FailoverTransport transport;
  private final ConnectionInfo info;
  private final String id = "failover-" + UUID.randomUUID();
  private final Object lock = new Object();
  private final List<FailoverChannel> channels = new CopyOnWriteArrayList<>();
  private final List<CloseListener> closeListeners = new CopyOnWriteArrayList<>();
  private final List<BlockedListener> blockedListeners = new CopyOnWriteArrayList<>();
  private final Declarations declarations = new Declarations();
  private final AtomicInteger generations = new AtomicInteger();
  private final Object branches = new Object();
  private final Set<String> associated = new HashSet<>(); // guarded by branches
  private final Set<String> lostBranches = new HashSet<>(); // guarded by branches

  // guarded by lock
  private TransportConnection current;
  private int brokerIndex;
  private State state = State.OPEN;
  private AmqpException failure;
  private String clientId;

  FailoverConnection(
      FailoverTransport transport,
      ConnectionInfo info,
      int brokerIndex,
      TransportConnection first) {
    this.transport = transport;
    this.info = info;
    this.brokerIndex = brokerIndex;
    this.current = first;
    attach(first);
  }

  private void attach(TransportConnection c) {
    c.addCloseListener(cause -> lost(c, cause));
    for (BlockedListener l : blockedListeners) {
      c.addBlockedListener(l);
    }
  }

  // --- for FailoverChannel

  Declarations declarations() {
    return declarations;
  }

  /**
   * A number for a new AMQP channel of a {@link FailoverChannel}, from 1 to 2^23 - 1 and then
   * around again: the top bits of the delivery tags it hands out, kept positive.
   */
  int nextGeneration() {
    int n;
    do {
      n = generations.incrementAndGet() & 0x7F_FFFF;
    } while (n == 0);
    return n;
  }

  /**
   * Waits while a reconnection is under way and returns the open connection.
   *
   * @throws AmqpException 504 CHANNEL_ERROR if the connection was closed, or reconnection gave up
   */
  TransportConnection awaitOpen() {
    synchronized (lock) {
      // also while the lost connection's close listener has yet to run (it runs on another thread)
      while (state == State.RECOVERING || (state == State.OPEN && !current.isOpen())) {
        try {
          lock.wait(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AmqpException(ReplyCode.INTERNAL_ERROR, "interrupted while reconnecting");
        }
      }
      if (state != State.OPEN) {
        throw closedError();
      }
      return current;
    }
  }

  /** Whether the connection is reconnecting now. */
  boolean recovering() {
    synchronized (lock) {
      return state == State.RECOVERING;
    }
  }

  void channelClosed(FailoverChannel channel) {
    channels.remove(channel);
  }

  /** Whether no open channel but {@code except} consumes from {@code queue}. */
  boolean noOtherConsumer(String queue, FailoverChannel except) {
    for (FailoverChannel c : channels) {
      if (c != except && c.consumes(queue)) {
        return false;
      }
    }
    return true;
  }

  // --- XA branches associated with a channel when the connection is lost (FailoverChannel)

  static String branchKey(Xid xid) {
    HexFormat hex = HexFormat.of();
    return xid.getFormatId()
        + ":"
        + hex.formatHex(xid.getGlobalTransactionId())
        + ":"
        + hex.formatHex(xid.getBranchQualifier());
  }

  void branchAssociated(Xid xid) {
    synchronized (branches) {
      associated.add(branchKey(xid));
    }
  }

  void branchEnded(Xid xid) {
    synchronized (branches) {
      associated.remove(branchKey(xid));
    }
  }

  /** The branch was started on a connection lost meanwhile: as if associated at the loss. */
  void branchLost(Xid xid) {
    synchronized (branches) {
      String k = branchKey(xid);
      associated.remove(k);
      lostBranches.add(k);
    }
  }

  /** Whether the branch was associated when a connection was lost; {@code forget} forgets it. */
  boolean lostBranch(Xid xid, boolean forget) {
    synchronized (branches) {
      String k = branchKey(xid);
      return forget ? lostBranches.remove(k) : lostBranches.contains(k);
    }
  }

  AmqpException closedError() {
    synchronized (lock) {
      return new AmqpException(
          ReplyCode.CHANNEL_ERROR,
          failure != null
              ? failure.getMessage()
              : "connection to " + transport.brokerName() + " is closed");
    }
  }

  // --- TransportConnection

  @Override
  public String id() {
    return id;
  }

  @Override
  public AmqpChannel createChannel() {
    while (true) {
      TransportConnection c = awaitOpen();
      AmqpChannel physical;
      try {
        physical = c.createChannel();
      } catch (AmqpException e) {
        if (!c.isOpen() && recoveringOrAbout(c)) {
          continue; // lost meanwhile: open it on the next connection
        }
        throw e;
      }
      FailoverChannel ch = new FailoverChannel(this, physical);
      channels.add(ch);
      return ch;
    }
  }

  /** Whether {@code c} was lost and a reconnection is (or is about to be) under way. */
  boolean recoveringOrAbout(TransportConnection c) {
    synchronized (lock) {
      return state == State.RECOVERING || (state == State.OPEN && current == c && !c.isOpen());
    }
  }

  /** Whether a reconnection is under way, or about to be (the connection is lost). */
  boolean recoveringOrAboutNow() {
    synchronized (lock) {
      return state == State.RECOVERING || (state == State.OPEN && !current.isOpen());
    }
  }

  @Override
  public boolean claimClientId(String clientId) {
    TransportConnection c = awaitOpen();
    boolean claimed = c.claimClientId(clientId);
    if (claimed) {
      synchronized (lock) {
        this.clientId = clientId;
      }
    }
    return claimed;
  }

  @Override
  public void addCloseListener(CloseListener listener) {
    Objects.requireNonNull(listener, "listener");
    AmqpException cause;
    synchronized (lock) {
      if (state == State.OPEN || state == State.RECOVERING) {
        closeListeners.add(listener);
        return;
      }
      cause = failure;
    }
    listener.closed(cause);
  }

  @Override
  public void addBlockedListener(BlockedListener listener) {
    Objects.requireNonNull(listener, "listener");
    blockedListeners.add(listener);
    TransportConnection c;
    synchronized (lock) {
      c = current;
    }
    c.addBlockedListener(listener);
  }

  @Override
  public boolean removeBlockedListener(BlockedListener listener) {
    TransportConnection c;
    synchronized (lock) {
      c = current;
    }
    c.removeBlockedListener(listener);
    return blockedListeners.remove(listener);
  }

  @Override
  public boolean hasCapability(String capability) {
    TransportConnection c;
    synchronized (lock) {
      c = current;
    }
    return c.hasCapability(capability);
  }

  /** True while open or reconnecting; false once closed or given up. */
  @Override
  public boolean isOpen() {
    synchronized (lock) {
      return state == State.OPEN || state == State.RECOVERING;
    }
  }

  @Override
  public void close() {
    TransportConnection c;
    synchronized (lock) {
      if (state == State.CLOSED || state == State.FAILED) {
        return;
      }
      state = State.CLOSED;
      c = current;
      lock.notifyAll();
    }
    for (FailoverChannel ch : channels) {
      ch.connectionEnded();
    }
    channels.clear();
    c.close();
    tellClosed(null);
  }

  @Override
  public String toString() {
    return "FailoverConnection[" + id + " to " + transport.brokerName() + "]";
  }

  // --- losing and reconnecting

  private void lost(TransportConnection c, AmqpException cause) {
    String broker;
    synchronized (lock) {
      if (c != current || state != State.OPEN || cause == null) {
        return;
      }
      state = State.RECOVERING;
      broker = transport.brokers().get(brokerIndex).brokerName();
    }
    LOG.log(
        Level.WARNING,
        "Lost the connection to {0} ({1}); reconnecting to {2}, {3}",
        broker,
        cause.getMessage(),
        transport.brokerName(),
        transport.policy().attempts() == ReconnectPolicy.FOREVER
            ? "until it succeeds"
            : "at most " + transport.policy().attempts() + " attempts");
    synchronized (branches) {
      lostBranches.addAll(associated);
      associated.clear();
    }
    for (FailoverChannel ch : channels) {
      ch.connectionLost();
    }
    Thread t = new Thread(() -> reconnect(cause), "warrenmq-failover-" + id);
    t.setDaemon(true);
    t.start();
  }

  private void reconnect(AmqpException cause) {
    ReconnectPolicy policy = transport.policy();
    List<Transport> brokers = transport.brokers();
    RuntimeException last = cause;
    int start;
    synchronized (lock) {
      start = brokerIndex;
    }
    for (int attempt = 1; policy.allows(attempt); attempt++) {
      if (!pause(policy.delayBefore(attempt))) {
        return; // closed by the application meanwhile
      }
      int index = (start + attempt) % brokers.size();
      Transport broker = brokers.get(index);
      TransportConnection c = null;
      try {
        c = broker.connect(info);
        int generation = nextGeneration();
        restore(c, generation);
        boolean closedMeanwhile;
        synchronized (lock) {
          closedMeanwhile = state != State.RECOVERING;
          if (!closedMeanwhile) {
            current = c;
            brokerIndex = index;
            state = State.OPEN;
            lock.notifyAll();
          }
        }
        if (closedMeanwhile) {
          c.close(); // by the application
          return;
        }
        attach(c);
        LOG.log(
            Level.INFO,
            "Reconnected to {0} (attempt {1}); {2} channels restored",
            broker.brokerName(),
            attempt,
            channels.size());
        return;
      } catch (RuntimeException e) {
        last = e;
        for (FailoverChannel ch : channels) {
          ch.connectionLost();
        }
        if (c != null) {
          c.close();
        }
        LOG.log(
            Level.INFO,
            "Reconnection attempt {0} to {1} failed: {2}",
            attempt,
            broker.brokerName(),
            Passwords.mask(String.valueOf(e.getMessage())));
      }
    }
    giveUp(last);
  }

  /** Claims the client ID, declares again, and re-opens the channels on {@code c}. */
  private void restore(TransportConnection c, int generation) {
    String id;
    synchronized (lock) {
      id = clientId;
    }
    if (id != null && !c.claimClientId(id)) {
      // the broker has not yet closed the lost connection, which still holds it
      throw new AmqpException(
          ReplyCode.RESOURCE_LOCKED, "client ID '" + id + "' is still held on the broker");
    }
    AmqpChannel ch = c.createChannel();
    try {
      declarations.replay(ch);
    } finally {
      ch.close();
    }
    for (FailoverChannel f : channels) {
      f.restore(c, generation);
    }
  }

  /** Waits {@code ms} unless closed meanwhile; false if closed. */
  private boolean pause(long ms) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    synchronized (lock) {
      while (state == State.RECOVERING) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }
  }

  private void giveUp(RuntimeException last) {
    int attempts = transport.policy().attempts();
    AmqpException cause =
        new AmqpException(
            ReplyCode.CONNECTION_FORCED,
            "lost the connection and gave up reconnecting after "
                + attempts
                + " attempts to "
                + transport.brokerName()
                + "; last error: "
                + Passwords.mask(String.valueOf(last.getMessage())));
    synchronized (lock) {
      if (state != State.RECOVERING) {
        return;
      }
      state = State.FAILED;
      failure = cause;
      lock.notifyAll();
    }
    LOG.log(Level.ERROR, "Giving up: {0}", cause.getMessage());
    for (FailoverChannel ch : channels) {
      ch.connectionEnded();
    }
    tellClosed(cause);
  }

  private void tellClosed(AmqpException cause) {
    for (CloseListener l : closeListeners) {
      closeListeners.remove(l);
      try {
        l.closed(cause);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "close listener failed", e);
      }
    }
  }
}
