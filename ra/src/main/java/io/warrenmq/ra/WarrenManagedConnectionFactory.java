package io.warrenmq.ra;

import io.warrenmq.client.Passwords;
import io.warrenmq.jms.WarrenConnection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import jakarta.resource.spi.security.PasswordCredential;
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
 * <p>Config properties:
 *
 * <ul>
 *   <li>{@code virtualHost} (String, default empty): the virtual host connections open; empty means
 *       the virtual host of the URL's path (remote) or {@code /} (embedded).
 *   <li>{@code connectionURL} (String, default empty): an {@code amqp://} or {@code amqps://} URL
 *       of a remote broker for this connection definition; empty means the resource adapter's (its
 *       {@code connectionURL}, else the embedded broker).
 *   <li>{@code userName}, {@code password} (String, default empty): the broker login of connections
 *       that get no other; empty means the URL's user (remote; {@code guest} if the URL has none);
 *       the embedded broker checks no login.
 * </ul>
 *
 * <p>Credentials, first found wins: container-managed sign-on (a {@link PasswordCredential} of this
 * factory in the {@link Subject} passed to {@link #createManagedConnection}), application sign-on
 * ({@code createConnection(user, password)}, a {@link WarrenConnectionRequestInfo}), the {@code
 * userName}/{@code password} properties, the URL's user. They reach a remote broker's login only:
 * the embedded broker trusts code in its own JVM and checks none (as before). A refused login fails
 * with a {@link jakarta.resource.spi.SecurityException} naming the user and the broker (URL without
 * password), which the connection factory turns into a {@code JMSSecurityException}.
 *
 * <p>Matching ({@link #matchManagedConnections}): any idle managed connection of this factory with
 * an equal {@link WarrenConnectionRequestInfo} matches.
 *
 * <p>Validation ({@link ValidatingManagedConnectionFactory}): a managed connection is invalid once
 * destroyed, or once the broker dropped its physical connection (the pool is also told then with
 * {@code CONNECTION_ERROR_OCCURRED}). WildFly's recovery plugin {@code
 * ValidatingManagedConnectionFactoryRecoveryPlugin} uses this to keep its recovery managed
 * connection without opening a handle.
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

  private String virtualHost;
  private String connectionURL;
  private String userName;
  private String password;
  private transient WarrenResourceAdapter resourceAdapter;
  private transient PrintWriter logWriter;

  /** A factory with default settings; the container sets the config properties. */
  public WarrenManagedConnectionFactory() {}

  /**
   * The virtual host (config property {@code virtualHost}, default empty: the URL's, else {@code
   * /}).
   */
  public String getVirtualHost() {
    return virtualHost;
  }

  /** Sets {@code virtualHost}. */
  public void setVirtualHost(String virtualHost) {
    this.virtualHost = virtualHost;
  }

  /**
   * {@code connectionURL}: this connection definition's remote broker ({@code amqp://...} or {@code
   * amqps://...}); empty (default) for the resource adapter's broker.
   */
  public String getConnectionURL() {
    return connectionURL;
  }

  /** Sets {@code connectionURL} (also reached as OpenMQ's {@code ConnectionURL}). */
  public void setConnectionURL(String connectionURL) {
    this.connectionURL = connectionURL;
  }

  /** {@code userName}: the default broker login of this connection definition (default empty). */
  public String getUserName() {
    return userName;
  }

  /** Sets {@code userName}. */
  public void setUserName(String userName) {
    this.userName = userName;
  }

  /** {@code password}: the password of {@code userName} (confidential; never logged). */
  public String getPassword() {
    return password;
  }

  /** Sets {@code password}. */
  public void setPassword(String password) {
    this.password = password;
  }

  /** A login: user and password, or both null for the connection URL's (or trusted) login. */
  record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + "]";
    }
  }

  /** Whether connections go over the network (this definition's or the adapter's URL). */
  boolean isRemote() {
    return (connectionURL != null && !connectionURL.isBlank())
        || (resourceAdapter != null && resourceAdapter.isRemote());
  }

  /**
   * The login a request gets; see the class comment for the order. The embedded broker trusts its
   * own JVM: no login (as before remote mode existed), so a container's recovery credentials need
   * not name a broker user.
   */
  Credentials credentials(Subject subject, ConnectionRequestInfo requestInfo) {
    if (!isRemote()) {
      return new Credentials(null, null);
    }
    if (subject != null) {
      for (PasswordCredential pc : subject.getPrivateCredentials(PasswordCredential.class)) {
        if (pc.getManagedConnectionFactory() == null
            || this.equals(pc.getManagedConnectionFactory())) {
          return new Credentials(
              pc.getUserName(), pc.getPassword() == null ? "" : new String(pc.getPassword()));
        }
      }
    }
    if (requestInfo instanceof WarrenConnectionRequestInfo cri && cri.userName() != null) {
      return new Credentials(cri.userName(), cri.password() == null ? "" : cri.password());
    }
    if (userName != null && !userName.isBlank()) {
      return new Credentials(userName, password == null ? "" : password);
    }
    return new Credentials(null, null);
  }

  /** Where connections go, for messages: the URL without password, or the embedded broker. */
  String brokerDescription() {
    String url =
        connectionURL != null && !connectionURL.isBlank()
            ? connectionURL
            : resourceAdapter != null && resourceAdapter.isRemote()
                ? resourceAdapter.getConnectionURL()
                : null;
    return url == null ? "the embedded broker" : Passwords.mask(url.trim());
  }

  /**
   * A new physical connection with {@code login}, outside the pool: what a managed connection's
   * XAResource completes a branch on when its own connection is lost.
   *
   * @throws JMSException if the adapter is not usable or the broker refuses or cannot be reached
   */
  WarrenConnection openPhysical(Credentials login) throws JMSException {
    if (resourceAdapter == null) {
      throw new JMSException("the managed connection factory is not associated with the adapter");
    }
    io.warrenmq.jms.WarrenConnectionFactory cf;
    try {
      cf = resourceAdapter.connectionFactory(connectionURL, virtualHost, 100);
    } catch (ResourceException e) {
      JMSException j = new JMSException(e.getMessage());
      j.initCause(e);
      throw j;
    }
    return login.user() == null
        ? cf.createConnection()
        : cf.createConnection(login.user(), login.password());
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
    Credentials login = credentials(subject, requestInfo);
    WarrenConnection physical;
    try {
      var cf = resourceAdapter.connectionFactory(connectionURL, virtualHost, 100);
      physical =
          login.user() == null
              ? cf.createConnection()
              : cf.createConnection(login.user(), login.password());
    } catch (JMSSecurityException e) {
      jakarta.resource.spi.SecurityException se =
          new jakarta.resource.spi.SecurityException(
              "WarrenMQ at "
                  + brokerDescription()
                  + " refused user '"
                  + (login.user() == null ? "(the URL's user)" : login.user())
                  + "': "
                  + Passwords.mask(e.getMessage()),
              e.getErrorCode());
      se.initCause(e);
      throw se;
    } catch (JMSException e) {
      throw new ResourceAllocationException(
          "cannot open a connection to WarrenMQ at "
              + brokerDescription()
              + ", virtual host '"
              + (virtualHost == null || virtualHost.isBlank() ? "(default)" : virtualHost)
              + "': "
              + Passwords.mask(e.getMessage()),
          e);
    }
    WarrenManagedConnection mc = new WarrenManagedConnection(this, physical, requestInfo, login);
    try {
      mc.watchPhysical();
    } catch (JMSException e) {
      mc.destroy();
      throw new ResourceAllocationException(
          "cannot watch the new connection to WarrenMQ at "
              + brokerDescription()
              + ": "
              + e.getMessage(),
          e);
    }
    return mc;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ManagedConnection matchManagedConnections(
      Set connectionSet, Subject subject, ConnectionRequestInfo requestInfo) {
    Credentials login = credentials(subject, requestInfo);
    for (Object o : connectionSet) {
      if (o instanceof WarrenManagedConnection mc
          && mc.factory() == this
          && Objects.equals(mc.credentials(), login)
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
        && Objects.equals(connectionURL, f.connectionURL)
        && Objects.equals(userName, f.userName)
        && Objects.equals(password, f.password)
        && resourceAdapter == f.resourceAdapter;
  }

  @Override
  public int hashCode() {
    return Objects.hash(virtualHost, connectionURL, userName);
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
