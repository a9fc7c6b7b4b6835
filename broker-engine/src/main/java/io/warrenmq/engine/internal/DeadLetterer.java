package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.engine.MessageStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dead-lettering (https://www.rabbitmq.com/docs/dlx): republishes a message that a queue gives up
 * on to the queue's {@code x-dead-letter-exchange}, with the routing key {@code
 * x-dead-letter-routing-key} or else the message's own, and records why in the {@code x-death}
 * header.
 *
 * <p>The header is written exactly as RabbitMQ 3.10 writes it (checked against the broker): {@code
 * x-death} is a list of tables, newest first, one per (queue, reason), each with {@code count}
 * (long), {@code exchange} and {@code routing-keys} (where the message was first published to that
 * queue), {@code queue}, {@code reason}, {@code time} (a timestamp, whole seconds) and {@code
 * original-expiration} when the message had an {@code expiration} (which is then removed, so that
 * the message does not expire again). A second death in the same queue for the same reason moves
 * that table to the front with its count incremented, keeping its other fields. The first death
 * also sets {@code x-first-death-reason}, {@code x-first-death-queue} and {@code
 * x-first-death-exchange}; RabbitMQ 3.10 writes no {@code x-last-death-*} headers, nor does the
 * engine.
 *
 * <p>Cycles are detected as RabbitMQ does: unless the reason is {@code rejected}, a target queue
 * the message already died in is skipped if no death since then (that one included) was a
 * rejection; a fully automatic cycle (e.g. TTL expiry back into the same queue) so drops the
 * message. A missing dead-letter exchange drops the message, as in RabbitMQ.
 *
 * <p>Routing uses the exchange's own bindings. Thread-safety: stateless; called without any lock
 * held.
 */
final class DeadLetterer {
  private static final System.Logger LOG = System.getLogger(DeadLetterer.class.getName());

  static final String REJECTED = "rejected";
  static final String EXPIRED = "expired";
  static final String MAXLEN = "maxlen";
  static final String DELIVERY_LIMIT = "delivery_limit";

  /** An entry a queue dropped under its lock, to dead-letter once it is released. */
  record Dead(QueueEntry entry, String reason) {}

  private DeadLetterer() {}

  /**
   * Dead-letters (or drops) an entry of {@code queue} and stops counting it against the memory
   * limit. Never throws.
   */
  static void deadLetter(Queue queue, QueueEntry e, String reason) {
    deadLetter(queue, e, reason, null);
  }

  /**
   * {@link #deadLetter(Queue, QueueEntry, String)} in a store unit of work (a rejection applied by
   * {@code tx.commit} or {@code dtx.commit}): the copies' enqueues and the entry's removal commit
   * with the transaction. With {@code unit} null, a copy routed to several queues is written in a
   * unit of its own and the removal on its own.
   */
  static void deadLetter(Queue queue, QueueEntry e, String reason, MessageStore.UnitOfWork unit) {
    try {
      String dlx = queue.arguments().deadLetterExchange();
      if (dlx == null) {
        return;
      }
      Exchange x = queue.virtualHost().findExchange(dlx);
      if (x == null) {
        LOG.log(
            System.Logger.Level.DEBUG,
            () -> "dead-letter exchange '" + dlx + "' of " + queue + " does not exist: dropped");
        return;
      }
      String dlrk = queue.arguments().deadLetterRoutingKey();
      String key = dlrk != null ? dlrk : e.routingKey;
      BasicProperties props = withDeath(e, queue.name(), reason, System.currentTimeMillis());
      List<?> deaths = (List<?>) props.headers().get("x-death");
      // Full routing, as a publish: exchange-to-exchange bindings, alternate exchanges, delays.
      RouteCollector targets = new RouteCollector();
      targets.route(queue.virtualHost(), x, key, props, false);
      for (int i = 0; i < targets.delayedCount(); i++) {
        queue
            .virtualHost()
            .delay(
                targets.delayed(i),
                key,
                props,
                e.body,
                DelayedMessageExchangeType.delayOf(props),
                null,
                unit);
      }
      // one store id for all targets, enqueued in one unit of work (the MessageStore contract for
      // a shared message): the copy is written once and referenced per durable queue
      Durability durability = queue.virtualHost().durability();
      long messageId =
          props.isPersistent() && targets.size() > 1 && durability.isDurable()
              ? durability.nextMessageId()
              : 0;
      MessageStore.UnitOfWork own =
          unit == null && messageId != 0 ? durability.beginUnitOfWork() : null;
      try {
        for (int i = 0; i < targets.size(); i++) {
          Queue target = targets.get(i);
          if (!REJECTED.equals(reason) && isCycle(target.name(), deaths)) {
            LOG.log(
                System.Logger.Level.DEBUG,
                () -> "dead-letter cycle through " + target + ": message dropped");
            continue;
          }
          target.offer(dlx, key, props, e.body, messageId, null, own != null ? own : unit);
        }
      } finally {
        if (own != null) {
          own.commit();
        }
      }
    } catch (RuntimeException ex) {
      LOG.log(System.Logger.Level.WARNING, "dead-lettering from " + queue + " failed", ex);
    } finally {
      e.settled(unit);
    }
  }

