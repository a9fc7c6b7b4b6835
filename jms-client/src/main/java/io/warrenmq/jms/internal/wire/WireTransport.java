package io.warrenmq.jms.internal.wire;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.Transport;
import io.warrenmq.jms.spi.TransportConnection;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wire transport: each {@link #connect} opens a TCP (or TLS, {@code amqps}) connection to a
 * broker speaking AMQP 0-9-1, WarrenMQ's server or RabbitMQ, and speaks the {@link
 * io.warrenmq.client.AmqpChannel} contract over it ({@link WireConnection}, {@link WireChannel}).
 *
 * <p>Threads: one Netty event loop group per JVM (daemon threads, as many as cores, at most 4)
 * reads and writes every wire connection; consumer callbacks, returns and confirms run on a shared
 * pool of daemon threads, serially per channel. Neither needs to be shut down.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class WireTransport implements Transport {

  private final AmqpUrl url;
  private final WireTls tls;

  private WireTransport(AmqpUrl url, WireTls tls) {
    this.url = url;
    this.tls = tls;
  }

  /**
   * A transport to the broker of this URL. TLS stores are read here, so a wrong path or password
   * fails now.
   *
   * @throws IllegalArgumentException naming a TLS store that cannot be read (password masked)
   */
  public static WireTransport of(AmqpUrl url) {
    Objects.requireNonNull(url, "url");
    return new WireTransport(url, url.tls() ? WireTls.of(url) : null);
  }

  /** The URL this transport connects to. */
  public AmqpUrl url() {
    return url;
  }

  /** The URL without password, e.g. {@code amqp://guest@127.0.0.1:5672/%2F}. */
  @Override
  public String brokerName() {
    return url.toString();
  }

  /**
   * Opens a socket, negotiates AMQP 0-9-1 (PLAIN login, tune, open of {@code info}'s virtual host)
   * and returns the open connection, within the URL's {@code connectTimeout}.
   *
   * @throws io.warrenmq.client.AmqpException 403 ACCESS_REFUSED for a refused login, 530
   *     NOT_ALLOWED for a virtual host that does not exist or is not permitted, as the broker
   *     answers
   * @throws IllegalStateException if the broker cannot be reached (refused, timed out, TLS
   *     failure), naming the address and the cause
   */
  @Override
  public TransportConnection connect(ConnectionInfo info) {
    if (info.user() == null) {
      throw new io.warrenmq.client.AmqpException(
          io.warrenmq.client.ReplyCode.ACCESS_REFUSED,
          "a wire connection needs a user: " + url.address() + " has no trusted path");
    }
    return WireConnection.open(this, info);
  }

  WireTls tls() {
    return tls;
  }

  @Override
  public String toString() {
    return url.toString();
  }

  // One event loop group and one callback pool per JVM, started on first use.
  private static final class Shared {
    static final EventLoopGroup GROUP =
        new MultiThreadIoEventLoopGroup(
            Math.min(4, Runtime.getRuntime().availableProcessors()),
            new DefaultThreadFactory("warrenmq-wire", true),
            NioIoHandler.newFactory());

    static final ExecutorService CALLBACKS =
        Executors.newCachedThreadPool(daemon("warrenmq-wire-dispatch"));
  }

  static EventLoopGroup group() {
    return Shared.GROUP;
  }

  static ExecutorService callbacks() {
    return Shared.CALLBACKS;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
