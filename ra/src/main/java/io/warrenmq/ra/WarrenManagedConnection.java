package io.warrenmq.ra;

import io.warrenmq.jms.WarrenConnection;
import io.warrenmq.jms.WarrenSession;
import io.warrenmq.jms.WarrenXAResource;
import io.warrenmq.jms.WarrenXASession;
import jakarta.jms.JMSException;
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
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

/**
 * A pooled physical JMS connection to the broker (Jakarta Connectors 2.1, 6.5.4). Applications see
 * {@link WarrenConnectionHandle}s; closing a handle closes the sessions made through it and tells
 * the pool ({@code CONNECTION_CLOSED}) that this managed connection is free again.
 *
 * <p>Transactions ({@code transaction-support} XATransaction): {@link #getXAResource()} is one
 * {@link XAResource} whose branch covers every session created through this managed connection's
 * handles (see {@link ManagedXAResource}); {@link #getLocalTransaction()} is a container-managed
 * local transaction over the same sessions. A session created while a branch is associated (a JTA
 * transaction, Jakarta Messaging 3.1 section 12.3) is an XA session: the {@code transacted} and
 * {@code acknowledgeMode} arguments are ignored and its work commits or rolls back with the
 * transaction. A session created outside a transaction honours its arguments.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class WarrenManagedConnection implements ManagedConnection {
  private static final System.Logger LOG =
      System.getLogger(WarrenManagedConnection.class.getName());

  private final WarrenManagedConnectionFactory factory;
  private final WarrenConnection physical;
  private final ConnectionRequestInfo requestInfo;
  private final WarrenManagedConnectionFactory.Credentials credentials;
  private final List<WarrenConnectionHandle> handles = new CopyOnWriteArrayList<>();
  private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
  private volatile PrintWriter logWriter;
  private volatile boolean destroyed;
  private volatile boolean broken;
  private final ManagedXAResource xaResource = new ManagedXAResource(this);
  private final List<WarrenXASession> xaSessions = new CopyOnWriteArrayList<>();
  private WarrenXASession control;

  WarrenManagedConnection(
      WarrenManagedConnectionFactory factory,
      WarrenConnection physical,
      ConnectionRequestInfo requestInfo,
      WarrenManagedConnectionFactory.Credentials credentials) {
    this.factory = factory;
    this.physical = physical;
    this.requestInfo = requestInfo;
    this.credentials = credentials;
  }

  /**
   * Watches the physical connection: when the broker drops it (a remote broker restarts, the
   * network fails) this managed connection becomes unusable (the pool's validation and matching
   * skip it) and the pool is told with {@code CONNECTION_ERROR_OCCURRED}, so it opens a new one.
   */
  void watchPhysical() throws JMSException {
    physical.setExceptionListener(
        e -> {
          if (!destroyed && !broken) {
            broken = true;
            connectionErrorOccurred(null, e);
          }
        });
  }

  /** The login this connection was opened with (matching compares it). */
  WarrenManagedConnectionFactory.Credentials credentials() {
    return credentials;
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
    return !destroyed && !broken;
  }

  /**
   * A session for a handle: an XA session's session joined to the associated branch inside a
   * transaction (arguments ignored), else a plain session with the given arguments.
   */
  WarrenSession createSession(boolean transacted, int acknowledgeMode) throws JMSException {
    if (!xaResource.inBranch()) {
      return physical.createSession(transacted, acknowledgeMode);
    }
    WarrenXASession session = physical.createXASession();
    xaSessions.add(session);
    try {
      xaResource.enlist(session);
    } catch (XAException e) {
      xaSessions.remove(session);
      session.close();
      JMSException j =
          new JMSException(
              "cannot enlist the new session in the JTA transaction (XA code "
                  + e.errorCode
                  + "): "
                  + e.getMessage());
      j.initCause(e);
      throw j;
    }
    return session.getSession();
  }

  /** The XA sessions of this managed connection that are still open. */
  List<WarrenXASession> openXaSessions() {
    List<WarrenXASession> open = new java.util.ArrayList<>();
    for (WarrenXASession s : xaSessions) {
      try {
        s.getSession();
        open.add(s);
      } catch (JMSException closed) {
        xaSessions.remove(s);
      }
    }
    return open;
  }

  /**
   * The XAResource of this managed connection's own session, used to complete and recover branches
   * (any resource of the broker can).
   *
   * @throws XAException XAER_RMFAIL if the managed connection is destroyed or the session cannot be
   *     opened
   */
  synchronized WarrenXAResource controlXaResource() throws XAException {
    if (destroyed) {
      XAException e = new XAException("the WarrenMQ managed connection is destroyed");
      e.errorCode = XAException.XAER_RMFAIL;
      throw e;
    }
    if (control == null) {
      try {
        control = physical.createXASession();
      } catch (JMSException j) {
        XAException e = new XAException("cannot open a control session: " + j.getMessage());
        e.errorCode = XAException.XAER_RMFAIL;
        e.initCause(j);
        throw e;
      }
    }
    return control.getXAResource();
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
    xaSessions.clear(); // closed with their handles; an associated one closes at end()
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

  /** The one XAResource of this managed connection; see {@link ManagedXAResource}. */
  @Override
  public XAResource getXAResource() throws ResourceException {
    return xaResource;
  }

  /**
   * A container-managed local transaction over this managed connection's sessions (a one-phase XA
   * branch under a generated Xid); sends no connection events.
   */
  @Override
  public LocalTransaction getLocalTransaction() throws ResourceException {
    return new WarrenLocalTransaction(xaResource);
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
        return credentials.user();
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
