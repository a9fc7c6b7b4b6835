package io.warrenmq.ra;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.ra.internal.EndpointActivation;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.Serializable;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAResource;

/**
 * The WarrenMQ resource adapter (Jakarta Connectors 2.1, chapter 5): {@link #start} starts the
 * embedded {@link Broker}, {@link #stop} stops it and every endpoint activation, so that no thread
 * of the adapter outlives its undeployment.
 *
 * <p>Config properties (ra.xml; WildFly {@code resource-adapters} subsystem {@code
 * config-properties}):
 *
 * <ul>
 *   <li>{@code brokerName} (String, default {@code warren}): the embedded broker's name, used in
 *       thread names ({@code warren-dispatch-<brokerName>-N}).
 *   <li>{@code dispatchThreads} (Integer, default 4, at least 1): threads that push messages to
 *       consumers.
 *   <li>{@code queueWindowBytes} (Long, bytes, default 16777216 = 16 MiB, at least 1): the ready
 *       message bodies a durable queue keeps in heap; beyond it the queue pages its persistent
 *       messages to the store and reads them back as consumers drain it (see {@link
 *       BrokerConfig#queueWindowBytes()}).
 *   <li>{@code jmx} (Boolean, default true): whether the broker registers its JMX MBeans in the
 *       platform MBean server, one {@link io.warrenmq.engine.QueueControlMXBean} per queue
 *       (ActiveMQ Artemis' queue operations: count, list, remove, move, retry messages, pause,
 *       resume) and a {@link io.warrenmq.engine.BrokerControlMXBean}. On by default: inside an app
 *       server JMX is the adapter's only management route (WildFly reaches Artemis through its
 *       management model instead, and leaves Artemis' own MBeans off by default with {@code
 *       jmx-management-enabled}; WarrenMQ has no subsystem, so its MBeans take that place).
 *   <li>{@code deserializationAllowList} (String, default empty = the JMS provider's built-in
 *       list): comma-separated packages whose ObjectMessage bodies may be deserialized; {@code *}
 *       for all.
 *   <li>{@code managementPort} (Integer, TCP port, default 0 = off): serves the embedded broker's
 *       RabbitMQ-compatible management HTTP API ({@code /api/...}, HTTP basic authentication
 *       against the broker's users) and Prometheus' {@code /metrics} and {@code
 *       /metrics/per-object} (no authentication), as the standalone server's {@code
 *       management.tcp.port} (https://www.rabbitmq.com/docs/management, .../prometheus).
 *   <li>{@code managementHost} (String, default {@code 127.0.0.1}): the address the management and
 *       Prometheus listeners bind ({@code management.tcp.ip}); {@code 0.0.0.0} for every interface.
 *   <li>{@code prometheusPort} (Integer, TCP port, default 0 = off): {@code /metrics} alone on a
 *       port of its own, as RabbitMQ's {@code prometheus.tcp.port}.
 * </ul>
 *
 * The HTTP listeners run only with the embedded broker: with {@code connectionURL} set the adapter
 * ignores {@code managementPort} and {@code prometheusPort} and logs a WARNING (the remote broker
 * serves its own). A port that cannot be bound fails {@link #start}, naming host and port.
 *
 * <p>Invalid values fail {@link #start} with a {@link ResourceAdapterInternalException} naming the
 * property.
 *
 * <p>Remote broker: config property {@code connectionURL} (String, default empty; OpenMQ's spelling
 * {@code ConnectionURL} sets the same property). Empty: the adapter starts the embedded broker with
 * the store properties above. {@code amqp://[user[:password]@]host[:port][/vhost][?options]} or
 * {@code amqps://...} (the syntax of {@link io.warrenmq.jms.WarrenConnectionFactory#forUrl}): the
 * adapter starts no broker and no store, and every connection it makes (outbound managed
 * connections, inbound activations, XA recovery) goes over the network to that broker. {@link
 * #start} checks only the URL's syntax (a broker that is down while the server boots does not fail
 * the deployment); the first connection fails within the URL's {@code connectTimeout} (default 10
 * s; a refused port at once) with an error naming the URL (password masked) and the cause. A
 * connection definition ({@link WarrenManagedConnectionFactory#setConnectionURL}) or an activation
 * ({@link WarrenActivationSpec#setConnectionURL}) with its own {@code connectionURL} wins over the
 * adapter's.
 *
 * <p>Inbound: {@link #endpointActivation} accepts a {@link WarrenActivationSpec} and delivers
 * through the {@code WorkManager} (see {@link EndpointActivation}). Outbound: see {@link
 * WarrenManagedConnectionFactory}. XA recovery: the broker keeps prepared branches in its store
 * across restarts; the container finds them through the outbound connection definition's recovery
 * (a managed connection's {@code XAResource.recover}; WildFly needs recovery credentials on the
 * connection definition, which WarrenMQ ignores) and, for message endpoints, through {@link
 * #getXAResources}.
 *
 * <p>Thread-safety: the container calls the lifecycle methods; activation and deactivation may run
 * concurrently and are safe.
 */
