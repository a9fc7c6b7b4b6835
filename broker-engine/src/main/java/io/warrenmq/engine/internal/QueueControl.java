package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.MessageSelector;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.QueueControlMXBean;
import io.warrenmq.engine.QueueMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@link QueueControlMXBean} of one {@link Queue}: the operations' contract is there. The queue
 * does the work under its lock ({@code Queue}'s "management" section); this class parses filters,
 * finds destinations, and runs the store steps of removals and moves without any queue lock held
 * (waiting for a store commit under a queue lock would stall its publishers and consumers).
 *
 * <p>Thread-safe: stateless besides final references.
 */
public final class QueueControl implements QueueControlMXBean {
  /** The longest wait for a store commit of a management operation. */
  private static final long STORE_TIMEOUT_SECONDS = 60;

  /** The JMS property the resource adapter sets on messages it dead-letters (its origin's URI). */
  static final String DEAD_LETTER_ORIGIN = "WarrenDeadLetterOrigin";

  private final Queue queue;
  private final Supplier<? extends Collection<ServerConnection>> connections;

  /**
   * @param connections the broker's open connections, for the unacked count
   */
  public QueueControl(Queue queue, Supplier<? extends Collection<ServerConnection>> connections) {
    this.queue = queue;
    this.connections = connections;
  }

  @Override
  public String getName() {
    return queue.name();
  }

  @Override
  public String getVirtualHost() {
    return queue.virtualHost().name();
  }

  @Override
  public long getMessageCount() {
    return queue.messageCount();
  }

  @Override
  public int getConsumerCount() {
    return queue.consumerCount();
  }

  @Override
  public int getDeliveringCount() {
    int n = 0;
    for (ServerConnection c : connections.get()) {
      n += c.unackedOf(queue);
    }
    return n;
  }

  @Override
  public boolean isDurable() {
    return queue.spec().durable();
  }

  @Override
  public boolean isExclusive() {
    return queue.spec().exclusive();
  }

  @Override
  public boolean isAutoDelete() {
    return queue.spec().autoDelete();
  }

  @Override
  public boolean isPaused() {
    return queue.isPaused();
  }

  @Override
  public long countMessages() {
    return queue.messageCount();
  }

  @Override
  public long countMessages(String filter) {
    MessageSelector s = selector(filter);
    if (s == null) {
      return queue.messageCount();
    }
    long n = 0;
    for (Delivery d : queue.browse()) {
      if (s.matches(d.properties())) {
        n++;
      }
    }
    return n;
  }

  @Override
  public QueueMessage[] listMessages(String filter) {
    MessageSelector s = selector(filter);
    List<QueueMessage> out = new ArrayList<>();
    for (Delivery d : queue.browse()) {
      if (s == null || s.matches(d.properties())) {
        out.add(message(d));
      }
    }
    return out.toArray(new QueueMessage[0]);
  }

  @Override
  public int removeMessages(String filter) {
    MessageSelector s = selector(filter);
    List<QueueEntry> taken = queue.takeMatching(p -> s == null || s.matches(p));
    try {
      MessageStore.UnitOfWork unit = queue.virtualHost().durability().beginUnitOfWork();
      for (QueueEntry e : taken) {
        e.settled(unit);
      }
      await(Durability.commit(unit), "removing messages");
      return taken.size();
    } finally {
      queue.finishTaking(List.of());
    }
  }

  @Override
  public int removeAllMessages() {
    return removeMessages(null);
  }

  @Override
  public int moveMessages(String filter, String otherQueueName) {
    MessageSelector s = selector(filter);
    ServerVirtualHost vhost = queue.virtualHost();
    Queue target = otherQueueName == null ? null : vhost.findQueue(otherQueueName);
    if (target == null) {
      throw new IllegalArgumentException(
          "cannot move messages: no queue '"
              + otherQueueName
              + "' in vhost '"
              + vhost.name()
              + "'");
    }
    if (target == queue) {
      throw new IllegalArgumentException(
          "cannot move messages of queue '" + queue.name() + "' to itself");
    }
    return transfer(p -> s == null || s.matches(p), e -> target);
  }

  @Override
  public int retryMessages() {
    ServerVirtualHost vhost = queue.virtualHost();
    return transfer(
        p -> origin(p) != null,
        e -> {
          Queue q = vhost.findQueue(origin(e.properties));
          return q == queue ? null : q;
        });
  }

  @Override
  public void pause() {
    queue.pause();
  }

  @Override
  public void resume() {
    queue.resume();
  }

  /**
   * Takes the matching entries out, offers each to its target (null: it stays), waits for the
   * targets' store commit, then removes the placed ones here and waits for that commit: a crash in
   * between leaves a message in both queues, never in neither.
   */
  private int transfer(Predicate<BasicProperties> match, Function<QueueEntry, Queue> targetOf) {
    List<QueueEntry> taken = queue.takeMatching(match);
    List<QueueEntry> placed = new ArrayList<>(taken.size());
    List<QueueEntry> back = new ArrayList<>();
    Durability durability = queue.virtualHost().durability();
    try {
      MessageStore.UnitOfWork unit = durability.beginUnitOfWork();
      for (QueueEntry e : taken) {
        Queue target = targetOf.apply(e);
        if (target != null
            && target.offer(e.exchange, e.routingKey, e.properties, e.body, 0, null, unit)
                == Queue.EnqueueOutcome.ACCEPTED) {
          placed.add(e);
        } else {
          back.add(e);
        }
      }
      try {
        await(Durability.commit(unit), "writing moved messages to their destination");
      } catch (RuntimeException failure) {
        back.addAll(placed); // they may be in the destination's memory too: duplicates at worst
        placed.clear();
        throw failure;
      }
      MessageStore.UnitOfWork removal = durability.beginUnitOfWork();
      for (QueueEntry e : placed) {
        e.settled(removal);
      }
      await(Durability.commit(removal), "removing moved messages from their source");
      return placed.size();
    } finally {
      queue.finishTaking(back);
    }
  }

  /**
   * The queue a dead-lettered message came from: {@code x-death}'s newest entry, else the resource
   * adapter's {@value #DEAD_LETTER_ORIGIN} ({@code queue://<name>}); null if neither names one.
   */
  static String origin(BasicProperties p) {
    Object deaths = p.headers().get("x-death");
    if (deaths instanceof List<?> list
        && !list.isEmpty()
        && list.get(0) instanceof Map<?, ?> first
        && first.get("queue") != null) {
      return text(first.get("queue"));
    }
    Object uri = p.headers().get(DEAD_LETTER_ORIGIN);
    if (uri != null) {
      String u = text(uri);
      if (u.startsWith("queue://") && u.length() > "queue://".length()) {
        return u.substring("queue://".length());
      }
    }
    return null;
  }

  private static String text(Object v) {
    return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
  }

  /**
   * The filter as a selector; null for every message.
   *
   * @throws IllegalArgumentException naming the filter and the parse error
   */
  static MessageSelector selector(String filter) {
    if (filter == null || filter.isBlank()) {
      return null;
    }
    try {
      return MessageSelector.parse(filter);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid filter '" + filter + "': not a JMS selector: " + e.getMessage());
    }
  }

  private static QueueMessage message(Delivery d) {
    BasicProperties p = d.properties();
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, Object> h : p.headers().entrySet()) {
      headers.put(h.getKey(), h.getValue() == null ? null : text(h.getValue()));
    }
    return new QueueMessage(
        p.messageId(),
        p.correlationId(),
        d.exchange(),
        d.routingKey(),
        p.priorityOrZero(),
        p.timestamp() == null ? 0 : p.timestamp(),
        d.redelivered(),
        p.isPersistent(),
        d.body().length,
        p.contentType(),
        p.type(),
        p.expiration(),
        headers);
  }

  private static void await(java.util.concurrent.CompletionStage<Void> stage, String what) {
    try {
      stage.toCompletableFuture().get(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + ": the store failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          what + ": the store did not commit within " + STORE_TIMEOUT_SECONDS + " s", e);
    }
  }
}
