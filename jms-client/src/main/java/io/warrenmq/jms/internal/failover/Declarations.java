package io.warrenmq.jms.internal.failover;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link FailoverConnection} has declared on the broker (exchanges, queues, bindings), to
 * declare it again after a reconnect, in that order: the RabbitMQ Java client's topology recovery.
 * A delete or unbind forgets what it removes; server-named queues are not recorded (a client may
 * not declare an {@code amq.} name). Exclusive queues (JMS temporary queues, non-durable
 * subscriptions) come back empty: the broker deleted them, and their messages, with the lost
 * connection.
 *
 * <p>Thread-safety: every method is synchronized.
 */
final class Declarations {

  private record Binding(
      boolean toExchange,
      String destination,
      String source,
      String key,
      Map<String, Object> arguments) {}

  private final Map<String, ExchangeSpec> exchanges = new LinkedHashMap<>();
  private final Map<String, QueueSpec> queues = new LinkedHashMap<>();
  private final Set<Binding> bindings = new LinkedHashSet<>();

  synchronized void exchange(ExchangeSpec spec) {
    exchanges.put(spec.name(), spec);
  }

  synchronized void exchangeDeleted(String name) {
    exchanges.remove(name);
    bindings.removeIf(b -> b.source.equals(name) || (b.toExchange && b.destination.equals(name)));
  }

  synchronized void queue(QueueSpec spec) {
    if (!spec.name().isEmpty()) {
      queues.put(spec.name(), spec);
    }
  }

  synchronized void queueDeleted(String name) {
    queues.remove(name);
    bindings.removeIf(b -> !b.toExchange && b.destination.equals(name));
  }

  /** Whether the queue was declared auto-delete (gone with its last consumer). */
  synchronized boolean isAutoDelete(String queue) {
    QueueSpec q = queues.get(queue);
    return q != null && q.autoDelete();
  }

  synchronized void bind(
      boolean toExchange, String destination, String source, String key, Map<String, Object> args) {
    bindings.add(new Binding(toExchange, destination, source, key, normal(args)));
  }

  synchronized void unbind(
      boolean toExchange, String destination, String source, String key, Map<String, Object> args) {
    bindings.remove(new Binding(toExchange, destination, source, key, normal(args)));
  }

  private static Map<String, Object> normal(Map<String, Object> args) {
    return args == null ? Map.of() : Map.copyOf(args);
  }

  /** Declares everything again on {@code channel}: exchanges, queues, then bindings. */
  void replay(AmqpChannel channel) {
    List<ExchangeSpec> es;
    List<QueueSpec> qs;
    List<Binding> bs;
    synchronized (this) {
      es = new ArrayList<>(exchanges.values());
      qs = new ArrayList<>(queues.values());
      bs = new ArrayList<>(bindings);
    }
    for (ExchangeSpec e : es) {
      channel.exchangeDeclare(e);
    }
    for (QueueSpec q : qs) {
      channel.queueDeclare(q);
    }
    for (Binding b : bs) {
      if (b.toExchange) {
        channel.exchangeBind(b.destination, b.source, b.key, b.arguments);
      }
    }
    for (Binding b : bs) {
      if (!b.toExchange) {
        channel.queueBind(b.destination, b.source, b.key, b.arguments);
      }
    }
  }

  @Override
  public synchronized String toString() {
    return "Declarations["
        + exchanges.size()
        + " exchanges, "
        + queues.size()
        + " queues, "
        + bindings.size()
        + " bindings]";
  }
}