// Not final: Jakarta Connectors 2.1 section 19.3 requires JavaBean classes the container
// instantiates to be non-final, and IronJacamar's archive validation reports final ones.
public class WarrenResourceAdapter implements ResourceAdapter, Serializable {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(WarrenResourceAdapter.class.getName());

  private String brokerName = "warren";
  private Integer dispatchThreads = 4;
  private Long queueWindowBytes = BrokerConfig.DEFAULT_QUEUE_WINDOW_BYTES;
  private Boolean jmx = Boolean.TRUE;
  private String deserializationAllowList;
  private String store = "jdbc";
  private String dataDir;
  private String jdbcUrl;
  private String jdbcUser;
  private String jdbcPassword;
  private String durability = "POWER_LOSS";
  private String loadDefinitions;
  private String connectionURL;
  private Integer managementPort = 0;
  private String managementHost = DEFAULT_MANAGEMENT_HOST;
  private Integer prometheusPort = 0;

  /** The default of {@code managementHost}: loopback only. */
  static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";

  private transient volatile Broker broker;
  private transient volatile io.warrenmq.ra.internal.HttpListeners httpListeners;
  private transient volatile BootstrapContext bootstrapContext;

  /** XA recovery: one connection per broker URL (null key: the adapter's own broker). */
  private final transient Map<String, io.warrenmq.jms.WarrenConnection> recoveryConnections =
      new java.util.HashMap<>();

  /** Opened when {@link #start} ends (well or not); see {@link #broker()}. */
  private final transient java.util.concurrent.CountDownLatch startEnded =
      new java.util.concurrent.CountDownLatch(1);

  private transient volatile boolean stopped;

  /** How long {@link #broker()} waits for a {@link #start} in progress, in seconds. */
  private static final long START_WAIT_SECONDS = 60;

  private final transient Map<String, XAResource> recoveryResources = new java.util.HashMap<>();
  private final transient Map<ActivationKey, EndpointActivation> activations =
      new ConcurrentHashMap<>();

  private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {}

  /** Creates the adapter with default settings; the container sets the config properties. */
  public WarrenResourceAdapter() {}

  /** The embedded broker's name (config property {@code brokerName}, default {@code warren}). */
  public String getBrokerName() {
    return brokerName;
  }

  /** Sets {@code brokerName}. */
  public void setBrokerName(String brokerName) {
    this.brokerName = brokerName;
  }

  /** Dispatch threads of the broker (config property {@code dispatchThreads}, default 4). */
  public Integer getDispatchThreads() {
    return dispatchThreads;
  }

  /** Sets {@code dispatchThreads}. */
  public void setDispatchThreads(Integer dispatchThreads) {
    this.dispatchThreads = dispatchThreads;
  }

  /**
   * Body bytes of ready messages a durable queue keeps in heap before it pages (config property
   * {@code queueWindowBytes}, default 16777216 = 16 MiB, at least 1).
   */
  public Long getQueueWindowBytes() {
    return queueWindowBytes;
  }

  /** Sets {@code queueWindowBytes}. */
  public void setQueueWindowBytes(Long queueWindowBytes) {
    this.queueWindowBytes = queueWindowBytes;
  }

  /**
   * Whether the broker registers its JMX MBeans (config property {@code jmx}, default true; see the
   * class comment).
   */
  public Boolean getJmx() {
    return jmx;
  }

  /** Sets {@code jmx}; null means the default, true. */
  public void setJmx(Boolean jmx) {
    this.jmx = jmx;
  }

