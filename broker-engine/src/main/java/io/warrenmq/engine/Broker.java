package io.warrenmq.engine;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.internal.Authorization;
import io.warrenmq.engine.internal.BrokerControl;
import io.warrenmq.engine.internal.BrokerCounters;
import io.warrenmq.engine.internal.BrokerTimer;
import io.warrenmq.engine.internal.DispatchThreadFactory;
import io.warrenmq.engine.internal.Durability;
import io.warrenmq.engine.internal.ManagementBeans;
import io.warrenmq.engine.internal.MemoryMonitor;
import io.warrenmq.engine.internal.ServerConnection;
import io.warrenmq.engine.internal.ServerVirtualHost;
import io.warrenmq.engine.internal.Snapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An AMQP 0-9-1 broker: the root of the model. It owns {@link VirtualHost}s (the default one,
 * {@code "/"}, always exists) and a fixed pool of {@link BrokerConfig#dispatchThreads()} daemon
 * dispatch threads, named {@code warren-dispatch-<brokerName>-N}, that push deliveries to
 * consumers, plus one timer thread, {@code warren-timer-<brokerName>}, for message and queue expiry
 * and for releasing the messages held by {@code x-delayed-message} exchanges (held messages are in
 * memory only: close drops them). It applies flow control on queued message bodies ({@link
 * BrokerConfig#memoryLimitBytes()}).
 *
 * <p>Clients talk to it through {@link #newConnection(String, String)} and the {@link Channel} API.
 *
 * <p>Concurrency: thread-safe. {@link #close()} closes every connection, cancels every consumer
 * (calling {@link Consumer#handleCancel}, since the broker initiates it), and stops the dispatch
 * threads; it waits up to 10 s in total for running callbacks to finish and for the threads to end,
 * so that no thread of the broker outlives it (important when it runs inside an application server
 * that undeploys it). Callbacks still running after 10 s are interrupted.
 */
public final class Broker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Broker.class.getName());
  private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final BrokerConfig config;
  private final DispatchThreadFactory threads;
  private final ThreadPoolExecutor dispatchPool;
  private final BrokerTimer timer;
  private final MemoryMonitor memory;
  private volatile DiskReading disk; // null: no disk watcher reported
  private final Durability durability;
  private final ConcurrentHashMap<String, VirtualHost> virtualHosts = new ConcurrentHashMap<>();
  private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
  private final BrokerCounters counters = new BrokerCounters();
  private final AtomicLong connectionIds = new AtomicLong();
  private final Users users;

  /** The JMX MBeans ({@link BrokerConfig#jmx()}), null when off. */
  private final ManagementBeans management;

  private final boolean startedFresh;
  private volatile boolean recovering;
  private volatile boolean open = true;

  /**
   * Starts a broker without a durable store ({@link MessageStore#NONE}): everything is in memory.
   *
   * @param config name and thread settings, not null
   */
  public Broker(BrokerConfig config) {
    this(config, MessageStore.NONE);
  }

  /**
   * Starts a broker on a durable store: recovers the stored virtual hosts, users, permissions,
   * durable exchanges, queues, bindings and persistent messages (those that had been delivered come
   * back {@code redelivered}) before it returns, then writes durable state to the store (DESIGN.md
   * "persistence"). The broker owns the store: {@link #close()} closes it.
   *
   * <p>Users and virtual hosts are what the store holds: a deleted {@code guest} stays deleted.
   * Only a store that holds no virtual host at all (a fresh one, or one upgraded from a version
   * that did not keep users) gets the defaults of a fresh broker, {@code "/"} and {@code
   * guest}/{@code guest} with full permissions on it, written to the store. A virtual host that
   * only stored topology names is created and written too.
   *
   * @param config name and thread settings, not null
   * @param store the durable store, not null; {@link MessageStore#NONE} for none
   * @throws IllegalStateException if the store cannot be recovered (the store is then closed)
   */
  public Broker(BrokerConfig config, MessageStore store) {
    this.config = Objects.requireNonNull(config, "config");
    this.durability =
        new Durability(
            Objects.requireNonNull(store, "store"), config.name(), config.queueWindowBytes());
    this.users = new Users(virtualHosts::containsKey, store);
    this.threads = new DispatchThreadFactory(config.name());
    this.dispatchPool =
        new ThreadPoolExecutor(
            config.dispatchThreads(),
            config.dispatchThreads(),
            0L,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            threads);
    this.timer = new BrokerTimer(config.name());
    this.memory =
        new MemoryMonitor(config.memoryLimitBytes(), dispatchPool, threads::isDispatchThread);
    this.management = config.jmx() ? managementBeans() : null;
    if (!durability.isDurable()) {
      startedFresh = true;
      virtualHost("/");
      users.addDefaultGuest();
      return;
    }
    try {
      Recovery recovery = new Recovery();
      recovering = true;
      try {
        store.recover(recovery);
      } finally {
        recovering = false;
      }
      for (String name : virtualHostNames()) {
        if (!recovery.virtualHosts.contains(name)) { // named only by stored topology
          Users.awaitStored(store.storeVirtualHost(name), "vhost '" + name + "'");
        }
      }
      virtualHost("/"); // the default host always exists; written if new
      startedFresh = recovery.virtualHosts.isEmpty();
      if (startedFresh) {
        users.addDefaultGuest();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts a broker on a durable store; the same as {@link #Broker(BrokerConfig, MessageStore)}.
   */
  public static Broker withStore(BrokerConfig config, MessageStore store) {
    return new Broker(config, store);
  }

  /**
   * Replays the store into the model at start-up. An item that no longer fits (a binding whose
   * exchange is gone, arguments this version refuses) is logged and skipped, never fatal.
   */
  private final class Recovery implements MessageStore.RecoveryHandler {
    private final Set<String> virtualHosts = new HashSet<>();
    private long messages;

    @Override
    public void virtualHost(String virtualHost) {
      virtualHosts.add(virtualHost);
      Broker.this.virtualHost(virtualHost);
    }

    @Override
    public void user(UserInfo user) {
      users.recoverUser(user);
    }

    @Override
    public void permission(PermissionInfo permission) {
      if (!users.recoverPermission(permission)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "broker ''{0}'': stored permissions of user ''{1}'' in vhost ''{2}'' not recovered:"
                + " no such user or vhost",
            config.name(),
            permission.user(),
            permission.virtualHost());
      }
    }

    @Override
    public void exchange(String virtualHost, ExchangeSpec spec) {
      guard(
          "exchange '" + spec.name() + "'",
          () -> Broker.this.virtualHost(virtualHost).impl().recoverExchange(spec));
    }

    @Override
    public void queue(String virtualHost, QueueSpec spec) {
      guard(
          "queue '" + spec.name() + "'",
          () -> Broker.this.virtualHost(virtualHost).impl().recoverQueue(spec));
    }

    @Override
    public void binding(StoredBinding binding) {
      guard(
          binding.toString(),
          () -> Broker.this.virtualHost(binding.virtualHost()).impl().recoverBinding(binding));
    }

    /**
     * Page-ins of recovered queues, deferred until the prepared XA branches are known (they hold
     * some of the entries a first page would make ready).
     */
    private final List<Runnable> entries = new ArrayList<>();

    @Override
    public void queueEntries(
        String virtualHost, String queue, long entries, long bodyBytes, long lastSeq) {
      this.entries.add(
          () ->
              guard(
                  "the messages of queue '" + queue + "'",
                  () ->
                      Broker.this
                          .virtualHost(virtualHost)
                          .impl()
                          .recoverEntries(queue, entries, bodyBytes, lastSeq)));
      messages += entries;
    }

    @Override
    public void preparedBranch(PreparedBranch branch) {
      durability.xa().recovered(branch, name -> Broker.this.virtualHost(name).impl());
    }

    /** Stored delayed messages, held again once message ids are seeded. */
    private final List<StoredDelayedMessage> delayed = new ArrayList<>();

    @Override
    public void delayedMessage(StoredDelayedMessage message) {
      delayed.add(message);
    }

    @Override
    public void lastMessageId(long messageId) {
      durability.recovered(messageId);
      entries.forEach(Runnable::run);
      entries.clear();
      for (StoredDelayedMessage m : delayed) {
        VirtualHost vhost = Broker.this.virtualHosts.get(m.virtualHost());
        if (vhost == null) { // its vhost was deleted: dropped with it
          MessageStore.UnitOfWork unit = durability.store().beginUnitOfWork();
          unit.deleteDelayedMessage(m.virtualHost(), m.message().messageId());
          unit.commit();
          continue;
        }
        guard("delayed message " + m.message().messageId(), () -> vhost.impl().recoverDelayed(m));
      }
      if (!delayed.isEmpty()) {
        LOG.log(
            System.Logger.Level.INFO,
            "broker ''{0}'': {1} stored delayed messages recovered",
            config.name(),
            delayed.size());
      }
      delayed.clear();
      if (messages > 0) {
        LOG.log(
            System.Logger.Level.INFO,
            "broker ''{0}'': {1} stored messages recovered",
            config.name(),
            messages);
      }
    }

    private void guard(String what, Runnable r) {
      try {
        r.run();
      } catch (AmqpException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "broker ''{0}'': stored {1} not recovered: {2}",
            config.name(),
            what,
            e.getMessage());
      }
    }
  }

  /** This broker's name ({@link BrokerConfig#name()}). */
  public String name() {
    return config.name();
  }

  /**
   * Opens a client connection as a user, checking the password against {@link #users()} and that
   * the user has permissions on the virtual host, in the order RabbitMQ checks a {@code
   * connection.start-ok} (SASL PLAIN) and then {@code connection.open}
   * (https://www.rabbitmq.com/docs/access-control). The user name is the connection's client name
   * in logs. Per-operation permission checks are not enforced (see {@link Users}).
   *
   * @param virtualHost the virtual host's name, e.g. {@code "/"}
   * @param user the user name
   * @param password the clear-text password
   * @return an open connection
   * @throws AmqpException 403 ACCESS_REFUSED ("Login was refused using authentication mechanism
   *     PLAIN. For details see the broker logfile.", RabbitMQ's text; the reason is logged at
   *     WARNING) if the user does not exist or the password does not match; 530 NOT_ALLOWED if the
   *     virtual host does not exist or the user has no permissions on it ("access to vhost '/x'
   *     refused for user 'u'"); 320 CONNECTION_FORCED if the broker is closed
   */
  public Connection newConnection(String virtualHost, String user, String password) {
    if (!open) {
      throw brokerClosed();
    }
    if (!users.checkPassword(user, password)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "broker ''{0}'': login refused for user ''{1}'': {2}",
          config.name(),
          user,
          users.user(user).isPresent() ? "invalid credentials" : "user does not exist");
      throw new AmqpException(
          ReplyCode.ACCESS_REFUSED,
          "Login was refused using authentication mechanism PLAIN. For details see the broker"
              + " logfile.");
    }
    if (virtualHost != null
        && virtualHosts.containsKey(virtualHost)
        && users.permission(user, virtualHost).isEmpty()) {
      throw new AmqpException(
          ReplyCode.NOT_ALLOWED,
          "access to vhost '" + virtualHost + "' refused for user '" + user + "'");
    }
    return newConnectionAs(virtualHost, user);
  }

  /**
   * Opens a connection as a user whom the caller has already authenticated (the management API
   * checks HTTP basic credentials with {@link Users#checkPassword} first), with the user's
   * permissions on the virtual host enforced per operation as after an AMQP login. No password is
   * checked here: like {@link #newConnection(String, String)}, this is for code in the broker's
   * JVM.
   *
   * @param virtualHost the virtual host's name
   * @param user an existing user's name
   * @return an open connection
   * @throws AmqpException 530 NOT_ALLOWED if the virtual host does not exist or the user has no
   *     permissions on it; 320 CONNECTION_FORCED if the broker is closed
   */
  public Connection newConnectionAs(String virtualHost, String user) {
    if (virtualHost != null
        && virtualHosts.containsKey(virtualHost)
        && users.permission(user, virtualHost).isEmpty()) {
      throw new AmqpException(
          ReplyCode.NOT_ALLOWED,
          "access to vhost '" + virtualHost + "' refused for user '" + user + "'");
    }
    Connection c = newConnection(virtualHost, user);
    c.impl().user(user);
    // Per-operation permissions (RabbitMQ doc "Access Control"), as they are at login.
    users.permission(user, virtualHost).ifPresent(p -> c.impl().authorize(Authorization.of(p)));
    return c;
  }

  /**
   * Snapshots of the open connections, sorted by name (monitoring; see {@link ConnectionInfo}).
   * Thread-safe; may be slightly stale.
   */
  public List<ConnectionInfo> connections() {
    return connections.stream()
        .filter(ServerConnection::isOpen)
        .map(Snapshots::connection)
        .sorted(java.util.Comparator.comparing(ConnectionInfo::name))
        .toList();
  }

  /** Bytes of message bodies held in heap now, the quantity the memory alarm watches. */
  public long memoryUsedBytes() {
    return memory.used();
  }

  /** The memory alarm's threshold, bytes ({@link BrokerConfig#memoryLimitBytes()}). */
  public long memoryLimitBytes() {
    return memory.limit();
  }

  /**
   * The broker-wide counters since start (monitoring, e.g. the Prometheus endpoint): messages
   * published, confirmed, delivered, fetched, acknowledged, returned; connections and queues opened
   * and closed; paging; XA branches in doubt. Thread-safe; cheap (sums of {@code LongAdder}s and
   * one pass over the open XA branches).
   */
  public BrokerStats stats() {
    return counters.snapshot(durability.xa().preparedCount());
  }

  /**
   * The store's own counters (group commit, fsync), or {@link MessageStore.StoreStats#NONE} for a
   * broker without a store or a store that keeps none.
   */
  public MessageStore.StoreStats storeStats() {
    return durability.isDurable() ? durability.store().stats() : MessageStore.StoreStats.NONE;
  }

  /**
   * The size of the store's own file, bytes ({@link MessageStore#fileBytes()}): present for the
   * embedded H2 store, empty for a broker without a store or with its store in a database server.
   * Thread-safe; one file-system call at most.
   */
  public OptionalLong storeFileBytes() {
    return durability.isDurable() ? durability.store().fileBytes() : OptionalLong.empty();
  }

  /** Snapshots of the open channels of every connection (monitoring). Thread-safe. */
  public List<ChannelInfo> channels() {
    List<ChannelInfo> out = new ArrayList<>();
    for (ServerConnection c : connections) {
      out.addAll(Snapshots.channels(c));
    }
    return List.copyOf(out);
  }

  /** Snapshots of every consumer of every connection (monitoring). Thread-safe. */
  public List<ConsumerInfo> consumers() {
    List<ConsumerInfo> out = new ArrayList<>();
    for (ServerConnection c : connections) {
      out.addAll(Snapshots.consumers(c));
    }
    return List.copyOf(out);
  }

  /**
   * Closes a connection from the broker's side (RabbitMQ's {@code close_connection}, the management
   * API's {@code DELETE /api/connections/{name}}): a wire client gets {@code connection.close} 320
   * CONNECTION_FORCED with "broker forced connection closure with reason '...'".
   *
   * @param name a {@link ConnectionInfo#name()}
   * @param reason the reason given to the client
   * @return whether an open connection of that name was found
   */
  public boolean closeConnection(String name, String reason) {
    for (ServerConnection c : connections) {
      if (c.isOpen() && c.displayName().equals(name)) {
        c.forceClose(reason);
        return true;
      }
    }
    return false;
  }

  /**
   * Snapshots of a virtual host's queues, sorted by name, with their unacknowledged counts
   * (monitoring; see {@link QueueInfo}). Costs a pass over every open channel's unacked window.
   *
   * @param virtualHost the virtual host's name
   * @return the queues, empty if the virtual host does not exist
   */
  public List<QueueInfo> queues(String virtualHost) {
    VirtualHost vhost = virtualHost == null ? null : virtualHosts.get(virtualHost);
    if (vhost == null) {
      return List.of();
    }
    return Snapshots.queues(vhost.impl(), Snapshots.unackedByQueue(connections));
  }

  /**
   * A snapshot of one queue (monitoring; see {@link QueueInfo}), without listing the others.
   *
   * @param virtualHost the virtual host's name
   * @param queue the queue's name
   * @return the queue, empty if it or its virtual host does not exist
   */
  public java.util.Optional<QueueInfo> queue(String virtualHost, String queue) {
    VirtualHost vhost = virtualHost == null ? null : virtualHosts.get(virtualHost);
    io.warrenmq.engine.internal.Queue q = vhost == null ? null : vhost.impl().findQueue(queue);
    if (q == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        Snapshots.queue(vhost.impl(), q, Snapshots.unackedByQueue(connections)));
  }

  /**
   * The management operations of one queue (list, count, remove, move and re-drive ready messages,
   * pause), the same object JMX registers as {@code io.warrenmq:type=Queue,...} but available
   * whether or not JMX is on, for the management HTTP API. The caller checks the user's rights: the
   * control does not.
   *
   * @param virtualHost the virtual host's name
   * @param queue the queue's name
   * @return the queue's control, empty if it or its virtual host does not exist
   */
  public java.util.Optional<QueueControlMXBean> queueControl(String virtualHost, String queue) {
    VirtualHost vhost = virtualHost == null ? null : virtualHosts.get(virtualHost);
    io.warrenmq.engine.internal.Queue q = vhost == null ? null : vhost.impl().findQueue(queue);
    if (q == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new io.warrenmq.engine.internal.QueueControl(q, () -> connections));
  }

  /**
   * The summed message counts of a virtual host's current queues (monitoring); zero if it does not
   * exist. Counts of deleted queues are gone with them.
   */
  public MessageCounts messageCounts(String virtualHost) {
    VirtualHost vhost = virtualHost == null ? null : virtualHosts.get(virtualHost);
    return vhost == null ? MessageCounts.ZERO : Snapshots.counts(vhost.impl());
  }

  /**
   * Opens a client connection to a virtual host on the trusted in-VM path: no user, no password, no
   * permission check (code running in the broker's JVM could reach the engine anyway). Clients that
   * present credentials, e.g. a JMS {@code createConnection(user, password)}, use {@link
   * #newConnection(String, String, String)}.
   *
   * @param virtualHost the virtual host's name, e.g. {@code "/"}
   * @param clientName a name for logs (e.g. the JMS client id), may be null
   * @return an open connection
   * @throws AmqpException 530 NOT_ALLOWED if the virtual host does not exist, 320 CONNECTION_FORCED
   *     if the broker is closed
   */
  public Connection newConnection(String virtualHost, String clientName) {
    if (!open) {
      throw brokerClosed();
    }
    VirtualHost vhost = virtualHost == null ? null : virtualHosts.get(virtualHost);
    if (vhost == null) {
      throw new AmqpException(ReplyCode.NOT_ALLOWED, "vhost '" + virtualHost + "' not found");
    }
    ServerConnection impl =
        new ServerConnection(
            "conn-" + connectionIds.incrementAndGet(),
            clientName,
            vhost.impl(),
            dispatchPool,
            c -> {
              if (connections.remove(c)) {
                counters.connectionsClosed.increment();
              }
            });
    connections.add(impl);
    counters.connectionsOpened.increment();
    if (!open) {
      impl.close(true);
      throw brokerClosed();
    }
    return new Connection(impl);
  }

  private AmqpException brokerClosed() {
    return new AmqpException(
        ReplyCode.CONNECTION_FORCED, "broker '" + config.name() + "' is closed");
  }

  /**
   * Returns a virtual host, creating it if absent (with its predeclared exchanges). On a broker
   * with a durable store a new virtual host is written to the store before this returns.
   *
   * @param name the virtual host's name, not empty
   * @throws IllegalArgumentException if the name is null or empty
   * @throws AmqpException 541 INTERNAL_ERROR if the store failed to write a new virtual host (it
   *     then exists in memory only, until the next restart)
   */
  public VirtualHost virtualHost(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("virtual host name must not be empty");
    }
    VirtualHost existing = virtualHosts.get(name);
    if (existing != null) {
      return existing;
    }
    boolean[] created = new boolean[1];
    VirtualHost vhost =
        virtualHosts.computeIfAbsent(
            name,
            n -> {
              created[0] = true;
              ServerVirtualHost impl =
                  new ServerVirtualHost(n, timer, memory, durability, counters);
              impl.management(management);
              return new VirtualHost(impl);
            });
    if (created[0] && !recovering && durability.isDurable()) {
      Users.awaitStored(durability.store().storeVirtualHost(name), "vhost '" + name + "'");
    }
    return vhost;
  }

  /**
   * The broker's users and their permissions. A fresh broker has {@code guest}/{@code guest} with
   * full permissions on {@code "/"}, as RabbitMQ (see {@link Users}).
   */
  public Users users() {
    return users;
  }

  /** The names of the existing virtual hosts, sorted. */
  public List<String> virtualHostNames() {
    return virtualHosts.keySet().stream().sorted().toList();
  }

  /**
   * Whether a virtual host of that name exists (unlike {@link #virtualHost(String)}, never creates
   * one).
   */
  public boolean virtualHostExists(String name) {
    return name != null && virtualHosts.containsKey(name);
  }

  /**
   * Deletes a virtual host (RabbitMQ's {@code delete_vhost}): its connections are closed with 320
   * CONNECTION_FORCED (their consumers told through {@link Consumer#handleCancel}), its queues with
   * their messages, exchanges and bindings are dropped, and every permission on it is removed.
   * Unlike RabbitMQ, the default virtual host {@code "/"} cannot be deleted, since the engine
   * promises it always exists. A connection being opened to the virtual host while it is deleted
   * may still open to the deleted (empty) host; delete it when no client uses it. On a broker with
   * a durable store the host and everything stored in it are forgotten by the store before this
   * returns: it stays deleted after a restart.
   *
   * @return whether it existed
   * @throws AmqpException 403 ACCESS_REFUSED for {@code "/"}; 541 INTERNAL_ERROR if the store
   *     failed to forget it (it may then come back, empty or not, after a restart)
   */
  public boolean deleteVirtualHost(String name) {
    if ("/".equals(name)) {
      throw new AmqpException(ReplyCode.ACCESS_REFUSED, "the default vhost '/' cannot be deleted");
    }
    VirtualHost vhost = name == null ? null : virtualHosts.remove(name);
    if (vhost == null) {
      return false;
    }
    for (ServerConnection c : new ArrayList<>(connections)) {
      if (c.virtualHost() == vhost.impl()) {
        c.close(true);
      }
    }
    vhost.impl().deleteAll();
    users.forgetVirtualHost(name);
    if (durability.isDurable()) {
      Users.awaitStored(
          durability.store().deleteVirtualHost(name), "deletion of vhost '" + name + "'");
    }
    LOG.log(System.Logger.Level.INFO, "broker ''{0}'': vhost ''{1}'' deleted", config.name(), name);
    return true;
  }

  /**
   * Whether this broker started empty and so got the defaults of a fresh broker ({@code "/"} and
   * {@code guest}): it has no durable store, or its store held no virtual host (a new database).
   * RabbitMQ applies its {@code default_user}, {@code default_pass} and {@code default_vhost}
   * settings only on such a start ("blank database", https://www.rabbitmq.com/docs/access-control);
   * a launcher uses this to do the same.
   */
  public boolean startedFresh() {
    return startedFresh;
  }

  /**
   * Raises or clears the disk alarm (RabbitMQ's disk alarm,
   * https://www.rabbitmq.com/docs/disk-alarms): while it is on, {@code basic.publish} waits (except
   * from a consumer callback on a dispatch thread, as for the memory alarm) and connections with a
   * blocked listener are told {@code connection.blocked} with the reason {@code "low on disk"};
   * consuming and acknowledging go on. The broker does not watch a disk itself: the launcher that
   * knows where the store writes does (the standalone server's {@code disk_free_limit}).
   *
   * <p>Thread-safety: any thread; a repeated call with the same value changes nothing.
   *
   * @param on true to raise the alarm, false to clear it
   */
  public void setDiskAlarm(boolean on) {
    memory.setDiskAlarm(on);
  }

  /** Whether the disk alarm is on ({@link #setDiskAlarm}). */
  public boolean diskAlarm() {
    return memory.isDiskAlarm();
  }

  /**
   * Raises or clears the store alarm, WarrenMQ's own resource alarm beside RabbitMQ's memory and
   * disk alarms: raised by whoever watches the store's reachability (the standalone server's
   * shared-store HA lease renewal, while it cannot reach PostgreSQL), it blocks publishers exactly
   * as the disk alarm does ({@code basic.publish} waits, connections with a blocked listener are
   * told {@code connection.blocked} with the reason {@code "store unreachable"}), so that nothing
   * is published into a store that cannot take it; consuming goes on from memory.
   *
   * <p>Thread-safety: any thread; a repeated call with the same value changes nothing.
   *
   * @param on true to raise the alarm, false to clear it
   */
  public void setStoreAlarm(boolean on) {
    memory.setStoreAlarm(on);
  }

  /** Whether the store alarm is on ({@link #setStoreAlarm}). */
  public boolean storeAlarm() {
    return memory.isStoreAlarm();
  }

  /**
   * Records the latest reading of the disk watcher that drives {@link #setDiskAlarm}, for what
   * reports it (RabbitMQ's {@code disk_free} and {@code disk_free_limit} in {@code /api/nodes}).
   * Changes no alarm by itself.
   *
   * <p>Thread-safety: any thread; the two values are published together.
   *
   * @param freeBytes the free bytes usable on the store's file system, at least 0
   * @param limitBytes the free bytes below which the watcher raises the alarm, at least 0
   * @throws IllegalArgumentException if a value is negative
   */
  public void recordDiskFree(long freeBytes, long limitBytes) {
    if (freeBytes < 0 || limitBytes < 0) {
      throw new IllegalArgumentException(
          "disk reading must not be negative: free " + freeBytes + ", limit " + limitBytes);
    }
    disk = new DiskReading(freeBytes, limitBytes);
  }

  /**
   * The latest {@link #recordDiskFree} reading, or empty when nothing watches a disk for this
   * broker (a store in PostgreSQL, no store, or a launcher without a disk watcher such as the
   * resource adapter).
   */
  public Optional<DiskReading> diskReading() {
    return Optional.ofNullable(disk);
  }

  /**
   * One reading of the store's file system.
   *
   * @param freeBytes free bytes usable by the broker's process
   * @param limitBytes the free bytes below which the disk alarm is on ({@code disk_free_limit})
   */
  public record DiskReading(long freeBytes, long limitBytes) {}

  /**
   * Whether the memory alarm is on: the bodies queued exceed {@link
   * BrokerConfig#memoryLimitBytes()}.
   */
  public boolean memoryAlarm() {
    return memory.isMemoryAlarm();
  }

  /** Whether {@link #close()} has not been called. */
  public boolean isOpen() {
    return open;
  }

  /**
   * Closes every connection and stops the timer and dispatch threads, waiting up to 10 s.
   * Idempotent. When called from a consumer callback (a dispatch thread) it cannot wait for its own
   * thread: it then shuts the pool down without waiting.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
    }
    if (management != null) {
      management.close();
    }
    memory.close();
    for (ServerConnection c : new ArrayList<>(connections)) {
      c.close(true);
    }
    dispatchPool.shutdown();
    try {
      timer.close(TimeUnit.SECONDS.toNanos(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (threads.isDispatchThread()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "broker '{0}' closed from its own dispatch thread; not waiting for the threads to end",
          config.name());
      closeStore();
      return;
    }
    long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
    boolean interrupted = false;
    try {
      if (!dispatchPool.awaitTermination(CLOSE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "broker '{0}': consumer callbacks still running after 10 s; interrupting them",
            config.name());
        dispatchPool.shutdownNow();
      }
      if (!threads.joinAll(Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(1)))) {
        LOG.log(
            System.Logger.Level.WARNING,
            "broker '{0}': a dispatch thread did not end; a consumer callback ignores interrupts",
            config.name());
      }
    } catch (InterruptedException e) {
      interrupted = true;
      dispatchPool.shutdownNow();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    closeStore();
    LOG.log(System.Logger.Level.DEBUG, "broker '{0}' closed", config.name());
  }

  private ManagementBeans managementBeans() {
    BrokerControl control =
        new BrokerControl(
            config.name(),
            this::virtualHostNames,
            n -> {
              VirtualHost v = virtualHosts.get(n);
              return v == null ? null : v.impl();
            });
    return new ManagementBeans(config.name(), control, () -> connections);
  }

  private void closeStore() {
    try {
      durability.closePager(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      durability.store().close();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "broker '" + config.name() + "': closing the message store failed",
          e);
    }
  }
}
