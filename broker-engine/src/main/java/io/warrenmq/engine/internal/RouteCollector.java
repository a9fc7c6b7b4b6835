package io.warrenmq.engine.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The queues a message is routed to, without duplicates: a queue matched by several bindings
 * receives one copy (AMQP 0-9-1 spec 3.1.3.3; RabbitMQ behaves the same).
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

  /** Adds a target unless already present. */
  public void add(Queue q) {
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

  int size() {
    return size;
  }

  Queue get(int i) {
    return queues[i];
  }

  void clear() {
    if (size >= LINEAR_LIMIT) {
      seen.clear();
    }
    Arrays.fill(queues, 0, size, null);
    size = 0;
  }
}