  /**
   * Packages (or classes) whose ObjectMessage bodies the adapter's connections may deserialize,
   * comma-separated; {@code *} for all (config property {@code deserializationAllowList}, default:
   * the JMS provider's built-in list of JDK packages).
   */
  public String getDeserializationAllowList() {
    return deserializationAllowList;
  }

  /** Sets {@code deserializationAllowList}. */
  public void setDeserializationAllowList(String deserializationAllowList) {
    this.deserializationAllowList = deserializationAllowList;
  }

  /** {@code store}: {@code jdbc} (default, the JDBC store) or {@code memory} (nothing durable). */
  public String getStore() {
    return store;
  }

  public void setStore(String store) {
    this.store = store;
  }

  /**
   * {@code dataDir}: directory of the default H2 store; default {@code
   * ${jboss.server.data.dir}/warrenmq} on WildFly, {@code ${com.sun.aas.instanceRoot}/warrenmq}
   * (the domain directory) on Payara, {@code ./warrenmq-data} elsewhere.
   */
  public String getDataDir() {
    return dataDir;
  }

  public void setDataDir(String dataDir) {
    this.dataDir = dataDir;
  }

  /** {@code jdbcUrl}: a database instead of the H2 default, e.g. {@code jdbc:postgresql://...}. */
  public String getJdbcUrl() {
    return jdbcUrl;
  }

