package io.warrenmq.jms;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Passwords;
import io.warrenmq.engine.Broker;
import io.warrenmq.jms.internal.InVmBrokers;
import io.warrenmq.jms.internal.InVmTransport;
import io.warrenmq.jms.internal.failover.BrokerList;
import io.warrenmq.jms.internal.failover.FailoverTransport;
import io.warrenmq.jms.internal.failover.ReconnectPolicy;
import io.warrenmq.jms.internal.wire.AmqpUrl;
import io.warrenmq.jms.internal.wire.WireTransport;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.Transport;
import io.warrenmq.jms.spi.TransportConnection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueConnectionFactory;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The provider's connection factory: every connection it creates is a connection of a {@link
 * Transport} to one virtual host of its broker; the transport is in-VM for a {@link Broker} given
 * to the constructor or a {@code vm://} URL ({@link #forUrl}).
 *
 * <p>Credentials: {@code createConnection(user, password)} logs in (RabbitMQ's users and
 * permissions, see {@link Broker#users()}); {@code createConnection()} without URL credentials is
 * the trusted in-VM path.
 *
 * <p>XA (Jakarta Messaging 3.1 chapter 11): it is also an XA connection factory; {@code
 * createXAConnection} gives the same kind of {@link WarrenConnection} (every connection can make
 * {@link WarrenXASession}s) and {@link #createXAContext()} a {@link WarrenXAJMSContext}.
 *
 * <p>Redelivery delay ({@link #withRedeliveryDelay}): a setting for the resource adapter's inbound
 * delivery, not part of the JMS API; by default (0) a rolled-back or recovered message is ready
 * again at once.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class WarrenConnectionFactory
    implements ConnectionFactory,
        QueueConnectionFactory,
        TopicConnectionFactory,
        XAQueueConnectionFactory,
        XATopicConnectionFactory {

  private final Transport transport;
  private final String virtualHost;
  private final Prefetch prefetch;
  private final String clientId;
  private final DeserializationPolicy deserializationPolicy;
  private final String user;
  private final String password;
  private final long redeliveryDelayMs;

  /**
   * A factory for the default virtual host {@code "/"} with a prefetch of 100 messages per
   * consumer.
   */
  public WarrenConnectionFactory(Broker broker) {
    this(broker, "/", 100);
  }

  /**
   * @param broker the in-VM broker, not null
   * @param virtualHost the virtual host connections open, e.g. {@code "/"}
   * @param prefetch how many messages a consumer may hold unacknowledged ({@code basic.qos}),
   *     1-65535; where the broker has byte windows, also at most 1 MiB of bodies
   *     (docs/protocol-prefetch-size.md)
   * @throws IllegalArgumentException if prefetch is outside 1-65535 (the field of {@code
   *     basic.qos})
   */
  public WarrenConnectionFactory(Broker broker, String virtualHost, int prefetch) {
    this(InVmTransport.of(Objects.requireNonNull(broker, "broker")), virtualHost, prefetch);
  }

  /**
   * A factory whose connections are opened by this transport (see {@link
   * io.warrenmq.jms.spi.Transport}), e.g. an in-VM one or a decorator of it.
   *
   * @param transport not null
   * @param virtualHost the virtual host connections open, e.g. {@code "/"}
   * @param prefetch how many messages a consumer may hold unacknowledged ({@code basic.qos}),
   *     1-65535; where the broker has byte windows, also at most 1 MiB of bodies
   *     (docs/protocol-prefetch-size.md)
   * @throws IllegalArgumentException if prefetch is outside 1-65535 (the field of {@code
   *     basic.qos})
   */
  public WarrenConnectionFactory(Transport transport, String virtualHost, int prefetch) {
    this(
        Objects.requireNonNull(transport, "transport"),
        virtualHost,
        Prefetch.of(prefetch),
        null,
        DeserializationPolicy.fromSystem(),
        null,
        null);
  }

  private WarrenConnectionFactory(
      Transport transport,
      String virtualHost,
      Prefetch prefetch,
      String clientId,
      DeserializationPolicy deserializationPolicy,
      String user,
      String password) {
    this.transport = transport;
    this.virtualHost = Objects.requireNonNull(virtualHost, "virtualHost");
    this.prefetch = Objects.requireNonNull(prefetch, "prefetch");
    this.clientId = clientId;
    this.deserializationPolicy = deserializationPolicy;
    this.user = user;
    this.password = password;
    this.redeliveryDelayMs = 0;
  }

  /** A copy of {@code base} with another deserialization policy and redelivery delay. */
  private WarrenConnectionFactory(
      WarrenConnectionFactory base,
      DeserializationPolicy deserializationPolicy,
      long redeliveryDelayMs) {
    this.transport = base.transport;
    this.virtualHost = base.virtualHost;
    this.prefetch = base.prefetch;
    this.clientId = base.clientId;
    this.deserializationPolicy = deserializationPolicy;
    this.user = base.user;
    this.password = base.password;
    this.redeliveryDelayMs = redeliveryDelayMs;
  }

  /**
   * A copy of this factory whose connections deserialize ObjectMessage bodies only of these
   * packages or classes ({@code *} for all; see {@link DeserializationPolicy}).
   *
   * @param allowList package or class names, not null
   */
  public WarrenConnectionFactory withDeserializationAllowList(java.util.List<String> allowList) {
    return new WarrenConnectionFactory(
        this, new DeserializationPolicy(allowList), redeliveryDelayMs);
  }

  /**
   * A copy of this factory whose consumers ask the broker for a redelivery delay: a message a
   * consumer of its connections received comes back to its queue after a failed outcome (session
   * rollback or recover, rollback of the XA transaction that acknowledged it) and is held there
   * this long before it can be delivered again, to any consumer; a message returned by closing the
   * connection, session or consumer comes back at once. Each consumer passes the {@code
   * basic.consume} argument {@code x-redelivery-delay} (see {@link io.warrenmq.engine.Channel});
   * the model is ActiveMQ Artemis' {@code redelivery-delay}.
   *
   * <p>Meant for the resource adapter ({@code WarrenActivationSpec} property {@code
   * redeliveryDelay}); applications set nothing of this through the JMS API.
   *
   * @param delayMs the delay in ms, at least 0; 0 (the default) means none
   * @return the copy; this factory is unchanged
   * @throws IllegalArgumentException if {@code delayMs} is negative
   */
  public WarrenConnectionFactory withRedeliveryDelay(long delayMs) {
    if (delayMs < 0) {
      throw new IllegalArgumentException("redeliveryDelay must be >= 0 ms, was " + delayMs);
    }
    return new WarrenConnectionFactory(this, deserializationPolicy, delayMs);
  }

  /**
   * A copy of this factory whose connections reconnect by themselves after a lost connection, the
   * settings of the URL options {@code reconnectAttempts}, {@code reconnectDelay} and {@code
   * maxReconnectDelay} (README.md "Standalone JMS and JNDI"): attempt n waits {@code min(delayMs *
   * 2^(n-1), maxDelayMs)} ms and goes to the next broker of the URL's list; the {@code
   * ExceptionListener} hears only when the attempts are used up.
   *
   * @param attempts attempts before giving up, -1 for no limit, 0 for no reconnection
   * @param delayMs the wait before the first attempt, ms, at least 0
   * @param maxDelayMs the longest wait between attempts, ms, at least {@code delayMs}
   * @return the copy; this factory is unchanged
   * @throws IllegalArgumentException if a value is out of its range
   * @throws IllegalStateException if this factory does not reach its broker over the wire ({@code
   *     amqp://}, {@code amqps://}): an in-VM connection is not lost
   */
  public WarrenConnectionFactory withReconnect(int attempts, long delayMs, long maxDelayMs) {
    ReconnectPolicy policy = new ReconnectPolicy(attempts, delayMs, maxDelayMs);
    Transport t;
    if (transport instanceof FailoverTransport f) {
      t = new FailoverTransport(f.brokers(), policy, f.brokerName());
    } else if (transport instanceof WireTransport w) {
      t = new FailoverTransport(List.of(w), policy, w.brokerName());
    } else {
      throw new IllegalStateException(
          "reconnection needs an amqp:// or amqps:// factory; this one reaches '"
              + transport.brokerName()
              + "' in-VM");
    }
    return new WarrenConnectionFactory(this, t);
  }

  /** A copy of {@code base} with another transport. */
  private WarrenConnectionFactory(WarrenConnectionFactory base, Transport transport) {
    this.transport = transport;
    this.virtualHost = base.virtualHost;
    this.prefetch = base.prefetch;
    this.clientId = base.clientId;
    this.deserializationPolicy = base.deserializationPolicy;
    this.user = base.user;
    this.password = base.password;
    this.redeliveryDelayMs = base.redeliveryDelayMs;
  }

  /** The redelivery delay of this factory's consumers in ms, 0 for none. */
  public long redeliveryDelayMs() {
    return redeliveryDelayMs;
  }

  /**
   * A factory for a connection URL {@code vm://<broker>[?option=value&...]}: the in-VM broker of
   * that name, started on first use if no such broker runs in this JVM. Options: {@code clientID}
   * (set on every connection), {@code user} and {@code password} (the login of {@code
   * createConnection()}), {@code prefetch} (messages per consumer, default 100), {@code
   * deserializationAllowList} (comma-separated packages ObjectMessage may deserialize, see {@link
   * DeserializationPolicy}), and the store of a broker the URL starts ({@code store}, {@code
   * dataDir}, {@code jdbcUrl}, {@code jdbcUser}, {@code jdbcPassword}, {@code durability}, {@code
   * queueWindowBytes}; README.md "Standalone JMS"). A URL without store options joins the running
   * broker of its name whatever its store; one with store options that differ from those the
   * running broker was started with fails on {@code createConnection} with a {@link JMSException}
   * naming both (passwords masked). See {@link #stopBroker} for the broker's lifetime.
   *
   * @throws JMSException naming what is wrong with the URL (passwords masked)
   */
  public static WarrenConnectionFactory forUrl(String url) throws JMSException {
    if (AmqpUrl.isWireUrl(url)) {
      return forWireUrl(url);
    }
    VmUrl parsed = VmUrl.parse(url);
    if (!inVmEngineAvailable()) {
      throw new JMSException(
          "connection URL "
              + Passwords.mask(url)
              + " names an in-VM broker, but the broker engine is not on the class path: add"
              + " io.warrenmq:broker-engine (and io.warrenmq:persistence for a durable store)");
    }
    return new WarrenConnectionFactory(
        InVmTransport.named(parsed.broker(), parsed.store()),
        "/",
        parsed.prefetch(),
        parsed.clientId(),
        parsed.deserializationAllowList() == null
            ? DeserializationPolicy.fromSystem()
            : DeserializationPolicy.parse(parsed.deserializationAllowList()),
        parsed.user(),
        parsed.user() == null ? null : parsed.password() == null ? "" : parsed.password());
  }

  /**
   * A factory for a broker over the network, WarrenMQ's server or RabbitMQ: {@code
   * amqp://[user[:password]@]host[:port][/vhost][?options]} or {@code amqps://...} (TLS). The
   * default port is 5672 ({@code amqp}) or 5671 ({@code amqps}); the virtual host is the
   * percent-decoded path ({@code %2F} for {@code /}, the default when there is no path); user and
   * password are percent-decoded and are the login of {@code createConnection()} (default {@code
   * guest}/{@code guest}, as RabbitMQ's clients). Options: {@code clientID}, {@code prefetch},
   * {@code deserializationAllowList} (as for {@code vm://}), {@code connectTimeout} (ms, default
   * 10000), {@code requestTimeout} (ms, default 30000), {@code heartbeat} (s, default 60, 0 for
   * none), and for {@code amqps} {@code trustStore}, {@code trustStorePassword}, {@code
   * trustStoreType} (default PKCS12), {@code keyStore}, {@code keyStorePassword}, {@code
   * keyStoreType} and {@code verifyHost} (default true). README.md "Standalone JMS and JNDI".
   *
   * <p>Several brokers, {@code amqp://user:pw@host1:port1,host2:port2/vhost?options}, share the
   * login, virtual host and options; the first that answers is used, and a lost connection is
   * opened again by itself ({@code reconnectAttempts}, default 20 for a list and 0 for one broker,
   * -1 for forever; {@code reconnectDelay}, ms, default 100, doubling up to {@code
   * maxReconnectDelay}, ms, default 5000): the application keeps its connection, sessions and
   * consumers, and the {@code ExceptionListener} hears only when reconnection gives up. What is in
   * flight at the loss: see {@link io.warrenmq.jms.spi.RecoverableChannel} and README.md.
   *
   * <p>Against a broker without WarrenMQ's extensions (RabbitMQ), selectors and XA sessions fail
   * when created, with a JMSException naming the missing capability ({@code warrenmq.selectors},
   * {@code warrenmq.dtx}); {@code QueueBrowser} is not available over the wire.
   *
   * @throws JMSException naming what is wrong with the URL (passwords masked)
   */
  private static WarrenConnectionFactory forWireUrl(String url) throws JMSException {
    AmqpUrl parsed;
    Transport transport;
    try {
      List<AmqpUrl> brokers = new ArrayList<>();
      for (String one : BrokerList.split(url)) {
        brokers.add(AmqpUrl.parse(one));
      }
      parsed = brokers.get(0);
      ReconnectPolicy policy = ReconnectPolicy.of(parsed.options(), brokers.size(), url);
      if (policy.enabled()) {
        List<WireTransport> transports = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (AmqpUrl b : brokers) {
          transports.add(WireTransport.of(b));
          name.append(name.length() == 0 ? "" : ",").append(b);
        }
        transport = new FailoverTransport(transports, policy, name.toString());
      } else {
        transport = WireTransport.of(parsed);
      }
    } catch (IllegalArgumentException e) {
      JMSException jmse = new JMSException(Passwords.mask(e.getMessage()));
      jmse.initCause(e);
      throw jmse;
    }
    Prefetch prefetch = Prefetch.fromUrlOptions(parsed.options(), parsed.toString(), 0);
    String allow = parsed.options().get("deserializationAllowList");
    return new WarrenConnectionFactory(
        transport,
        parsed.virtualHost(),
        prefetch,
        parsed.options().get("clientID"),
        allow == null ? DeserializationPolicy.fromSystem() : DeserializationPolicy.parse(allow),
        parsed.user() == null ? "guest" : parsed.user(),
        parsed.user() == null ? "guest" : parsed.password() == null ? "" : parsed.password());
  }

  /**
   * Stops the in-VM broker that {@code vm://<brokerName>} URLs started in this JVM: its connections
   * are closed (their {@code ExceptionListener}s are told), its store finishes its last group
   * commit and records a clean shutdown, and its threads end before this returns. The next {@code
   * vm://<brokerName>} connection starts a new broker, which recovers what the store holds.
   *
   * <p>Closing the last connection of such a broker does not stop it (as ActiveMQ Artemis' in-VM
   * acceptor); a JVM shutdown hook stops every one still running when the JVM exits normally
   * ({@code System.exit}, the end of {@code main}, SIGTERM), so a message acknowledged just before
   * the exit stays acknowledged. Call this to stop one earlier, e.g. before deleting its data
   * directory or when a container undeploys the application. Brokers an application made itself
   * ({@link #WarrenConnectionFactory(Broker)}) are closed with {@link Broker#close()}, not here.
   *
   * <p>Thread-safety: may be called from any thread, not from a message listener or completion
   * listener of that broker's connections (the broker's close waits for its dispatch threads).
   *
   * @param brokerName the {@code <broker>} part of the URL
   * @return whether a broker of that name was running
   */
  public static boolean stopBroker(String brokerName) {
    // without the engine no in-VM broker can be running
    return inVmEngineAvailable() && InVmBrokers.stop(brokerName);
  }

  /**
   * Whether the broker engine, needed by the in-VM transport alone, is on this class path: it is an
   * optional dependency (module-info: {@code requires static}), absent from a remote client's class
   * path. Looked up without initializing anything.
   */
  private static boolean inVmEngineAvailable() {
    try {
      Class.forName(
          "io.warrenmq.engine.Broker", false, WarrenConnectionFactory.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Opens a connection in the stopped state (Jakarta Messaging 6.1.5), with the URL's client ID if
   * it has one. With the URL's {@code user} and {@code password} it authenticates as {@link
   * #createConnection(String, String)} does; without them it is the trusted in-VM path (no login),
   * as for code running in the broker's own JVM.
   *
   * @throws JMSSecurityException if the URL's credentials are refused
   * @throws JMSException if the broker refuses the connection (closed broker, unknown virtual
   *     host), with the AMQP reply code as error code
   */
  @Override
  public WarrenConnection createConnection() throws JMSException {
    return open(user, password);
  }

  /**
   * Opens a connection as this user: the broker checks the password and the user's permission on
   * the virtual host (RabbitMQ's access control; the default user is {@code guest}/{@code guest}).
   *
   * @throws JMSSecurityException for a wrong user or password (AMQP 403 ACCESS_REFUSED) or a
   *     virtual host the user may not use (530 NOT_ALLOWED), with the broker's reply text
   */
  @Override
  public WarrenConnection createConnection(String userName, String password) throws JMSException {
    return open(userName == null ? "" : userName, password == null ? "" : password);
  }

  private WarrenConnection open(String userName, String secret) throws JMSException {
    String brokerName = transport.brokerName();
    TransportConnection tc;
    try {
      tc = transport.connect(new ConnectionInfo(virtualHost, userName, secret, clientId));
    } catch (AmqpException e) {
      if (userName != null
          && (e.replyCode() == io.warrenmq.client.ReplyCode.ACCESS_REFUSED
              || e.replyCode() == io.warrenmq.client.ReplyCode.NOT_ALLOWED)) {
        JMSSecurityException se =
            new JMSSecurityException(
                "broker '" + brokerName + "' refused user '" + userName + "': " + e.getMessage(),
                Integer.toString(e.replyCode().code()));
        se.initCause(e);
        se.setLinkedException(e);
        throw se;
      }
      throw JmsExceptions.from("connect to broker '" + brokerName + "'", e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      JMSException jmse =
          new JMSException(
              (transport instanceof WireTransport || transport instanceof FailoverTransport
                      ? "cannot connect to broker '"
                      : "cannot start broker '")
                  + brokerName
                  + "': "
                  + io.warrenmq.client.Passwords.mask(e.getMessage()));
      jmse.initCause(e);
      jmse.setLinkedException(e);
      throw jmse;
    }
    WarrenConnection connection =
        new WarrenConnection(transport, tc, prefetch, deserializationPolicy, redeliveryDelayMs);
    if (clientId != null) {
      try {
        connection.setClientID(clientId);
      } catch (JMSException e) {
        connection.close();
        throw e;
      }
    }
    return connection;
  }

  @Override
  public QueueConnection createQueueConnection() throws JMSException {
    return createConnection();
  }

  @Override
  public QueueConnection createQueueConnection(String userName, String password)
      throws JMSException {
    return createConnection(userName, password);
  }

  @Override
  public TopicConnection createTopicConnection() throws JMSException {
    return createConnection();
  }

  @Override
  public TopicConnection createTopicConnection(String userName, String password)
      throws JMSException {
    return createConnection(userName, password);
  }

  /**
   * A {@link JMSContext} in AUTO_ACKNOWLEDGE mode on a new connection (Jakarta Messaging 3.1, 6.3).
   *
   * @throws JMSRuntimeException if the connection cannot be made
   */
  @Override
  public JMSContext createContext() {
    return createContext(JMSContext.AUTO_ACKNOWLEDGE);
  }

  @Override
  public JMSContext createContext(String userName, String password) {
    return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
  }

  /**
   * @throws jakarta.jms.JMSSecurityRuntimeException if the credentials are refused
   */
  @Override
  public JMSContext createContext(String userName, String password, int sessionMode) {
    WarrenJMSContext.checkSessionMode(sessionMode);
    try {
      return new WarrenJMSContext(createConnection(userName, password), sessionMode);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  /**
   * @param sessionMode one of JMSContext's four session modes
   * @throws JMSRuntimeException for another mode or if the connection cannot be made
   */
  @Override
  public JMSContext createContext(int sessionMode) {
    WarrenJMSContext.checkSessionMode(sessionMode);
    try {
      return new WarrenJMSContext(createConnection(), sessionMode);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  /**
   * A connection that can create XA sessions (every {@link WarrenConnection} can).
   *
   * @throws JMSException as {@link #createConnection()}
   */
  @Override
  public WarrenConnection createXAConnection() throws JMSException {
    return createConnection();
  }

  /**
   * As {@link #createXAConnection()}, logging in as this user.
   *
   * @throws JMSSecurityException as {@link #createConnection(String, String)}
   */
  @Override
  public WarrenConnection createXAConnection(String userName, String password) throws JMSException {
    return createConnection(userName, password);
  }

  /** As {@link #createXAConnection()}. */
  @Override
  public XAQueueConnection createXAQueueConnection() throws JMSException {
    return createXAConnection();
  }

  /** As {@link #createXAConnection(String, String)}. */
  @Override
  public XAQueueConnection createXAQueueConnection(String userName, String password)
      throws JMSException {
    return createXAConnection(userName, password);
  }

  /** As {@link #createXAConnection()}. */
  @Override
  public XATopicConnection createXATopicConnection() throws JMSException {
    return createXAConnection();
  }

  /** As {@link #createXAConnection(String, String)}. */
  @Override
  public XATopicConnection createXATopicConnection(String userName, String password)
      throws JMSException {
    return createXAConnection(userName, password);
  }

  /**
   * An XA context on a new connection ({@link WarrenXAJMSContext}).
   *
   * @throws JMSRuntimeException if the connection cannot be made
   */
  @Override
  public XAJMSContext createXAContext() {
    return xaContext(this::createConnection);
  }

  /**
   * As {@link #createXAContext()}, logging in as this user.
   *
   * @throws jakarta.jms.JMSSecurityRuntimeException if the credentials are refused
   */
  @Override
  public XAJMSContext createXAContext(String userName, String password) {
    return xaContext(() -> createConnection(userName, password));
  }

  private interface Opener {
    WarrenConnection open() throws JMSException;
  }

  private static XAJMSContext xaContext(Opener opener) {
    WarrenConnection connection = null;
    try {
      connection = opener.open();
      return new WarrenXAJMSContext(connection);
    } catch (JMSException e) {
      if (connection != null) {
        try {
          connection.close();
        } catch (JMSException ignored) {
          // the original failure is reported
        }
      }
      throw JmsExceptions.unchecked(e);
    }
  }
}