  /** The properties of the dead-lettered copy: {@code x-death} updated, expiration removed. */
  static BasicProperties withDeath(QueueEntry e, String queue, String reason, long nowMillis) {
    BasicProperties p = e.properties;
    Map<String, Object> headers = new LinkedHashMap<>(p.headers());
    Object old = headers.get("x-death");
    List<Object> deaths = new ArrayList<>();
    Map<String, Object> death = null;
    if (old instanceof List<?> list) {
      for (Object d : list) {
        if (death == null
            && d instanceof Map<?, ?> m
            && queue.equals(text(m.get("queue")))
            && reason.equals(text(m.get("reason")))) {
          death = new TreeMap<>();
          for (Map.Entry<?, ?> f : m.entrySet()) {
            death.put(String.valueOf(f.getKey()), f.getValue());
          }
          Object count = m.get("count");
          death.put("count", (count instanceof Number n ? n.longValue() : 0L) + 1);
        } else {
          deaths.add(d);
        }
      }
    }
    if (death == null) {
      // RabbitMQ sorts the table by key
      death = new TreeMap<>();
      death.put("count", 1L);
      death.put("exchange", e.exchange);
      if (p.expiration() != null) {
        death.put("original-expiration", p.expiration());
      }
      death.put("queue", queue);
      death.put("reason", reason);
      death.put("routing-keys", routingKeys(e));
      death.put("time", new Date(nowMillis / 1000 * 1000));
    }
    deaths.add(0, Collections.unmodifiableMap(new LinkedHashMap<>(death)));
    headers.put("x-death", Collections.unmodifiableList(deaths));
    if (!(old instanceof List)) {
      headers.put("x-first-death-reason", reason);
      headers.put("x-first-death-queue", queue);
      headers.put("x-first-death-exchange", e.exchange);
    }
    return p.toBuilder().headers(headers).expiration(null).build();
  }

  /** The routing key and the {@code CC} keys the message was published with. */
  private static List<String> routingKeys(QueueEntry e) {
    List<String> keys = new ArrayList<>();
    keys.add(e.routingKey);
    if (e.properties.headers().get("CC") instanceof List<?> cc) {
      for (Object k : cc) {
        keys.add(String.valueOf(k));
      }
    }
    return List.copyOf(keys);
  }

  /**
   * RabbitMQ's {@code is_cycle}: the deaths from the newest up to and including the newest one in
   * {@code queue} contain no rejection.
   */
  static boolean isCycle(String queue, List<?> deaths) {
    int upTo = -1;
    for (int i = 0; i < deaths.size(); i++) {
      if (deaths.get(i) instanceof Map<?, ?> m && queue.equals(text(m.get("queue")))) {
        upTo = i;
        break;
      }
    }
    if (upTo < 0) {
      return false;
    }
    for (int i = 0; i <= upTo; i++) {
      if (deaths.get(i) instanceof Map<?, ?> m && REJECTED.equals(text(m.get("reason")))) {
        return false;
      }
    }
    return true;
  }

  private static String text(Object v) {
    if (v instanceof byte[] b) {
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
    return v == null ? null : v.toString();
  }
}