  public void setJdbcUrl(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  /** {@code jdbcUser}: the database user for {@code jdbcUrl}. */
  public String getJdbcUser() {
    return jdbcUser;
  }

  public void setJdbcUser(String jdbcUser) {
    this.jdbcUser = jdbcUser;
  }

  /** {@code jdbcPassword}: the database password for {@code jdbcUrl}. */
  public String getJdbcPassword() {
    return jdbcPassword;
  }

  public void setJdbcPassword(String jdbcPassword) {
    this.jdbcPassword = jdbcPassword;
  }

  /**
   * {@code durability} (String): {@code POWER_LOSS} (default: each confirmed commit fsynced before
   * a send, commit or ack returns), or {@code PROCESS_CRASH} (opt-in: committed to the OS only; a
   * power loss or OS crash can lose the last ~30 s of confirmed work). Prepared XA branches are
   * fsynced either way. See {@code io.warrenmq.store.jdbc.JdbcStoreConfig.Durability}.
   */
  public String getDurability() {
    return durability;
  }

  public void setDurability(String durability) {
    this.durability = durability;
  }

  /**
   * Definitions imported at every start (config property {@code loadDefinitions}, RabbitMQ's {@code
   * load_definitions}, https://www.rabbitmq.com/docs/definitions): a RabbitMQ definitions file
   * ({@code rabbitmqctl export_definitions}, {@code GET /api/definitions}) or a directory of {@code
   * *.json} files imported in name order. Users, virtual hosts, permissions, exchanges, queues with
   * their arguments (dead-lettering, TTL, max-length) and bindings apply on top of what the store
   * holds; a JMS queue of the same name then uses the queue as declared there. Empty (the default):
   * nothing is imported.
   */
  public String getLoadDefinitions() {
    return loadDefinitions;
  }

  public void setLoadDefinitions(String loadDefinitions) {
    this.loadDefinitions = loadDefinitions;
  }

  /**
   * Imports {@link #loadDefinitions} into the started broker.
   *
   * @throws ResourceAdapterInternalException naming the property, the file and, for a refused
   *     entry, the entry and the reply code
   */
  private void importDefinitions(Broker b) throws ResourceAdapterInternalException {
    if (loadDefinitions == null || loadDefinitions.isBlank()) {
      return;
    }
    java.nio.file.Path path = java.nio.file.Path.of(loadDefinitions.trim());
    java.util.List<java.nio.file.Path> files;
    try {
      files = io.warrenmq.store.jdbc.Definitions.files(path);
    } catch (java.io.IOException e) {
      throw new ResourceAdapterInternalException(
          "config property loadDefinitions: " + path + " cannot be read: " + e, e);
    }
    for (java.nio.file.Path file : files) {
      try {
        io.warrenmq.store.jdbc.Definitions.importFile(b, file);
      } catch (java.io.IOException | io.warrenmq.client.AmqpException e) {
        throw new ResourceAdapterInternalException(
            "config property loadDefinitions: "
                + file
                + ": "
                + (e instanceof io.warrenmq.client.AmqpException a
                    ? a.replyCode().code() + " " + a.getMessage()
                    : e.toString()),
            e);
      }
      LOG.log(Level.INFO, "WarrenMQ definitions imported from {0}", file);
    }
  }

  /**
   * {@code connectionURL}: the remote broker's {@code amqp://} or {@code amqps://} URL; empty or
   * null (the default) for the embedded broker. See the class comment.
   */
  public String getConnectionURL() {
    return connectionURL;
  }

  /** Sets {@code connectionURL} (also reached as OpenMQ's {@code ConnectionURL}). */
  public void setConnectionURL(String connectionURL) {
    this.connectionURL = connectionURL;
  }

  /**
   * {@code managementPort}: the TCP port of the embedded broker's management HTTP API and {@code
   * /metrics}; 0 (the default) or null: off. See the class comment.
   */
  public Integer getManagementPort() {
    return managementPort;
  }

  /** Sets {@code managementPort}; null means 0 (off). */
  public void setManagementPort(Integer managementPort) {
    this.managementPort = managementPort;
  }

  /**
   * {@code managementHost}: the address the management and Prometheus listeners bind (default
   * {@code 127.0.0.1}).
   */
  public String getManagementHost() {
    return managementHost;
  }

  /** Sets {@code managementHost}; null or blank means {@code 127.0.0.1}. */
  public void setManagementHost(String managementHost) {
    this.managementHost = managementHost;
  }

  /**
   * {@code prometheusPort}: the TCP port of a listener that serves only {@code /metrics} and {@code
   * /metrics/per-object}; 0 (the default) or null: off.
   */
  public Integer getPrometheusPort() {
    return prometheusPort;
  }

  /** Sets {@code prometheusPort}; null means 0 (off). */
  public void setPrometheusPort(Integer prometheusPort) {
    this.prometheusPort = prometheusPort;
  }

  /**
   * The bound port of the management HTTP API, or 0 when it is off (or the adapter is not started).
   */
  public int managementListenerPort() {
    io.warrenmq.ra.internal.HttpListeners l = httpListeners;
    return l == null ? 0 : l.managementPort();
  }

  /** The bound port of the metrics-only listener, or 0 when it is off (or not started). */
  public int prometheusListenerPort() {
    io.warrenmq.ra.internal.HttpListeners l = httpListeners;
    return l == null ? 0 : l.prometheusPort();
  }

  private static int port(String property, Integer value) throws ResourceAdapterInternalException {
    int port = value == null ? 0 : value;
    if (port < 0 || port > 65535) {
      throw new ResourceAdapterInternalException(
          "config property " + property + " must be 0 (off) or a TCP port 1..65535, was " + port);
    }
    return port;
  }

  /**
   * Starts the management and Prometheus listeners on {@code b} when their ports are set.
   *
   * @throws ResourceAdapterInternalException naming host and port if one cannot be bound
   */
  private void startHttpListeners(Broker b) throws ResourceAdapterInternalException {
    int api = port("managementPort", managementPort);
    int metrics = port("prometheusPort", prometheusPort);
    if (api == 0 && metrics == 0) {
      return;
    }
    String host =
        managementHost == null || managementHost.isBlank()
            ? DEFAULT_MANAGEMENT_HOST
            : managementHost.trim();
    String version = WarrenResourceAdapter.class.getPackage().getImplementationVersion();
    try {
      httpListeners =
          io.warrenmq.ra.internal.HttpListeners.start(
              b, host, api, metrics, version == null ? "0.1" : version);
    } catch (IllegalArgumentException e) {
      throw new ResourceAdapterInternalException(e.getMessage(), e);
    } catch (RuntimeException | LinkageError e) {
      // e.g. a class the HTTP server needs that the application server hides from the .rar
      throw new ResourceAdapterInternalException(
          "config properties managementPort / prometheusPort: cannot start the HTTP listener on "
              + host
              + " ("
              + e
              + ")",
          e);
    }
    if (api != 0) {
      LOG.log(
          Level.INFO,
          "WarrenMQ management API on http://{0}:{1,number,#}/api/ (Prometheus: /metrics)",
          host,
          httpListeners.managementPort());
    }
    if (metrics != 0) {
      LOG.log(
          Level.INFO,
          "WarrenMQ Prometheus metrics on http://{0}:{1,number,#}/metrics",
          host,
          httpListeners.prometheusPort());
    }
  }

  /** Whether this adapter uses a remote broker ({@code connectionURL} set) instead of its own. */
  public boolean isRemote() {
    return connectionURL != null && !connectionURL.isBlank();
  }

  /**
   * The store the config properties describe.
   *
   * @throws ResourceAdapterInternalException naming the wrong property, with the cause
   */
  private io.warrenmq.engine.MessageStore openStore() throws ResourceAdapterInternalException {
    if ("memory".equals(store)) {
      return io.warrenmq.engine.MessageStore.NONE;
    }
    if (!"jdbc".equals(store)) {
      throw new ResourceAdapterInternalException(
          "config property store is '" + store + "'; allowed: jdbc, memory");
    }
    java.util.Map<String, String> settings = new java.util.HashMap<>();
    if (jdbcUrl != null && !jdbcUrl.isBlank()) {
      settings.put("jdbcUrl", jdbcUrl);
      settings.put("jdbcUser", jdbcUser);
      settings.put("jdbcPassword", jdbcPassword);
    } else {
      settings.put("dataDir", dataDir != null && !dataDir.isBlank() ? dataDir : defaultDataDir());
    }
    settings.put("durability", durability);
    try {
      return new io.warrenmq.store.jdbc.JdbcMessageStoreProvider().open(settings, brokerName);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ResourceAdapterInternalException(
          "cannot open the WarrenMQ store (config properties store, dataDir, jdbcUrl, jdbcUser,"
              + " jdbcPassword, durability): "
              + io.warrenmq.client.Passwords.mask(e.getMessage()),
          e);
    }
  }

  private static String defaultDataDir() {
    return defaultDataDir(System::getProperty);
  }

  /**
   * The default store directory, from the server's own directory properties: WildFly's data
   * directory, else Payara's (GlassFish's) instance root, else {@code ./warrenmq-data}. Reading a
   * property that a server sets ties the adapter to no server.
   *
   * @param systemProperty reads a system property (null when unset)
   */
  static String defaultDataDir(java.util.function.UnaryOperator<String> systemProperty) {
    String wildflyData = systemProperty.apply("jboss.server.data.dir");
    if (wildflyData != null) {
      return java.nio.file.Path.of(wildflyData, "warrenmq").toString();
    }
    String payaraInstance = systemProperty.apply("com.sun.aas.instanceRoot");
    if (payaraInstance != null) {
      return java.nio.file.Path.of(payaraInstance, "warrenmq").toString();
    }
    return java.nio.file.Path.of("warrenmq-data").toAbsolutePath().toString();
  }

  /**
   * A JMS connection factory on the adapter's broker (embedded, or remote when {@code
   * connectionURL} is set) with this adapter's settings.
   *
   * @param virtualHost the virtual host its connections open; null for the URL's (remote) or {@code
   *     /} (embedded)
   * @param prefetch unacknowledged messages per consumer, at least 1
   * @throws ResourceException if the adapter is not started (embedded) or the URL is invalid
   */
  public io.warrenmq.jms.WarrenConnectionFactory connectionFactory(String virtualHost, int prefetch)
      throws ResourceException {
    return connectionFactory(null, virtualHost, prefetch);
  }

  /**
   * A JMS connection factory: the one place every connection of the adapter comes from (outbound
   * managed connections, inbound activations, XA recovery). The most specific URL wins: {@code url}
   * (of a connection definition or activation), else the adapter's {@code connectionURL}, else the
   * embedded broker.
   *
   * @param url an {@code amqp://} or {@code amqps://} URL, or null/blank for the adapter's own
   * @param virtualHost the virtual host, or null/blank for the URL's (remote) or {@code /}
   * @param prefetch unacknowledged messages per consumer, at least 1
   * @throws ResourceException naming the URL (password masked) if it is invalid, or if the embedded
   *     broker is not started
   */
  public io.warrenmq.jms.WarrenConnectionFactory connectionFactory(
      String url, String virtualHost, int prefetch) throws ResourceException {
    String effective = url != null && !url.isBlank() ? url : isRemote() ? connectionURL : null;
    String vhost = virtualHost == null || virtualHost.isBlank() ? null : virtualHost;
    io.warrenmq.jms.WarrenConnectionFactory cf;
    if (effective != null) {
      cf = remoteFactory(effective, vhost, prefetch);
    } else {
      cf =
          new io.warrenmq.jms.WarrenConnectionFactory(
              broker(), vhost == null ? "/" : vhost, prefetch);
    }
    if (deserializationAllowList != null && !deserializationAllowList.isBlank()) {
      cf =
          cf.withDeserializationAllowList(
              java.util.Arrays.stream(deserializationAllowList.split(","))
                  .map(String::trim)
                  .filter(x -> !x.isEmpty())
                  .toList());
    }
    return cf;
  }

  private static io.warrenmq.jms.WarrenConnectionFactory remoteFactory(
      String url, String virtualHost, int prefetch) throws ResourceException {
    if (!io.warrenmq.ra.internal.RemoteUrl.isRemote(url)) {
      throw new ResourceException(
          "connectionURL '"
              + io.warrenmq.client.Passwords.mask(url)
              + "' is not an amqp:// or amqps:// URL (leave it empty for the embedded broker)");
    }
    try {
      return io.warrenmq.jms.WarrenConnectionFactory.forUrl(
          io.warrenmq.ra.internal.RemoteUrl.with(url, virtualHost, prefetch));
    } catch (jakarta.jms.JMSException e) {
      throw new ResourceException(
          "connectionURL '"
              + io.warrenmq.client.Passwords.mask(url)
              + "' is invalid: "
              + io.warrenmq.client.Passwords.mask(e.getMessage()),
          e);
    }
  }

  /**
   * Validates the config properties and starts the embedded broker, or, with {@code connectionURL},
   * checks the URL's syntax and starts nothing (no broker, no store, no connection).
   *
   * @throws ResourceAdapterInternalException naming the invalid property
   */
  @Override
  public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
    if (brokerName == null || brokerName.isBlank()) {
      throw new ResourceAdapterInternalException(
          "config property brokerName must not be empty (default: warren)");
    }
    if (dispatchThreads == null || dispatchThreads < 1) {
      throw new ResourceAdapterInternalException(
          "config property dispatchThreads must be at least 1, was " + dispatchThreads);
    }
    if (queueWindowBytes == null || queueWindowBytes < 1) {
      throw new ResourceAdapterInternalException(
          "config property queueWindowBytes must be at least 1 (bytes; default 16777216), was "
              + queueWindowBytes);
    }
    port("managementPort", managementPort);
    port("prometheusPort", prometheusPort);
    this.bootstrapContext = ctx;
    if (isRemote()) {
      if ((managementPort != null && managementPort != 0)
          || (prometheusPort != null && prometheusPort != 0)) {
        LOG.log(
            Level.WARNING,
            "WarrenMQ resource adapter: config properties managementPort and prometheusPort are"
                + " ignored with connectionURL set (no embedded broker to manage); use the remote"
                + " broker's own management API, or clear connectionURL");
      }
      try {
        remoteFactory(connectionURL, null, 1);
      } catch (ResourceException e) {
        throw new ResourceAdapterInternalException(
            "config property " + e.getMessage(), e.getCause());
      } finally {
        if (startEnded != null) {
          startEnded.countDown();
        }
      }
      LOG.log(
          Level.INFO,
          "WarrenMQ resource adapter started: remote broker {0} (no embedded broker, no store)",
          io.warrenmq.client.Passwords.mask(connectionURL));
      return;
    }
    io.warrenmq.engine.MessageStore messageStore;
    try {
      messageStore = openStore();
      this.broker =
          Broker.withStore(
              new BrokerConfig(brokerName, dispatchThreads)
                  .withQueueWindowBytes(queueWindowBytes)
                  .withJmx(jmx == null || jmx),
              messageStore);
      try {
        importDefinitions(broker);
        startHttpListeners(broker);
      } catch (ResourceAdapterInternalException | RuntimeException | Error e) {
        // whatever failed, the broker and its store (a file lock) must not outlive this start
        Broker started = broker;
        broker = null;
        started.close();
        throw e;
      }
    } finally {
      if (startEnded != null) {
        startEnded.countDown();
      }
    }
    LOG.log(
        Level.INFO,
        "WarrenMQ resource adapter started: broker ''{0}'' with {1} dispatch threads, store {2}",
        brokerName,
        dispatchThreads,
        messageStore == io.warrenmq.engine.MessageStore.NONE
            ? "in memory"
            : (jdbcUrl != null && !jdbcUrl.isBlank()
                ? io.warrenmq.client.Passwords.mask(jdbcUrl)
                : "H2 in " + (dataDir != null && !dataDir.isBlank() ? dataDir : defaultDataDir())));
  }

