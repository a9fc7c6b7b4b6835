package io.warrenmq.engine.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.BindingInfo;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredBinding;
import io.warrenmq.engine.StoredDelayedMessage;
import io.warrenmq.engine.StoredMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The model of one virtual host: exchanges, queues and bindings.
 *
 * <p>Concurrency: topology changes (declare, delete, bind, unbind) are serialized by one topology
 * lock per virtual host; they are rare and never on the publish or deliver path. Lookups by name
 * ({@link #findQueue}, {@link #exchangeOrThrow}) read concurrent maps without a lock. Lock order:
 * topology lock, then queue lock, then channel lock.
 */
public final class ServerVirtualHost {
  private static final System.Logger LOG = System.getLogger(ServerVirtualHost.class.getName());

  private final String name;

  /**
   * The last store write issued by a topology removal (guarded by {@link #topologyLock}): the store
   * applies writes in order, so awaiting the last one awaits them all. Taken and awaited by {@code
   * queue.delete}, {@code exchange.delete} and the unbinds, outside the lock, so that their -ok
   * means the removal survives a restart (as declarations already do).
   */
  private CompletionStage<Void> lastRemoval;

  private final Object topologyLock = new Object();
  private final ConcurrentHashMap<String, Exchange> exchanges = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();

  private final BrokerTimer timer;
  private final MemoryMonitor memory;
  private final BrokerCounters counters;
  private final Durability durability;
  private final DirectReplyTo directReplyTo = new DirectReplyTo();

  /** The broker's JMX MBeans, null when JMX is off; set once before the first queue. */
  private volatile ManagementBeans management;

  /** True while the broker replays the store at start-up: nothing is written back then. */
  private boolean recovering;

  /** A virtual host without timer-driven expiry and without memory limit (for tests). */
  public ServerVirtualHost(String name) {
    this(name, null, MemoryMonitor.unlimited());
  }

  /**
   * @param timer the broker's timer for message and queue expiry; null disables timer-driven expiry
   *     (expired messages are then still never delivered)
   * @param memory the broker's flow control
   */
  public ServerVirtualHost(String name, BrokerTimer timer, MemoryMonitor memory) {
    this(name, timer, memory, Durability.NONE);
  }

  /**
   * @param durability the broker's store link; {@link Durability#NONE} for none
   */
  public ServerVirtualHost(
      String name, BrokerTimer timer, MemoryMonitor memory, Durability durability) {
    this(name, timer, memory, durability, new BrokerCounters());
  }

  /**
   * @param counters the broker-wide counters this virtual host adds to
   */
  public ServerVirtualHost(
      String name,
      BrokerTimer timer,
      MemoryMonitor memory,
      Durability durability,
      BrokerCounters counters) {
    this.counters = counters;
    this.name = name;
    this.timer = timer;
    this.memory = memory;
    this.durability = durability;
    exchanges.put(
        "", new Exchange(ExchangeSpec.durable("", "direct"), new DefaultExchangeType(this)));
    predeclare("amq.direct", "direct");
    predeclare("amq.fanout", "fanout");
    predeclare("amq.topic", "topic");
    predeclare("amq.headers", "headers");
    predeclare("amq.match", "headers");
  }

  private void predeclare(String exchange, String type) {
    exchanges.put(
        exchange, new Exchange(ExchangeSpec.durable(exchange, type), ExchangeType.create(type)));
  }

  public String name() {
    return name;
  }

  BrokerTimer timer() {
    return timer;
  }

  MemoryMonitor memory() {
    return memory;
  }

  BrokerCounters counters() {
    return counters;
  }

  Durability durability() {
    return durability;
  }

  /** The reply consumers of RabbitMQ's direct reply-to in this virtual host. */
  DirectReplyTo directReplyTo() {
    return directReplyTo;
  }

  // ---- lookups --------------------------------------------------------------------------

  /** The queue of that name, or null. Lock-free. */
  public Queue findQueue(String queue) {
    return queue == null ? null : queues.get(queue);
  }

  /** Whether an exchange of that name exists. Lock-free. */
  public boolean hasExchange(String exchange) {
    return exchange != null && exchanges.containsKey(exchange);
  }

  /** The exchange of that name, or null. Lock-free. */
  Exchange findExchange(String exchange) {
    return exchange == null ? null : exchanges.get(exchange);
  }

  /**
   * @throws AmqpException 404 NOT_FOUND
   */
  Exchange exchangeOrThrow(String exchange) {
    Exchange x = exchange == null ? null : exchanges.get(exchange);
    if (x == null) {
      throw Errors.noExchange(name, exchange);
    }
    return x;
  }

  // ---- introspection (definitions export, management) -----------------------------------

  /**
   * The declarations of the exchanges declared by clients, sorted by name: neither the default
   * exchange nor the predeclared {@code amq.*} ones (RabbitMQ's export leaves them out too).
   */
  public List<ExchangeSpec> exchangeSpecs() {
    return exchanges.values().stream()
        .map(Exchange::spec)
        .filter(x -> !x.name().isEmpty() && !x.name().startsWith("amq."))
        .sorted(Comparator.comparing(ExchangeSpec::name))
        .toList();
  }

  /** Every exchange's declaration, the default and {@code amq.*} ones included, by name. */
  public List<ExchangeSpec> allExchangeSpecs() {
    return exchanges.values().stream()
        .map(Exchange::spec)
        .sorted(Comparator.comparing(ExchangeSpec::name))
        .toList();
  }

  /** The live queues (a copy), for snapshots. */
  List<Queue> queueList() {
    return List.copyOf(queues.values());
  }

  /** The declarations of all queues (server-named ones with their generated name), by name. */
  public List<QueueSpec> queueSpecs() {
    return queues.values().stream()
        .map(Queue::spec)
        .sorted(Comparator.comparing(QueueSpec::name))
        .toList();
  }

  /**
   * A consistent copy of all bindings (to queues and to exchanges), taken under the topology lock,
   * sorted by source, destination type, destination, key and arguments; the default exchange's
   * implicit bindings are not included.
   */
  public List<BindingInfo> bindingInfos() {
    List<BindingInfo> out = new ArrayList<>();
    synchronized (topologyLock) {
      for (Exchange x : exchanges.values()) {
        for (Binding b : x.bindings) {
          boolean toQueue = b.queue() != null;
          out.add(
              new BindingInfo(
                  x.name(),
                  toQueue ? b.queue().name() : b.destinationExchange().name(),
                  toQueue ? BindingInfo.QUEUE : BindingInfo.EXCHANGE,
                  b.bindingKey(),
                  b.arguments()));
        }
      }
    }
    out.sort(
        Comparator.comparing(BindingInfo::source)
            .thenComparing(BindingInfo::destinationType)
            .thenComparing(BindingInfo::destination)
            .thenComparing(BindingInfo::routingKey)
            .thenComparing(b -> new TreeMap<>(b.arguments()).toString()));
    return out;
  }

  /**
   * Deletes every queue (cancelling their consumers, as with a deleted queue) and marks every
   * exchange dead, for the deletion of the virtual host. The caller has closed its connections.
   */
  public void deleteAll() {
    for (Queue q : new ArrayList<>(queues.values())) {
      deleteExclusiveQueue(q); // the generic forced deletion, despite its name
    }
    synchronized (topologyLock) {
      for (Exchange x : exchanges.values()) {
        x.live = false;
      }
    }
  }

  /**
   * A queue the connection may use.
   *
   * @throws AmqpException 404 NOT_FOUND; 405 RESOURCE_LOCKED if exclusive to another connection
   */
  Queue queueForAccess(String queue, ServerConnection conn) {
    Queue q = findQueue(queue);
    if (q == null) {
      throw Errors.noQueue(name, queue);
    }
    if (q.owner() != null && q.owner() != conn) {
      throw Errors.locked(name, queue);
    }
    return q;
  }

  // ---- exchanges ------------------------------------------------------------------------

  void declareExchange(ExchangeSpec spec) {
    String exchange = spec.name();
    if (exchange.isEmpty()) {
      throw Errors.defaultExchangeRefused();
    }
    Names.checkShortString("exchange name", exchange);
    ExchangeType routes = ExchangeType.create(spec);
    if (routes == null) {
      throw new AmqpException(
          ReplyCode.COMMAND_INVALID, "unknown exchange type '" + spec.type() + "'");
    }
    CompletionStage<Void> stored = null;
    synchronized (topologyLock) {
      Exchange existing = exchanges.get(exchange);
      if (existing != null) {
        checkEquivalent(existing.spec(), spec);
        return;
      }
      if (exchange.startsWith("amq.")) {
        throw Errors.reservedName("exchange", exchange);
      }
      Exchange x = new Exchange(spec, routes);
      exchanges.put(exchange, x);
      if (!recovering && durability.isWritten(x)) {
        stored = durability.store().storeExchange(name, spec);
      }
    }
    awaitStored(stored, "exchange", exchange);
  }

  /**
   * Waits, outside the topology lock, until a durable declaration is committed: declare-ok (and
   * bind-ok) then means that it survives a restart, as in RabbitMQ.
   *
   * @throws AmqpException 541 INTERNAL_ERROR if the store failed (the object exists in memory only
   *     until the next restart)
   */
  private void awaitStored(CompletionStage<Void> stored, String kind, String object) {
    if (stored == null) {
      return;
    }
    try {
      stored.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AmqpException(
          ReplyCode.INTERNAL_ERROR,
          "interrupted while storing durable " + Errors.describe(kind, object, name));
    } catch (ExecutionException e) {
      throw new AmqpException(
          ReplyCode.INTERNAL_ERROR,
          "durable "
              + Errors.describe(kind, object, name)
              + " could not be stored: "
              + e.getCause());
    }
  }

  private void checkEquivalent(ExchangeSpec current, ExchangeSpec received) {
    String x = current.name();
    if (!current.type().equals(received.type())) {
      throw Errors.inequivalent("exchange", x, name, "type", received.type(), current.type());
    }
    if (current.durable() != received.durable()) {
      throw Errors.inequivalent(
          "exchange", x, name, "durable", received.durable(), current.durable());
    }
    if (current.autoDelete() != received.autoDelete()) {
      throw Errors.inequivalent(
          "exchange", x, name, "auto_delete", received.autoDelete(), current.autoDelete());
    }
    if (current.internal() != received.internal()) {
      throw Errors.inequivalent(
          "exchange", x, name, "internal", received.internal(), current.internal());
    }
    String arg = Arguments.firstDifference(received.arguments(), current.arguments());
    if (arg != null) {
      throw Errors.inequivalent(
          "exchange", x, name, arg, received.arguments().get(arg), current.arguments().get(arg));
    }
  }

  void deleteExchange(String exchange, boolean ifUnused) {
    if (exchange == null || exchange.isEmpty()) {
      throw Errors.defaultExchangeRefused();
    }
    if (exchange.startsWith("amq.") && exchanges.containsKey(exchange)) {
      throw new AmqpException(
          ReplyCode.ACCESS_REFUSED,
          "operation not permitted on " + Errors.describe("exchange", exchange, name));
    }
    CompletionStage<Void> removal;
    synchronized (topologyLock) {
      Exchange x = exchanges.get(exchange);
      if (x == null) {
        return; // idempotent, as RabbitMQ answers exchange.delete of a missing exchange
      }
      if (ifUnused && !x.bindings.isEmpty()) {
        throw Errors.precondition(Errors.describe("exchange", exchange, name) + " in use");
      }
      lastRemoval = null; // left by removals nobody awaits (auto-delete, x-expires)
      removeExchangeLocked(x);
      removal = takeLastRemovalLocked();
    }
    awaitStored(removal, "deletion of exchange", exchange);
  }

  /**
   * Removes an exchange with its bindings in both directions (RabbitMQ doc "e2e"); a source
   * exchange that is auto-delete and loses its last binding this way is removed too.
   */
  private void removeExchangeLocked(Exchange x) {
    if (!exchanges.remove(x.name(), x)) {
      return;
    }
    x.live = false;
    if (durability.isWritten(x)) {
      lastRemoval = durability.store().deleteExchange(name, x.name());
    }
    for (Binding b : new ArrayList<>(x.bindings)) {
      x.routes().unbind(b);
      forgetDestinationLocked(b);
      StoredBinding stored = durability.stored(name, b);
      if (stored != null) {
        lastRemoval = durability.store().deleteBinding(stored);
      }
    }
    x.bindings.clear();
    for (Binding b : new ArrayList<>(x.destinationBindings)) {
      unbindLocked(b);
    }
  }

  private static void forgetDestinationLocked(Binding b) {
    if (b.queue() != null) {
      b.queue().bindings.remove(b);
    } else {
      b.destinationExchange().destinationBindings.remove(b);
    }
  }

  // ---- delayed messages ------------------------------------------------------------------

  /**
   * Holds a message in an {@code x-delayed-message} exchange and routes it from there when due, on
   * the broker's single timer thread. Messages of an exchange deleted meanwhile are dropped, as
   * with the plugin.
   *
   * <p>A persistent message held by a durable exchange on a durable store is stored with its due
   * time first ({@link MessageStore#storeDelayedMessage}, in {@code unit} if given): its publish
   * ({@code pending}) is confirmed, and its timer started, only once the store has it; it survives
   * a restart ({@link #recoverDelayed}). Other messages are held in memory only (a transient
   * message is never written; a transient exchange does not survive a restart).
   *
   * @param delayMs the delay, positive
   * @param pending the publish's confirm, or null
   * @param unit the transaction's store unit of work ({@code tx.commit}, {@code dtx.commit}), or
   *     null
   */
  void delay(
      Exchange x,
      String routingKey,
      BasicProperties props,
      byte[] body,
      long delayMs,
      PublisherConfirms.Pending pending,
      MessageStore.UnitOfWork unit) {
    BasicProperties released = DelayedMessageExchangeType.released(props, delayMs);
    if (!props.isPersistent() || !durability.isWritten(x)) {
      schedule(() -> release(x, routingKey, released, body, 0), delayMs);
      return;
    }
    long id = durability.nextMessageId();
    long dueAt = System.currentTimeMillis() + delayMs;
    StoredDelayedMessage m =
        new StoredDelayedMessage(
            name, new StoredMessage(id, x.name(), routingKey, released, body), dueAt);
    CompletionStage<Void> stored =
        unit != null ? unit.storeDelayedMessage(m) : durability.store().storeDelayedMessage(m);
    if (pending != null) {
      pending.hold();
    }
    // the timer starts once stored: its release (which forgets the stored copy) comes after it
    stored.whenComplete(
        (v, failure) -> {
          if (pending != null) {
            pending.release(failure == null);
          }
          schedule(
              () -> release(x, routingKey, released, body, failure == null ? id : 0),
              dueAt - System.currentTimeMillis());
        });
  }

  /**
   * Holds a delayed message recovered from the store until it is due (at once if late), then routes
   * it as its exchange routes then; a message whose exchange no longer exists (or is no longer
   * durable and delayed) is forgotten. Called after recovery, once message ids are seeded.
   */
  public void recoverDelayed(StoredDelayedMessage m) {
    Exchange x = findExchange(m.message().exchange());
    if (x == null || !x.isDelayed() || !durability.isWritten(x)) {
      LOG.log(
          System.Logger.Level.INFO,
          "vhost ''{0}'': stored delayed message of exchange ''{1}'' dropped: the exchange is gone",
          name,
          m.message().exchange());
      MessageStore.UnitOfWork unit = durability.beginUnitOfWork();
      unit.deleteDelayedMessage(name, m.message().messageId());
      unit.commit();
      return;
    }
    StoredMessage s = m.message();
    schedule(
        () -> release(x, s.routingKey(), s.properties(), s.body(), s.messageId()),
        m.dueAtMillis() - System.currentTimeMillis());
  }

  private void schedule(Runnable release, long delayMs) {
    if (timer != null) {
      // A null future means the broker is closing: the held message is dropped (if stored, it
      // comes back at the next start).
      timer.schedule(release, TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMs)));
      return;
    }
    release.run();
  }

  /**
   * Routes a due message from its delayed exchange.
   *
   * @param storedId the id of its stored copy, forgotten in the unit of work that enqueues it; 0
   *     when it was not stored
   */
  private void release(
      Exchange x, String routingKey, BasicProperties props, byte[] body, long storedId) {
    MessageStore.UnitOfWork unit = storedId != 0 ? durability.beginUnitOfWork() : null;
    try {
      if (!x.live) {
        return;
      }
      RouteCollector rc = new RouteCollector();
      rc.route(this, x, routingKey, props, true);
      int n = rc.size();
      // one store id for every target queue: written once, in the unit with the stored copy's
      // removal
      long messageId =
          unit != null && n > 1 && props.isPersistent() ? durability.nextMessageId() : 0;
      for (int i = 0; i < n; i++) {
        Publisher.enqueue(rc.get(i), x.name(), routingKey, props, body, messageId, null, unit);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "releasing a delayed message of " + x + " failed", e);
    } finally {
      if (unit != null) {
        unit.deleteDelayedMessage(name, storedId);
        unit.commit();
      }
    }
  }

  // ---- queues ---------------------------------------------------------------------------

  QueueDeclareOk declareQueue(QueueSpec spec, ServerConnection conn) {
    Names.checkShortString("queue name", spec.name());
    boolean serverNamed = spec.name().isEmpty();
    String queue = serverNamed ? Names.queueName() : spec.name();
    QueueSpec actual =
        serverNamed
            ? new QueueSpec(
                queue, spec.durable(), spec.exclusive(), spec.autoDelete(), spec.arguments())
            : spec;
    int maxPriority = maxPriority(actual);
    QueueArguments args = QueueArguments.parse(actual.arguments(), queue, name);
    Queue created;
    CompletionStage<Void> stored = null;
    synchronized (topologyLock) {
      Queue existing = queues.get(queue);
      if (existing != null) {
        if (existing.owner() != null && existing.owner() != conn) {
          throw Errors.locked(name, queue);
        }
        checkEquivalent(existing.spec(), actual);
        existing.touch();
        return new QueueDeclareOk(queue, existing.messageCount(), existing.consumerCount());
      }
      if (!serverNamed && queue.startsWith("amq.")) {
        throw Errors.reservedName("queue", queue);
      }
      created = new Queue(queue, actual, actual.exclusive() ? conn : null, maxPriority, args, this);
      queues.put(queue, created);
      counters.queuesDeclared.increment();
      ManagementBeans beans = management;
      if (beans != null) {
        beans.queueCreated(created);
      }
      if (!recovering && durability.isWritten(created)) {
        stored = durability.store().storeQueue(name, actual);
      }
      if (actual.exclusive()) {
        conn.exclusiveQueues.add(created);
      }
    }
    awaitStored(stored, "queue", queue);
    created.start();
    if (actual.exclusive() && !conn.isOpen()) {
      // the owner closed while we declared: it may have missed this queue
      deleteExclusiveQueue(created);
    }
    return new QueueDeclareOk(queue, 0, 0);
  }

  private int maxPriority(QueueSpec spec) {
    Object value = spec.arguments().get("x-max-priority");
    if (value == null) {
      return 0;
    }
    String prefix =
        "invalid arg 'x-max-priority' for " + Errors.describe("queue", spec.name(), name) + ": ";
    if (!Arguments.isIntegral(value)) {
      throw Errors.precondition(
          prefix + "expected an integer, got " + value.getClass().getSimpleName());
    }
    long p = ((Number) value).longValue();
    if (p < 1 || p > 255) {
      throw Errors.precondition(prefix + "must be between 1 and 255, was " + p);
    }
    return (int) p;
  }

  private void checkEquivalent(QueueSpec current, QueueSpec received) {
    String q = current.name();
    if (current.durable() != received.durable()) {
      throw Errors.inequivalent("queue", q, name, "durable", received.durable(), current.durable());
    }
    if (current.exclusive() != received.exclusive()) {
      throw Errors.inequivalent(
          "queue", q, name, "exclusive", received.exclusive(), current.exclusive());
    }
    if (current.autoDelete() != received.autoDelete()) {
      throw Errors.inequivalent(
          "queue", q, name, "auto_delete", received.autoDelete(), current.autoDelete());
    }
    String arg = Arguments.firstDifference(received.arguments(), current.arguments());
    if (arg != null) {
      throw Errors.inequivalent(
          "queue", q, name, arg, received.arguments().get(arg), current.arguments().get(arg));
    }
  }

  int deleteQueue(String queue, boolean ifUnused, boolean ifEmpty, ServerConnection conn) {
    Queue q;
    Queue.Deletion d;
    CompletionStage<Void> removal;
    synchronized (topologyLock) {
      if (!queues.containsKey(queue)) {
        return 0; // idempotent, as RabbitMQ answers queue.delete of a missing queue
      }
      q = queueForAccess(queue, conn);
      d = q.markDeleted(ifUnused, ifEmpty, false, name);
      if (d == null) {
        throw Errors.noQueue(name, queue);
      }
      lastRemoval = null; // left by removals nobody awaits (auto-delete, x-expires)
      forgetQueueLocked(q);
      removal = takeLastRemovalLocked();
    }
    cancelConsumers(d);
    awaitStored(removal, "deletion of queue", queue);
    return d.messageCount();
  }

  /** Deletes an auto-delete queue whose last consumer went, unless one came back meanwhile. */
  void deleteAutoDeleteQueue(Queue q) {
    Queue.Deletion d;
    synchronized (topologyLock) {
      d = q.markDeleted(false, false, true, name);
      if (d == null) {
        return;
      }
      forgetQueueLocked(q);
    }
    cancelConsumers(d);
  }

  /**
   * Deletes a queue whose {@code x-expires} lease ran out, unless it was used meanwhile (then the
   * queue schedules its next check).
   */
  void deleteExpiredQueue(Queue q) {
    Queue.Deletion d;
    synchronized (topologyLock) {
      d = q.markDeletedIfUnused();
      if (d == null) {
        return;
      }
      forgetQueueLocked(q);
    }
    cancelConsumers(d);
  }

  /** Deletes an exclusive queue whose owner closed. Idempotent. */
  void deleteExclusiveQueue(Queue q) {
    Queue.Deletion d;
    synchronized (topologyLock) {
      d = q.markDeleted(false, false, false, name);
      if (d == null) {
        return;
      }
      forgetQueueLocked(q);
    }
    cancelConsumers(d);
  }

  private static void cancelConsumers(Queue.Deletion d) {
    for (ServerConsumer c : d.consumers()) {
      c.channel.consumerCancelledByBroker(c);
    }
  }

  private void forgetQueueLocked(Queue q) {
    if (queues.remove(q.name(), q)) {
      counters.queuesDeleted.increment();
    }
    ManagementBeans beans = management;
    if (beans != null) {
      beans.queueDeleted(q);
    }
    for (Binding b : new ArrayList<>(q.bindings)) {
      unbindLocked(b);
    }
    if (durability.isWritten(q)) {
      lastRemoval = durability.store().deleteQueue(name, q.name());
    }
    if (q.owner() != null) {
      q.owner().exclusiveQueues.remove(q);
    }
  }

  // ---- bindings -------------------------------------------------------------------------

  void bind(
      String queue,
      String exchange,
      String bindingKey,
      Map<String, Object> arguments,
      ServerConnection conn) {
    if (exchange == null || exchange.isEmpty()) {
      throw Errors.defaultExchangeRefused();
    }
    Names.checkShortString("binding key", bindingKey);
    CompletionStage<Void> stored = null;
    synchronized (topologyLock) {
      Queue q = queueForAccess(queue, conn);
      Exchange x = exchangeOrThrow(exchange);
      Binding b =
          new Binding(x, q, bindingKey == null ? "" : bindingKey, Arguments.copy(arguments));
      if (x.bindings.add(b)) {
        x.routes().bind(b);
        q.bindings.add(b);
        stored = storeBindingLocked(b);
      }
    }
    awaitStored(stored, "binding of queue", queue);
  }

  void unbind(
      String queue,
      String exchange,
      String bindingKey,
      Map<String, Object> arguments,
      ServerConnection conn) {
    if (exchange == null || exchange.isEmpty()) {
      throw Errors.defaultExchangeRefused();
    }
    CompletionStage<Void> removal;
    synchronized (topologyLock) {
      Queue q = queueForAccess(queue, conn);
      Exchange x = exchangeOrThrow(exchange);
      Binding b =
          new Binding(x, q, bindingKey == null ? "" : bindingKey, Arguments.copy(arguments));
      lastRemoval = null; // left by removals nobody awaits (auto-delete, x-expires)
      if (x.bindings.contains(b)) {
        unbindLocked(b);
      }
      removal = takeLastRemovalLocked();
    }
    awaitStored(removal, "unbinding of queue", queue);
  }

  /**
   * {@code exchange.bind} (RabbitMQ extension, doc "e2e"): messages routed by {@code source} to
   * this binding continue through {@code destination}.
   *
   * @throws AmqpException 403 for the default exchange on either side; 404 if either is absent
   */
  void bindExchange(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    String key = bindingKey == null ? "" : bindingKey;
    Names.checkShortString("binding key", key);
    if (destination == null || destination.isEmpty() || source == null || source.isEmpty()) {
      throw Errors.defaultExchangeRefused();
    }
    CompletionStage<Void> stored = null;
    synchronized (topologyLock) {
      Exchange dst = exchangeOrThrow(destination);
      Exchange src = exchangeOrThrow(source);
      Binding b = Binding.toExchange(src, dst, key, Arguments.copy(arguments));
      if (src.bindings.add(b)) {
        src.routes().bind(b);
        dst.destinationBindings.add(b);
        stored = storeBindingLocked(b);
      }
    }
    awaitStored(stored, "binding to exchange", destination);
  }

  /**
   * {@code exchange.unbind}: removing a binding that does not exist is a no-op, as in RabbitMQ.
   *
   * @throws AmqpException 403 for the default exchange on either side; 404 if either is absent
   */
  void unbindExchange(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    if (destination == null || destination.isEmpty() || source == null || source.isEmpty()) {
      throw Errors.defaultExchangeRefused();
    }
    CompletionStage<Void> removal;
    synchronized (topologyLock) {
      Exchange dst = exchangeOrThrow(destination);
      Exchange src = exchangeOrThrow(source);
      Binding b =
          Binding.toExchange(
              src, dst, bindingKey == null ? "" : bindingKey, Arguments.copy(arguments));
      lastRemoval = null; // left by removals nobody awaits (auto-delete, x-expires)
      if (src.bindings.contains(b)) {
        unbindLocked(b);
      }
      removal = takeLastRemovalLocked();
    }
    awaitStored(removal, "unbinding of exchange", destination);
  }

  /** The last removal written since the previous call (null if none); clears it. */
  private CompletionStage<Void> takeLastRemovalLocked() {
    CompletionStage<Void> r = lastRemoval;
    lastRemoval = null;
    return r;
  }

  /**
   * Removes a binding; a source exchange declared auto-delete that loses its last binding (as a
   * source; being a destination does not count, as in RabbitMQ) is deleted.
   */
  private void unbindLocked(Binding b) {
    Exchange x = b.exchange();
    x.bindings.remove(b);
    x.routes().unbind(b);
    forgetDestinationLocked(b);
    StoredBinding stored = durability.stored(name, b);
    if (stored != null) {
      lastRemoval = durability.store().deleteBinding(stored);
    }
    if (x.spec().autoDelete() && x.bindings.isEmpty()) {
      removeExchangeLocked(x);
    }
  }

  private CompletionStage<Void> storeBindingLocked(Binding b) {
    if (!recovering) {
      StoredBinding stored = durability.stored(name, b);
      if (stored != null) {
        return durability.store().storeBinding(stored);
      }
    }
    return null;
  }

  /**
   * Registers a JMX MBean for each queue from now on ({@link io.warrenmq.engine.BrokerConfig#jmx}):
   * called by the broker right after it creates this virtual host, before any queue.
   */
  public void management(ManagementBeans beans) {
    this.management = beans;
  }

  // ---- recovery (broker start-up, one thread, before any client) ---------------------------

  /** Re-creates a stored exchange without writing it back. */
  public void recoverExchange(ExchangeSpec spec) {
    recovering = true;
    try {
      declareExchange(spec);
    } finally {
      recovering = false;
    }
  }

  /** Re-creates a stored queue without writing it back. */
  public void recoverQueue(QueueSpec spec) {
    recovering = true;
    try {
      declareQueue(spec, null);
    } finally {
      recovering = false;
    }
  }

  /** Re-creates a stored binding without writing it back. */
  public void recoverBinding(StoredBinding b) {
    recovering = true;
    try {
      if (b.toExchange()) {
        bindExchange(b.destination(), b.source(), b.bindingKey(), b.arguments());
      } else {
        bind(b.destination(), b.source(), b.bindingKey(), b.arguments(), null);
      }
    } finally {
      recovering = false;
    }
  }

  /**
   * Gives a recovered queue its stored entries ({@link
   * io.warrenmq.engine.MessageStore.RecoveryHandler#queueEntries}), without writing them back.
   *
   * @return false if the queue does not exist (its entries then stay in the store, unused)
   */
  public boolean recoverEntries(String queue, long entries, long bodyBytes, long lastSeq) {
    Queue q = queues.get(queue);
    if (q == null) {
      return false;
    }
    q.recoverEntries(entries, bodyBytes, lastSeq);
    return true;
  }
}
