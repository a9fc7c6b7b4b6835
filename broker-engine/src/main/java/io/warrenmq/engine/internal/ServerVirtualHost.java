package io.warrenmq.engine.internal;

import io.warrenmq.engine.AmqpException;
import io.warrenmq.engine.ExchangeSpec;
import io.warrenmq.engine.QueueDeclareOk;
import io.warrenmq.engine.QueueSpec;
import io.warrenmq.engine.ReplyCode;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model of one virtual host: exchanges, queues and bindings.
 *
 * <p>Concurrency: topology changes (declare, delete, bind, unbind) are serialized by one topology
 * lock per virtual host; they are rare and never on the publish or deliver path. Lookups by name
 * ({@link #findQueue}, {@link #exchangeOrThrow}) read concurrent maps without a lock. Lock order:
 * topology lock, then queue lock, then channel lock.
 */
public final class ServerVirtualHost {
  private final String name;
  private final Object topologyLock = new Object();
  private final ConcurrentHashMap<String, Exchange> exchanges = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();

  private final BrokerTimer timer;
  private final MemoryMonitor memory;

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
    this.name = name;
    this.timer = timer;
    this.memory = memory;
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
    ExchangeType routes = ExchangeType.create(spec.type());
    if (routes == null) {
      throw new AmqpException(
          ReplyCode.COMMAND_INVALID, "unknown exchange type '" + spec.type() + "'");
    }
    synchronized (topologyLock) {
      Exchange existing = exchanges.get(exchange);
      if (existing != null) {
        checkEquivalent(existing.spec(), spec);
        return;
      }
      if (exchange.startsWith("amq.")) {
        throw Errors.reservedName("exchange", exchange);
      }
      exchanges.put(exchange, new Exchange(spec, routes));
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
    synchronized (topologyLock) {
      Exchange x = exchangeOrThrow(exchange);
      if (ifUnused && !x.bindings.isEmpty()) {
        throw Errors.precondition(Errors.describe("exchange", exchange, name) + " in use");
      }
      removeExchangeLocked(x);
    }
  }

  private void removeExchangeLocked(Exchange x) {
    exchanges.remove(x.name(), x);
    for (Binding b : new ArrayList<>(x.bindings)) {
      x.routes().unbind(b);
      b.queue().bindings.remove(b);
    }
    x.bindings.clear();
  }

  // ---- queues ---------------------------------------------------------------------------

  QueueDeclareOk declareQueue(QueueSpec spec, ServerConnection conn) {
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
      if (actual.exclusive()) {
        conn.exclusiveQueues.add(created);
      }
    }
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
    synchronized (topologyLock) {
      q = queueForAccess(queue, conn);
      d = q.markDeleted(ifUnused, ifEmpty, false, name);
      if (d == null) {
        throw Errors.noQueue(name, queue);
      }
      forgetQueueLocked(q);
    }
    cancelConsumers(d);
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
    queues.remove(q.name(), q);
    for (Binding b : new ArrayList<>(q.bindings)) {
      unbindLocked(b);
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
    synchronized (topologyLock) {
      Queue q = queueForAccess(queue, conn);
      Exchange x = exchangeOrThrow(exchange);
      Binding b =
          new Binding(x, q, bindingKey == null ? "" : bindingKey, Arguments.copy(arguments));
      if (x.bindings.add(b)) {
        x.routes().bind(b);
        q.bindings.add(b);
      }
    }
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
    synchronized (topologyLock) {
      Queue q = queueForAccess(queue, conn);
      Exchange x = exchangeOrThrow(exchange);
      Binding b =
          new Binding(x, q, bindingKey == null ? "" : bindingKey, Arguments.copy(arguments));
      if (x.bindings.contains(b)) {
        unbindLocked(b);
      }
    }
  }

  private void unbindLocked(Binding b) {
    Exchange x = b.exchange();
    x.bindings.remove(b);
    x.routes().unbind(b);
    b.queue().bindings.remove(b);
    if (x.spec().autoDelete() && x.bindings.isEmpty()) {
      removeExchangeLocked(x);
    }
  }
}
