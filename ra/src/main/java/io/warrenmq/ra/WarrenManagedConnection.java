package io.warrenmq.ra;

import io.warrenmq.jms.WarrenConnection;
import jakarta.jms.JMSException;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * A pooled physical JMS connection to the broker (Jakarta Connectors 2.1, 6.5.4). Applications see
 * {@link WarrenConnectionHandle}s; closing a handle closes the sessions made through it and tells
 * the pool ({@code CONNECTION_CLOSED}) that this managed connection is free again.
 *
 * <p>Transactions: this version supports none ({@code transaction-support} NoTransaction); {@link
 * #getXAResource()} and {@link #getLocalTransaction()} throw {@link NotSupportedException} until
 * the XA issue lands.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class WarrenManagedConnection implements ManagedConnection {
  private static final System.Logger LOG =
      System.getLogger(WarrenManagedConnection.class.getName());

  private final WarrenManagedConnectionFactory factory;
  private final WarrenConnection physical;
  private final ConnectionRequestInfo requestInfo;
  private final List<WarrenConnectionHandle> handles = new CopyOnWriteArrayList<>();
  private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
  private volatile PrintWriter logWriter;
  private volatile boolean destroyed;

  WarrenManagedConnection(
      WarrenManagedConnectionFactory factory,
      WarrenConnection physical,
      ConnectionRequestInfo requestInfo) {
    this.factory = factory;
    this.physical = physical;
    this.requestInfo = requestInfo;
  }

  WarrenManagedConnectionFactory factory() {
    return factory;
  }

  ConnectionRequestInfo requestInfo() {
    return requestInfo;
  }

  WarrenConnection physical() {
    return physical;
  }

  boolean isUsable() {
    return !destroyed;
  }

  /** A new application handle on this physical connection. */
  @Override
  public Object getConnection(Subject subject, ConnectionRequestInfo cri) throws ResourceException {
    if (destroyed) {
      throw new jakarta.resource.spi.IllegalStateException("the managed connection is destroyed");
    }
    WarrenConnectionHandle handle = new WarrenConnectionHandle(this);
    handles.add(handle);
    return handle;
  }

  /** Moves a handle to this managed connection (connection sharing, Connectors 6.5.4.4). */
  @Override
  public void associateConnection(Object connection) throws ResourceException {
    if (!(connection instanceof WarrenConnectionHandle handle)) {
      throw new ResourceException(
          "cannot associate " + (connection == null ? "null" : connection.getClass().getName()));
    }
    WarrenManagedConnection previous = handle.reassociate(this);
    if (previous != null) {
      previous.handles.remove(handle);
    }
    handles.add(handle);
  }

  /**
   * Invalidates every handle and closes the sessions made through them, so the next user starts
   * clean; the physical connection stays open in the pool.
   */
  @Override
  public void cleanup() throws ResourceException {
    for (WarrenConnectionHandle h : handles) {
      h.invalidate();
    }
    handles.clear();
    try {
      physical.stop();
    } catch (JMSException e) {
      throw new ResourceException("cannot reset the pooled connection: " + e.getMessage(), e);
    }
  }

  /** Closes the physical connection. */
  @Override
  public void destroy() throws ResourceException {
    destroyed = true;
    for (WarrenConnectionHandle h : handles) {
      h.invalidate();
    }
    handles.clear();
    try {
      physical.close();
    } catch (JMSException e) {
      throw new ResourceException("cannot close the physical connection: " + e.getMessage(), e);
    }
  }

  /** Called by a handle's {@code close()}. */
  void handleClosed(WarrenConnectionHandle handle) {
    handles.remove(handle);
    ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
    event.setConnectionHandle(handle);
    for (ConnectionEventListener l : listeners) {
      l.connectionClosed(event);
    }
  }

  /** Tells the pool that this connection is broken and must not be reused. */
  void connectionErrorOccurred(WarrenConnectionHandle handle, Exception cause) {
    LOG.log(Level.WARNING, "WarrenMQ pooled connection failed; the pool will discard it", cause);
    ConnectionEvent event =
        new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause);
    event.setConnectionHandle(handle);
    for (ConnectionEventListener l : listeners) {
      l.connectionErrorOccurred(event);
    }
  }

  @Override
  public void addConnectionEventListener(ConnectionEventListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeConnectionEventListener(ConnectionEventListener listener) {
    listeners.remove(listener);
  }

  /**
   * @throws NotSupportedException always in this version (NoTransaction)
   */
  @Override
  public XAResource getXAResource() throws ResourceException {
    throw new NotSupportedException(
        "XA transactions are not supported by this version of WarrenMQ; configure the"
            + " connection definition with transaction-support NoTransaction");
  }

  /**
   * @throws NotSupportedException always in this version (NoTransaction)
   */
  @Override
  public LocalTransaction getLocalTransaction() throws ResourceException {
    throw new NotSupportedException(
        "resource-local transactions are not supported by this version of WarrenMQ; use a"
            + " transacted JMS session");
  }

  @Override
  public ManagedConnectionMetaData getMetaData() {
    return new ManagedConnectionMetaData() {
      @Override
      public String getEISProductName() {
        return "WarrenMQ";
      }

      @Override
      public String getEISProductVersion() {
        return "0.1";
      }

      @Override
      public int getMaxConnections() {
        return 0;
      }

      @Override
      public String getUserName() {
        return requestInfo instanceof WarrenConnectionRequestInfo cri ? cri.userName() : null;
      }
    };
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }
}
