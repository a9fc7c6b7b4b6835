package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Routes one message through an exchange graph and collects the queues it goes to, without
 * duplicates: a queue matched by several bindings or paths receives one copy (AMQP 0-9-1 spec
 * 3.1.3.3; RabbitMQ behaves the same).
 *
 * <p>The walk follows RabbitMQ's {@code rabbit_exchange:route/2}: a work list of exchanges,
 * starting with the one published to; each exchange's type yields its matching bindings; a binding
 * to an exchange adds that exchange to the work list unless it was already visited (so cycles end
 * and each exchange is visited at most once); an exchange whose type yields no destination at all
 * sends the message to its {@code alternate-exchange} if one of that name exists (RabbitMQ docs
 * "e2e" and "ae"). An {@code x-delayed-message} exchange reached with a positive {@code x-delay}
 * holds the message instead of routing it: it is listed in {@link #delayedCount()} for the caller
 * to schedule, and counts as a destination (no alternate exchange, no return).
 *
 * <p>Reused across publishes to avoid an allocation per message: deduplication is a linear scan
 * while there are few targets and an identity set beyond that.
 *
 * <p>Not thread-safe: one publish at a time (see {@code ServerChannel}).
 */
public final class RouteCollector {
  private static final int LINEAR_LIMIT = 16;

  private Queue[] queues = new Queue[8];
  private int size;
  private Set<Queue> seen;
  private Exchange[] visited = new Exchange[4];
  private int visitedCount;
  private Exchange[] delayed = new Exchange[2];
  private int delayedCount;
  private int hits;

  /** The message being routed, for bindings with a JMS selector. */
  private BasicProperties properties;

  /**
   * Routes a message from {@code source}; the result is read with {@link #size()}, {@link
   * #get(int)} and {@link #delayed(int)}.
   *
   * @param vhost resolves alternate exchanges by name at routing time, as RabbitMQ does
   * @param release true when {@code source} is a delayed exchange releasing a due message: its
   *     delay is not applied again
   */
  void route(
      ServerVirtualHost vhost,
      Exchange source,
      String routingKey,
      BasicProperties properties,
      boolean release) {
    this.properties = properties;
    visit(source);
    long delay = -1;
    // the work list is the visited array itself: exchanges are appended once and walked in order
    for (int i = 0; i < visitedCount; i++) {
      Exchange x = visited[i];
      if (x.isDelayed() && !(release && x == source)) {
        if (delay < 0) {
          delay = DelayedMessageExchangeType.delayOf(properties);
        }
        if (delay > 0) {
          addDelayed(x);
          continue;
        }
      }
      int before = hits;
      x.routes().route(routingKey, properties, this);
      if (hits == before && x.alternateExchange() != null) {
        Exchange ae = vhost.findExchange(x.alternateExchange());
        if (ae != null) {
          visit(ae);
        }
      }
    }
  }

  /** Adds the destination of a matching binding. */
  void add(Binding b) {
    if (!b.admits(properties)) {
      return;
    }
    if (b.queue() != null) {
      add(b.queue());
    } else {
      hits++;
      visit(b.destinationExchange());
    }
  }

  private void visit(Exchange x) {
    for (int i = 0; i < visitedCount; i++) {
      if (visited[i] == x) {
        return;
      }
    }
    if (visitedCount == visited.length) {
      visited = Arrays.copyOf(visited, visitedCount * 2);
    }
    visited[visitedCount++] = x;
  }

  private void addDelayed(Exchange x) {
    if (delayedCount == delayed.length) {
      delayed = Arrays.copyOf(delayed, delayedCount * 2);
    }
    delayed[delayedCount++] = x;
  }

  /** Adds a target queue unless already present. */
  public void add(Queue q) {
    hits++;
    if (size < LINEAR_LIMIT) {
      for (int i = 0; i < size; i++) {
        if (queues[i] == q) {
          return;
        }
      }
      append(q);
      if (size == LINEAR_LIMIT) {
        if (seen == null) {
          seen = Collections.newSetFromMap(new IdentityHashMap<>());
        }
        for (int i = 0; i < size; i++) {
          seen.add(queues[i]);
        }
      }
    } else if (seen.add(q)) {
      append(q);
    }
  }

  private void append(Queue q) {
    if (size == queues.length) {
      queues = Arrays.copyOf(queues, size * 2);
    }
    queues[size++] = q;
  }

  /** The number of distinct target queues. */
  int size() {
    return size;
  }

  Queue get(int i) {
    return queues[i];
  }

  /** The number of delayed exchanges that hold the message. */
  int delayedCount() {
    return delayedCount;
  }

  Exchange delayed(int i) {
    return delayed[i];
  }

  void clear() {
    if (size >= LINEAR_LIMIT) {
      seen.clear();
    }
    Arrays.fill(queues, 0, size, null);
    size = 0;
    Arrays.fill(visited, 0, visitedCount, null);
    visitedCount = 0;
    Arrays.fill(delayed, 0, delayedCount, null);
    delayedCount = 0;
    properties = null;
    hits = 0;
  }
}
