package io.warrenmq.jms.internal;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.engine.Broker;
import io.warrenmq.jms.spi.TransportConnection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TransportConnection} that is one engine {@link io.warrenmq.engine.Connection}. Client
 * IDs are claimed per {@link Broker} in this JVM ({@link ClientIds}).
 *
 * <p>Thread-safety: thread-safe.
 */
final class InVmConnection implements TransportConnection {

  private final Broker broker;
  private final io.warrenmq.engine.Connection engine;

  /** The engine listener registered for each SPI blocked listener, for removal. */
  private final Map<BlockedListener, io.warrenmq.client.BlockedListener> blockedListeners =
      new ConcurrentHashMap<>();

  private volatile String clientId;

  InVmConnection(Broker broker, io.warrenmq.engine.Connection engine) {
    this.broker = broker;
    this.engine = engine;
  }

  @Override
  public String id() {
    return engine.id();
  }

  @Override
  public AmqpChannel createChannel() {
    return engine.createChannel();
  }

  @Override
  public boolean claimClientId(String clientId) {
    synchronized (this) {
      if (this.clientId != null) {
        throw new IllegalStateException(
            "connection " + id() + " holds client ID '" + this.clientId + "' already");
      }
      if (!ClientIds.claim(broker, clientId)) {
        return false;
      }
      this.clientId = clientId;
      return true;
    }
  }

  @Override
  public void addCloseListener(CloseListener listener) {
    Objects.requireNonNull(listener, "listener");
    engine.addShutdownListener(listener::closed);
  }

  @Override
  public void addBlockedListener(BlockedListener listener) {
    Objects.requireNonNull(listener, "listener");
    io.warrenmq.client.BlockedListener adapter =
        new io.warrenmq.client.BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            listener.blocked(reason);
          }

          @Override
          public void handleUnblocked() {
            listener.unblocked();
          }
        };
    blockedListeners.put(listener, adapter);
    engine.addBlockedListener(adapter);
  }

  @Override
  public boolean removeBlockedListener(BlockedListener listener) {
    io.warrenmq.client.BlockedListener adapter = blockedListeners.remove(listener);
    return adapter != null && engine.removeBlockedListener(adapter);
  }

  @Override
  public boolean isOpen() {
    return engine.isOpen();
  }

  @Override
  public void close() {
    engine.close();
    String id;
    synchronized (this) {
      id = clientId;
      clientId = null;
    }
    if (id != null) {
      ClientIds.release(broker, id);
    }
  }

  @Override
  public String toString() {
    return engine.toString();
  }
}
