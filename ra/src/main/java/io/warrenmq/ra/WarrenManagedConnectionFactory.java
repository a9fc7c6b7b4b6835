package io.warrenmq.ra;

import io.warrenmq.jms.WarrenConnection;
import jakarta.jms.JMSException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import java.io.PrintWriter;
import java.io.Serializable;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * Outbound connection definition (Jakarta Connectors 2.1, chapter 6): creates the JMS connection
 * factory applications look up ({@link WarrenRaConnectionFactory}, e.g. {@code
 * java:/jms/warren/ConnectionFactory}) and the pooled {@link WarrenManagedConnection}s behind it,
 * each one physical JMS connection to the adapter's broker.
 *
 * <p>Config property {@code virtualHost} (String, default {@code /}): the virtual host connections
 * open.
 *
 * <p>Matching ({@link #matchManagedConnections}): any idle managed connection of this factory with
 * an equal {@link WarrenConnectionRequestInfo} matches.
 *
 * <p>Validation ({@link ValidatingManagedConnectionFactory}): a managed connection is invalid once
 * destroyed. WildFly's recovery plugin {@code ValidatingManagedConnectionFactoryRecoveryPlugin}
 * uses this to keep its recovery managed connection without opening a handle.
 *
 * <p>Thread-safety: thread-safe once configured.
 */
// Not final: Jakarta Connectors 2.1 section 19.3 requires JavaBean classes the container
// instantiates to be non-final, and IronJacamar's archive validation reports final ones.
public class WarrenManagedConnectionFactory
    implements ManagedConnectionFactory,
        ValidatingManagedConnectionFactory,
        ResourceAdapterAssociation,
        Serializable {
  private static final long serialVersionUID = 1L;

  private String virtualHost = "/";
  private transient WarrenResourceAdapter resourceAdapter;
  private transient PrintWriter logWriter;

  /** A factory with default settings; the container sets the config properties. */
  public WarrenManagedConnectionFactory() {}

  /** The virtual host (config property {@code virtualHost}, default {@code /}). */
  public String getVirtualHost() {
    return virtualHost;
  }

  /** Sets {@code virtualHost}. */
  public void setVirtualHost(String virtualHost) {
    this.virtualHost = virtualHost;
  }

  @Override
  public Object createConnectionFactory(ConnectionManager connectionManager) {
    return new WarrenRaConnectionFactory(this, connectionManager);
  }

  /** A connection factory outside a container: every connection is a new managed connection. */
  @Override
  public Object createConnectionFactory() {
    return new WarrenRaConnectionFactory(this, new UnmanagedConnectionManager());
  }

  /**
   * Opens a physical JMS connection to the adapter's broker.
   *
   * @throws ResourceAllocationException with the JMS cause if the broker refuses it
   * @throws ResourceException if the adapter is not associated or not started
   */
  @Override
  public ManagedConnection createManagedConnection(
      Subject subject, ConnectionRequestInfo requestInfo) throws ResourceException {
    if (resourceAdapter == null) {
      throw new ResourceException(
          "the managed connection factory is not associated with the WarrenMQ resource adapter");
    }
    if (virtualHost == null || virtualHost.isEmpty()) {
      throw new ResourceException("config property virtualHost must not be empty (default: /)");
    }
    WarrenConnection physical;
    try {
      physical = resourceAdapter.connectionFactory(virtualHost, 100).createConnection();
    } catch (JMSException e) {
      throw new ResourceAllocationException(
          "cannot open a connection to virtual host '" + virtualHost + "': " + e.getMessage(), e);
    }
    return new WarrenManagedConnection(this, physical, requestInfo);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ManagedConnection matchManagedConnections(
      Set connectionSet, Subject subject, ConnectionRequestInfo requestInfo) {
    for (Object o : connectionSet) {
      if (o instanceof WarrenManagedConnection mc
          && mc.factory() == this
          && Objects.equals(mc.requestInfo(), requestInfo)
          && mc.isUsable()) {
        return mc;
      }
    }
    return null;
  }

  /** The destroyed managed connections among {@code connectionSet}. */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Set getInvalidConnections(Set connectionSet) {
    Set invalid = new java.util.HashSet();
    for (Object o : connectionSet) {
      if (o instanceof WarrenManagedConnection mc && !mc.isUsable()) {
        invalid.add(mc);
      }
    }
    return invalid;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public ResourceAdapter getResourceAdapter() {
    return resourceAdapter;
  }

  /**
   * @throws ResourceException if {@code ra} is not a {@link WarrenResourceAdapter}
   */
  @Override
  public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
    if (!(ra instanceof WarrenResourceAdapter w)) {
      throw new ResourceException(
          "expected a WarrenResourceAdapter, got " + (ra == null ? "null" : ra.getClass()));
    }
    this.resourceAdapter = w;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarrenManagedConnectionFactory f
        && Objects.equals(virtualHost, f.virtualHost)
        && resourceAdapter == f.resourceAdapter;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(virtualHost);
  }

  /** Outside a container: no pooling, each request is a new managed connection. */
  private static final class UnmanagedConnectionManager implements ConnectionManager {
    private static final long serialVersionUID = 1L;

    @Override
    public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo cri)
        throws ResourceException {
      return mcf.createManagedConnection(null, cri).getConnection(null, cri);
    }
  }
}
