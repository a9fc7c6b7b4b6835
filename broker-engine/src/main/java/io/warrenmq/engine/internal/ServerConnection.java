package io.warrenmq.engine.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BlockedListener;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.ShutdownListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The server side of a client connection: its channels and the exclusive queues it owns.
 *
 * <p>Concurrency: thread-safe; closing is idempotent and may race with any channel operation.
 */
public final class ServerConnection {
  private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());

  private final String id;
  private final String clientName;
  private final ServerVirtualHost vhost;
  private final Executor executor;
  private final java.util.function.Consumer<ServerConnection> onClose;
  private volatile Authorization authorization;
  private final ConcurrentHashMap<Integer, ServerChannel> channels = new ConcurrentHashMap<>();
  private final AtomicInteger lastChannel = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  final Set<Queue> exclusiveQueues = ConcurrentHashMap.newKeySet();
  private final List<BlockedListener> blockedListeners = new CopyOnWriteArrayList<>();
  private final List<ShutdownListener> shutdownListeners = new CopyOnWriteArrayList<>();
  private boolean blockedNotified; // guarded by blockedListeners

  /** When it opened, ms since the epoch (monitoring). */
  private final long connectedAt = System.currentTimeMillis();

  /** The user it logged in as, or null on the trusted in-VM path (monitoring). */
  private volatile String user;

  /** What the wire transport tells about it, or null in-VM (monitoring). */
  private volatile io.warrenmq.engine.TransportInfo transport;

  /** Closes it from the broker's side through its transport (320 with a reason), or null in-VM. */
  private volatile java.util.function.Consumer<String> forceClose;

  /** The transport's writability, or null for an in-VM connection (no transport). */
  private volatile BooleanSupplier writable;

  /**
   * @param onClose called once when the connection has closed (the broker forgets it)
   */
  public ServerConnection(
      String id,
      String clientName,
      ServerVirtualHost vhost,
      Executor executor,
      java.util.function.Consumer<ServerConnection> onClose) {
    this.id = id;
    this.clientName = clientName;
    this.vhost = vhost;
    this.executor = executor;
    this.onClose = onClose;
  }

  public String id() {
    return id;
  }

  /** The login's permissions, or null on the trusted in-VM path (everything allowed). */
  Authorization authorization() {
    return authorization;
  }

  /** Applies a login's permissions to this connection; set once, right after it is opened. */
  public void authorize(Authorization authorization) {
    this.authorization = authorization;
  }

  /** Records the logged-in user, for monitoring. */
  public void user(String user) {
    this.user = user;
  }

  /** The logged-in user, or null on the trusted in-VM path. */
  public String user() {
    return user;
  }

  /** When it opened, ms since the epoch. */
  public long connectedAt() {
    return connectedAt;
  }

  /** Attaches the transport's description and its way to force the connection closed. */
  public void transport(
      io.warrenmq.engine.TransportInfo transport, java.util.function.Consumer<String> forceClose) {
    this.transport = transport;
    this.forceClose = forceClose;
  }

  /** The transport's description, or null in-VM. */
  public io.warrenmq.engine.TransportInfo transport() {
    return transport;
  }

  /** The connection's name for monitoring: the transport's name, else the engine id. */
  public String displayName() {
    io.warrenmq.engine.TransportInfo t = transport;
    return t != null && t.name() != null ? t.name() : id;
  }

  /**
   * Closes it from the broker's side with a reason (management API): over the wire the client gets
   * {@code connection.close} 320 CONNECTION_FORCED; in-VM it is closed as on a broker shutdown.
   */
  public void forceClose(String reason) {
    java.util.function.Consumer<String> closer = forceClose;
    if (closer != null) {
      closer.accept(reason);
    } else {
      close(
          true,
          new AmqpException(
              ReplyCode.CONNECTION_FORCED,
              "CONNECTION_FORCED - broker forced connection closure with reason '" + reason + "'"));
    }
  }

  /** Its open channels (a copy). */
  public List<ServerChannel> channelList() {
    return List.copyOf(channels.values());
  }

  /** The virtual host this connection is open to. */
  public ServerVirtualHost virtualHost() {
    return vhost;
  }

  public boolean isOpen() {
    return !closed.get();
  }

  /**
   * Opens a channel.
   *
   * @throws AmqpException 504 CHANNEL_ERROR if the connection is closed
   */
  public ServerChannel openChannel() {
    if (!isOpen()) {
      throw new AmqpException(ReplyCode.CHANNEL_ERROR, "connection is closed");
    }
    ServerChannel ch = new ServerChannel(lastChannel.incrementAndGet(), this, vhost, executor);
    channels.put(ch.number(), ch);
    if (!isOpen()) {
      ch.closeInternal(false);
      throw new AmqpException(ReplyCode.CHANNEL_ERROR, "connection is closed");
    }
    return ch;
  }

  void channelClosed(ServerChannel ch) {
    channels.remove(ch.number(), ch);
  }

  /** Unacked deliveries of {@code q} on this connection's channels (management). */
  public int unackedOf(Queue q) {
    int n = 0;
    for (ServerChannel ch : channels.values()) {
      n += ch.unackedOf(q);
    }
    return n;
  }

  /**
   * Closes every channel (requeueing their unacked messages), then deletes the exclusive queues.
   * Idempotent.
   *
   * @param brokerInitiated whether the broker closes it (shutdown, hard error): consumers are then
   *     told through {@link io.warrenmq.client.Consumer#handleCancel}
   */
  public void close(boolean brokerInitiated) {
    close(
        brokerInitiated,
        brokerInitiated
            ? new AmqpException(ReplyCode.CONNECTION_FORCED, "broker forced connection closure")
            : null);
  }

  /**
   * {@link #close(boolean)} with the reason given to {@link ShutdownListener}s.
   *
   * @param cause the hard error that closes the connection, or null for a client close
   */
  public void close(boolean brokerInitiated, AmqpException cause) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (ServerChannel ch : channels.values()) {
      ch.closeInternal(brokerInitiated);
    }
    for (Queue q : exclusiveQueues) {
      vhost.deleteExclusiveQueue(q);
    }
    exclusiveQueues.clear();
    vhost.memory().unwatch(this);
    LOG.log(
        System.Logger.Level.DEBUG,
        () -> "connection " + id + " (" + clientName + ") to vhost '" + vhost.name() + "' closed");
    onClose.accept(this);
    for (ShutdownListener l : shutdownListeners) {
      try {
        l.shutdownCompleted(cause);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "shutdown listener threw", e);
      }
    }
  }

  /** Adds a listener told once when the connection has closed; at once if it already has. */
  public void addShutdownListener(ShutdownListener listener) {
    shutdownListeners.add(listener);
    if (closed.get() && shutdownListeners.remove(listener)) {
      listener.shutdownCompleted(null);
    }
  }

  /**
   * Adds a listener of {@code connection.blocked}/{@code unblocked} (see {@link BlockedListener}).
   */
  public void addBlockedListener(BlockedListener listener) {
    blockedListeners.add(listener);
    vhost.memory().watch(this);
  }

  /** Removes a listener; returns whether it was registered. */
  public boolean removeBlockedListener(BlockedListener listener) {
    return blockedListeners.remove(listener);
  }

  /**
   * Hands this connection's flow control to its network transport (see {@code
   * io.warrenmq.engine.Connection#setTransportFlowControl}).
   */
  public void setTransportFlowControl(BooleanSupplier writable) {
    this.writable = java.util.Objects.requireNonNull(writable, "writable");
  }

  /**
   * Whether deliveries may be handed to this connection's consumers now: always in-VM; while its
   * transport is writable otherwise. Cheap: called under queue locks.
   */
  boolean deliveriesAllowed() {
    BooleanSupplier w = writable;
    return w == null || w.getAsBoolean();
  }

  /**
   * Whether {@code basic.publish} waits while the broker is over its memory limit: in-VM, where
   * waiting is the only way to hold a publisher back; not when a transport stops reading instead.
   */
  boolean publishWaitsWhenBlocked() {
    return writable == null;
  }

  /**
   * The transport became writable: the queues of this connection's consumers dispatch again, on a
   * dispatch thread (this returns at once).
   */
  public void transportWritable() {
    if (!isOpen()) {
      return;
    }
    try {
      executor.execute(
          () -> {
            for (ServerChannel ch : channels.values()) {
              ch.kickAllQueues();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the broker is closing: nothing more will be delivered
    }
  }

  /** Tells the listeners of a state change; repeated states are not told twice. */
  void fireBlocked(boolean blocked, String reason) {
    synchronized (blockedListeners) {
      if (blocked == blockedNotified || !isOpen()) {
        return;
      }
      blockedNotified = blocked;
      for (BlockedListener l : blockedListeners) {
        try {
          if (blocked) {
            l.handleBlocked(reason);
          } else {
            l.handleUnblocked();
          }
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "blocked listener threw", e);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "connection " + id;
  }
}
