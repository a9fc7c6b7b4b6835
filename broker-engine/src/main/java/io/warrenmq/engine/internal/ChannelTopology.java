package io.warrenmq.engine.internal;

import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A channel's topology methods ({@code exchange.declare/delete/bind/unbind}, {@code
 * queue.declare/delete/purge/bind/unbind}, browse) with the permission checks of a logged-in
 * connection (RabbitMQ doc "Access Control"), under the channel's error rules (a soft error closes
 * the channel, see {@link ServerChannel#guarded}).
 *
 * <p>Thread-safety: as the channel; holds no state of its own.
 */
public final class ChannelTopology {
  private final ServerChannel channel;
  private final ServerVirtualHost vhost;
  private final ServerConnection connection;

  ChannelTopology(ServerChannel channel, ServerVirtualHost vhost, ServerConnection connection) {
    this.channel = channel;
    this.vhost = vhost;
    this.connection = connection;
  }

  /** The login's permissions, or null on the trusted in-VM path. */
  private Authorization authz() {
    return connection.authorization();
  }

  static final String EXCHANGE = "exchange";
  static final String QUEUE = "queue";

  public void exchangeDeclare(ExchangeSpec spec) {
    Objects.requireNonNull(spec, "spec");
    channel.guarded(
        () -> {
          Authorization a = authz();
          if (a != null) {
            a.configure(EXCHANGE, spec.name());
            if (spec.arguments().get("alternate-exchange") instanceof String ae) {
              a.write(EXCHANGE, ae);
              a.read(EXCHANGE, spec.name());
            }
          }
          vhost.declareExchange(spec);
        });
  }

  public void exchangeDeclarePassive(String exchange) {
    channel.guarded(() -> vhost.exchangeOrThrow(exchange));
  }

  public void exchangeDelete(String exchange, boolean ifUnused) {
    channel.guarded(
        () -> {
          if (authz() != null) {
            authz().configure(EXCHANGE, exchange);
          }
          vhost.deleteExchange(exchange, ifUnused);
        });
  }

  public QueueDeclareOk queueDeclare(QueueSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.name().startsWith(DirectReplyTo.PSEUDO_QUEUE)) {
      return queueDeclarePassive(spec.name()); // cannot be created, as in RabbitMQ
    }
    return channel.guarded(
        () -> {
          Authorization a = authz();
          // a server-named queue (empty name) is checked as RabbitMQ does not: its name is new
          if (a != null && !spec.name().isEmpty()) {
            a.configure(QUEUE, spec.name());
            if (spec.arguments().get("x-dead-letter-exchange") instanceof String dlx) {
              a.write(EXCHANGE, dlx);
              a.read(QUEUE, spec.name());
            }
          }
          return vhost.declareQueue(spec, connection);
        });
  }

  public QueueDeclareOk queueDeclarePassive(String queue) {
    return channel.guarded(
        () -> {
          if (queue != null && queue.startsWith(DirectReplyTo.PSEUDO_QUEUE)) {
            return vhost.directReplyTo().declare(queue, vhost.name());
          }
          Queue q = vhost.queueForAccess(queue, connection);
          q.touch(); // renews an x-expires lease, as RabbitMQ's queue stat does
          return new QueueDeclareOk(q.name(), q.messageCount(), q.consumerCount());
        });
  }

  public int queueDelete(String queue, boolean ifUnused, boolean ifEmpty) {
    return channel.guarded(
        () -> {
          if (authz() != null) {
            authz().configure(QUEUE, queue);
          }
          return vhost.deleteQueue(queue, ifUnused, ifEmpty, connection);
        });
  }

  public int queuePurge(String queue) {
    return channel.guarded(
        () -> {
          checkRead(queue);
          return vhost.queueForAccess(queue, connection).purge();
        });
  }

  /** {@code queue.bind}/{@code unbind} need write on the queue and read on the exchange. */
  private void checkBind(String destinationKind, String destination, String source) {
    Authorization a = authz();
    if (a != null) {
      a.write(destinationKind, destination);
      a.read(EXCHANGE, source);
    }
  }

  /** Throws 403 unless the login may publish to the exchange. */
  void checkWrite(String exchange) {
    if (authz() != null) {
      authz().write(EXCHANGE, exchange);
    }
  }

  /** Throws 403 unless the login may read the queue (consume, get, purge, browse). */
  void checkRead(String queue) {
    if (authz() != null) {
      authz().read(QUEUE, queue);
    }
  }

  public void queueBind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    channel.guarded(
        () -> {
          checkBind(QUEUE, queue, exchange);
          vhost.bind(queue, exchange, bindingKey, arguments, connection);
        });
  }

  public void queueUnbind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    channel.guarded(
        () -> {
          checkBind(QUEUE, queue, exchange);
          vhost.unbind(queue, exchange, bindingKey, arguments, connection);
        });
  }

  public void exchangeBind(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    channel.guarded(
        () -> {
          checkBind(EXCHANGE, destination, source);
          vhost.bindExchange(destination, source, bindingKey, arguments);
        });
  }

  public void exchangeUnbind(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    channel.guarded(
        () -> {
          checkBind(EXCHANGE, destination, source);
          vhost.unbindExchange(destination, source, bindingKey, arguments);
        });
  }

  /** See {@link io.warrenmq.engine.Channel#queueBrowse}. */
  public List<Delivery> queueBrowse(String queue) {
    return channel.guarded(
        () -> {
          checkRead(queue);
          return vhost.queueForAccess(queue, connection).browse();
        });
  }
}