  /** Stops every endpoint activation, then the broker (its threads end before this returns). */
  @Override
  public void stop() {
    stopped = true;
    for (EndpointActivation a : activations.values()) {
      a.stop();
    }
    closeRecoveryConnections();
    activations.clear();
    io.warrenmq.ra.internal.HttpListeners listeners = httpListeners;
    httpListeners = null;
    if (listeners != null) {
      listeners.close();
    }
    Broker b = broker;
    broker = null;
    if (b != null) {
      b.close();
    }
    LOG.log(
        Level.INFO,
        "WarrenMQ resource adapter stopped: broker ''{0}''",
        isRemote() ? io.warrenmq.client.Passwords.mask(connectionURL) : brokerName);
  }

  /**
   * The running broker. Before {@link #start} has ended (and unless the adapter was stopped) waits
   * up to 60 s for it, so that a recovery scan during deployment does not fail.
   *
   * @throws ResourceException if the adapter is not started, or uses a remote broker ({@code
   *     connectionURL}) and so has no embedded one
   */
  public Broker broker() throws ResourceException {
    if (isRemote()) {
      throw new ResourceException(
          "the WarrenMQ resource adapter uses the remote broker "
              + io.warrenmq.client.Passwords.mask(connectionURL)
              + " and runs no embedded broker");
    }
    Broker b = broker;
    if (b == null && !stopped && startEnded != null) {
      // WildFly's periodic XA recovery can open a managed connection while the deployment is
      // still starting the adapter: wait for start instead of failing the scan with an ERROR.
      try {
        startEnded.await(START_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      b = broker;
    }
    if (b == null || !b.isOpen()) {
      throw new ResourceException(
          "the WarrenMQ resource adapter is not started (broker '" + brokerName + "')");
    }
    return b;
  }

  /**
   * Starts delivering to a message endpoint (an MDB).
   *
   * @throws NotSupportedException if {@code spec} is not a {@link WarrenActivationSpec}
   * @throws jakarta.resource.spi.InvalidPropertyException naming an invalid activation property
   * @throws ResourceException if the subscription cannot be set up, with the JMS cause attached
   */
  @Override
  public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec)
      throws ResourceException {
    if (!(spec instanceof WarrenActivationSpec warrenSpec)) {
      throw new NotSupportedException(
          "activation spec "
              + (spec == null ? "null" : spec.getClass().getName())
              + " is not a "
              + WarrenActivationSpec.class.getName());
    }
    ActivationKey key = new ActivationKey(factory, spec);
    warrenSpec.validate();
    EndpointActivation activation =
        new EndpointActivation(
            connectionFactory(warrenSpec.getConnectionURL(), warrenSpec.getVirtualHost(), 1),
            bootstrapContext.getWorkManager(),
            factory,
            warrenSpec,
            registry());
    activation.start();
    activations.put(key, activation);
  }

  private jakarta.transaction.TransactionSynchronizationRegistry registry() {
    try {
      return bootstrapContext.getTransactionSynchronizationRegistry();
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * Stops delivery to the endpoint; waits for deliveries in progress. Unknown endpoints are
   * ignored.
   */
  @Override
  public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
    // No class of this adapter may be loaded here unless an activation exists: WildFly calls this
    // at server suspend also for MDBs whose activation failed, possibly after this adapter was
    // undeployed and its class loader closed (a new class would fail with NoClassDefFoundError).
    Iterator<Map.Entry<ActivationKey, EndpointActivation>> it = activations.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<ActivationKey, EndpointActivation> entry = it.next();
      if (entry.getKey().factory() == factory && entry.getKey().spec() == spec) {
        it.remove();
        entry.getValue().stop();
        return;
      }
    }
  }

  /**
   * The XA resources for crash recovery of message endpoints (Jakarta Connectors 2.1, message
   * inflow): one resource per broker, since a broker is one resource manager whatever the specs:
   * the adapter's own (embedded, or remote by {@code connectionURL}) and one for each other {@code
   * connectionURL} among {@code specs}, logged in as that activation's {@code user} when it sets
   * one. Each lists its broker's prepared branches ({@code recover}, over the network the {@code
   * dtx} extension) and commits or rolls back any of them. Their connections are opened on the
   * first call and reused; one that the broker dropped (a restart) is opened again on the next
   * call; {@link #stop()} closes them.
   *
   * @throws ResourceException if the adapter is not started or the broker refuses the connection,
   *     naming the URL (password masked)
   */
  @Override
  public synchronized XAResource[] getXAResources(ActivationSpec[] specs) throws ResourceException {
    // broker URL -> the activation whose login opens its recovery connection (null: the URL's)
    java.util.LinkedHashMap<String, WarrenActivationSpec> urls = new java.util.LinkedHashMap<>();
    urls.put(null, null);
    if (specs != null) {
      for (ActivationSpec spec : specs) {
        if (spec instanceof WarrenActivationSpec w
            && w.getConnectionURL() != null
            && !w.getConnectionURL().isBlank()) {
          urls.merge(
              w.getConnectionURL().trim(), w, (first, next) -> first.hasUser() ? first : next);
        }
      }
    }
    java.util.List<XAResource> resources = new java.util.ArrayList<>();
    for (Map.Entry<String, WarrenActivationSpec> entry : urls.entrySet()) {
      String url = entry.getKey();
      WarrenActivationSpec login = entry.getValue();
      XAResource resource = recoveryResources.get(url);
      if (resource == null) {
        io.warrenmq.jms.WarrenConnection c = null;
        try {
          io.warrenmq.jms.WarrenConnectionFactory cf = connectionFactory(url, null, 1);
          c =
              login != null && login.hasUser()
                  ? cf.createConnection(login.getUser(), login.getPassword())
                  : cf.createConnection();
          c.setExceptionListener(e -> dropRecoveryConnection(url));
          resource = c.createXASession().getXAResource();
        } catch (jakarta.jms.JMSException e) {
          closeQuietly(c);
          throw new ResourceException(
              "cannot open the WarrenMQ recovery session: " + e.getMessage(), e);
        }
        recoveryConnections.put(url, c);
        recoveryResources.put(url, resource);
      }
      resources.add(resource);
    }
    return resources.toArray(new XAResource[0]);
  }

  /** The broker dropped a recovery connection (ExceptionListener): the next call opens anew. */
  private void dropRecoveryConnection(String url) {
    io.warrenmq.jms.WarrenConnection c;
    synchronized (this) {
      c = recoveryConnections.remove(url);
      recoveryResources.remove(url);
    }
    closeQuietly(c);
  }

  private static void closeQuietly(io.warrenmq.jms.WarrenConnection c) {
    if (c != null) {
      try {
        c.close();
      } catch (jakarta.jms.JMSException | RuntimeException e) {
        LOG.log(Level.DEBUG, "closing a recovery connection: {0}", e.getMessage());
      }
    }
  }

  private synchronized void closeRecoveryConnections() {
    for (io.warrenmq.jms.WarrenConnection c : recoveryConnections.values()) {
      closeQuietly(c);
    }
    recoveryConnections.clear();
    recoveryResources.clear();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarrenResourceAdapter other
        && Objects.equals(brokerName, other.brokerName)
        && Objects.equals(dispatchThreads, other.dispatchThreads)
        && Objects.equals(deserializationAllowList, other.deserializationAllowList)
        && Objects.equals(store, other.store)
        && Objects.equals(dataDir, other.dataDir)
        && Objects.equals(jdbcUrl, other.jdbcUrl)
        && Objects.equals(jdbcUser, other.jdbcUser)
        && Objects.equals(durability, other.durability)
        && Objects.equals(connectionURL, other.connectionURL)
        && Objects.equals(managementPort, other.managementPort)
        && Objects.equals(managementHost, other.managementHost)
        && Objects.equals(prometheusPort, other.prometheusPort)
        && Objects.equals(jmx, other.jmx);
  }

  @Override
  public int hashCode() {
    return Objects.hash(brokerName, dispatchThreads);
  }
}
