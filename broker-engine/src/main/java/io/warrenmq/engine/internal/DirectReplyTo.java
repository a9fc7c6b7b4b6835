package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.QueueDeclareOk;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RabbitMQ's direct reply-to (https://www.rabbitmq.com/docs/direct-reply-to) in one virtual host:
 * the reply consumers of its channels, each known by the name that replaces {@code reply-to} in its
 * channel's requests. A reply published to the default exchange with that name as routing key goes
 * straight to the consumer's channel, through no queue.
 *
 * <p>What RabbitMQ (3.x, asked with its Java client) does, and this class with {@link
 * ServerChannel} and {@link Publisher} does the same:
 *
 * <ul>
 *   <li>a channel consumes from the pseudo-queue {@value #PSEUDO_QUEUE} in no-ack mode, at most
 *       once; a publish on that channel whose {@code reply-to} is exactly {@value #PSEUDO_QUEUE}
 *       gets {@code reply-to} = {@value #PSEUDO_QUEUE}{@code .<token>}; the token is new for every
 *       {@code basic.consume}, opaque and unguessable (24 random bytes);
 *   <li>a publish to the default exchange with such a routing key is handed to that consumer,
 *       {@code redelivered = false}, with the delivery tag the channel's next delivery will carry
 *       (a reply does not use up a tag: it is never acknowledged); it is delivered as well as
 *       counted unroutable (a {@code mandatory} reply is also returned with 312 NO_ROUTE, as
 *       RabbitMQ 3.x does); a reply to an unknown, cancelled or closed consumer is dropped;
 *   <li>{@code queue.declare} (passive or not) of the pseudo-queue answers 0 messages and 1
 *       consumer; of a live reply name, the same; of any other name starting with {@value
 *       #PSEUDO_QUEUE}, 404 NOT_FOUND.
 * </ul>
 *
 * Replies are at most once, as in RabbitMQ: never stored, dropped when the requester is gone, and
 * dropped when its transport cannot take them now (a network connection whose socket is not
 * writable, see {@link ServerConnection#deliveriesAllowed()}), as RabbitMQ 4's documentation says
 * of a writer that cannot keep up. Names are per virtual host: a reply reaches only a requester in
 * the same virtual host.
 *
 * <p>Thread-safety: thread-safe (a concurrent map of names).
 */
public final class DirectReplyTo {
  /** The pseudo-queue a requester consumes from, and the {@code reply-to} it publishes with. */
  public static final String PSEUDO_QUEUE = "amq.rabbitmq.reply-to";

  private static final String PREFIX = PSEUDO_QUEUE + ".";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A channel's consumer of {@value #PSEUDO_QUEUE}. */
  static final class ReplyConsumer {
    final String tag;
    final String name;
    final ServerChannel channel;
    final Consumer callback;

    private ReplyConsumer(String tag, String name, ServerChannel channel, Consumer callback) {
      this.tag = tag;
      this.name = name;
      this.channel = channel;
      this.callback = callback;
    }
  }

  private final ConcurrentHashMap<String, ReplyConsumer> consumers = new ConcurrentHashMap<>();

  /** Whether a routing key names a reply consumer (whether or not it still exists). */
  static boolean isReplyName(String routingKey) {
    return routingKey.startsWith(PREFIX);
  }

  /** Registers a channel's reply consumer under a new name. */
  ReplyConsumer register(ServerChannel channel, String tag, Consumer callback) {
    while (true) {
      byte[] token = new byte[24];
      RANDOM.nextBytes(token);
      String name = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
      ReplyConsumer c = new ReplyConsumer(tag, name, channel, callback);
      if (consumers.putIfAbsent(name, c) == null) {
        return c;
      }
    }
  }

  /** Forgets a reply consumer (cancelled, or its channel closed); later replies are dropped. */
  void unregister(ReplyConsumer c) {
    consumers.remove(c.name, c);
  }

  /**
   * {@code queue.declare} of a name starting with {@value #PSEUDO_QUEUE}, passive or not (RabbitMQ
   * cannot create such a queue either).
   *
   * @throws io.warrenmq.client.AmqpException 404 NOT_FOUND unless it is the pseudo-queue itself or
   *     the name of a live reply consumer
   */
  QueueDeclareOk declare(String name, String vhost) {
    if (name.equals(PSEUDO_QUEUE) || consumers.containsKey(name)) {
      return new QueueDeclareOk(name, 0, 1);
    }
    throw Errors.noQueue(vhost, name);
  }

  /**
   * Hands a message published to the default exchange with a reply name as routing key to its
   * consumer; drops it if there is none.
   */
  void deliver(String routingKey, BasicProperties properties, byte[] body) {
    ReplyConsumer c = consumers.get(routingKey);
    if (c != null) {
      c.channel.deliverReply(c, "", routingKey, properties, body);
    }
  }
}
