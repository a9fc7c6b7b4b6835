package io.warrenmq.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.warrenmq.engine.Broker;
import io.warrenmq.server.internal.AmqpConnectionHandler;
import io.warrenmq.server.internal.ListenerBindException;
import io.warrenmq.server.internal.ServerTls;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An AMQP 0-9-1 listener in front of a {@link Broker}: RabbitMQ's clients connect to it unchanged.
 * The socket layer is Netty (NIO transport, one acceptor thread and a few event-loop threads shared
 * by every connection, so threads do not grow with connections); the frame codec and the method
 * dispatch are WarrenMQ's ({@code io.warrenmq.server.internal}).
 *
 * <p>Listeners: a plain TCP one and, when {@link ServerConfig#tlsListener()} is set, a TLS one
 * ({@code amqps}, RabbitMQ's port 5671) that runs the JDK's TLS through Netty's {@code SslHandler}
 * in front of the same protocol handler; client certificates are verified as RabbitMQ's {@code
 * ssl_options.verify} and {@code fail_if_no_peer_cert} say ({@link TlsConfig}). A refused TLS
 * handshake, or plain AMQP on the TLS port, closes that socket with one log line.
 *
 * <p>The listener negotiates connections (protocol header, SASL {@code PLAIN} and {@code AMQPLAIN}
 * against the broker's users, {@code loopback_users}, tune with {@code channel_max}, {@code
 * frame_max} and heartbeats, virtual host and its permissions) and maps every method of classes
 * channel, exchange, queue, basic, tx, confirm and WarrenMQ's XA extension dtx
 * (docs/protocol-dtx.md) onto the engine's {@code Channel}; engine calls run on a small shared pool
 * ({@code warren-amqp-N}), in order per connection.
 *
 * <p>Flow control, as RabbitMQ does it: while the broker's memory alarm is on, a connection that
 * publishes is sent {@code connection.blocked} and its socket is not read until the alarm clears
 * ({@code connection.unblocked}); a client that does not read its socket never makes the broker
 * buffer without bound: once {@value #WRITE_BUFFER_HIGH} bytes wait unsent for it, deliveries to
 * its consumers pause (the messages stay in their queues) and its socket is not read, until fewer
 * than {@value #WRITE_BUFFER_LOW} wait. What waits for one connection is thus bounded by {@value
 * #WRITE_BUFFER_HIGH} bytes plus one message per channel.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} may be called from any thread.
 */
public final class WarrenServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WarrenServer.class.getName());

  /**
   * Threads that run client commands (at least; twice the cores if more): commands of different
   * channels run side by side, and one that waits for an fsync holds its thread meanwhile.
   */
  private static final int COMMAND_THREADS = 32;

  /** The version in {@code server-properties}. */
  public static final String VERSION = "0.1.0";

  /**
   * Bytes waiting unsent for a connection above which it stops receiving deliveries (Netty's write
   * buffer high-water mark).
   */
  static final int WRITE_BUFFER_HIGH = 256 * 1024;

  /**
   * Flushes (one per frame written) that may be consolidated into one socket write before it is
   * forced; consolidated flushes otherwise happen when the connection's read ends or its event loop
   * runs the flush it scheduled, so a lone frame is not delayed by waiting for more.
   */
  static final int FLUSH_AFTER_WRITES = 256;

  /** Bytes waiting unsent below which a paused connection receives deliveries again. */
  static final int WRITE_BUFFER_LOW = 64 * 1024;

  private final Broker broker;
  private final ServerConfig config;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;
  private final ExecutorService commandPool;

  /** The plain TCP listener, or null (listeners.tcp = none). */
  private final io.netty.channel.Channel listener;

  /** The TLS listener, or null. */
  private final io.netty.channel.Channel tlsListener;

  private final Map<ChannelHandlerContext, AmqpConnectionHandler> connections =
      new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private WarrenServer(Broker broker, ServerConfig config, ServerTls tls)
      throws InterruptedException {
    this.broker = broker;
    this.config = config;
    acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    AtomicInteger threadNumber = new AtomicInteger();
    // Commands that wait for the store (a tx/dtx commit, a durable declare waits for its fsync)
    // hold a thread each while they wait; the commits that wait together share one group commit,
    // so the pool is sized for waiting threads, not for cores.
    commandPool =
        Executors.newFixedThreadPool(
            Math.max(COMMAND_THREADS, 2 * Runtime.getRuntime().availableProcessors()),
            r -> {
              Thread t = new Thread(r, "warren-amqp-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    io.netty.channel.Channel plain = null;
    try {
      if (config.hasTcpListener()) {
        plain = bind(config.host(), config.port(), null);
        LOG.log(
            System.Logger.Level.INFO,
            "AMQP 0-9-1 listener on {0} for broker ''{1}''",
            plain.localAddress(),
            broker.name());
      }
      listener = plain;
      if (tls != null) {
        ServerConfig.TlsListener t = config.tlsListener();
        tlsListener = bind(t.host(), t.port(), tls);
        LOG.log(
            System.Logger.Level.INFO,
            "AMQP 0-9-1 over TLS (amqps) listener on {0} for broker ''{1}'', client certificates:"
                + " {2}",
            tlsListener.localAddress(),
            broker.name(),
            t.tls().clientCertificates());
      } else {
        tlsListener = null;
      }
    } catch (InterruptedException | RuntimeException e) {
      if (plain != null) {
        plain.close().awaitUninterruptibly();
      }
      acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      commandPool.shutdownNow();
      throw e;
    }
  }

  /**
   * Binds one listener; its connections start with TLS when {@code tls} is not null.
   *
   * @throws ListenerBindException naming the listener when its address cannot be bound
   */
  private io.netty.channel.Channel bind(String host, int port, ServerTls tls)
      throws InterruptedException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, workers)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(WRITE_BUFFER_LOW, WRITE_BUFFER_HIGH))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      tls.install(ch.pipeline(), ch.alloc());
                    }
                    // Deliveries, confirms and replies are written from engine and command
                    // threads, each write with a flush; this handler turns the flushes that
                    // arrive while a read is in progress or before the event loop gets to them
                    // into one flush (one write syscall, one TLS record run) instead of one per
                    // frame, and flushes at least every FLUSH_AFTER_WRITES flushes.
                    ch.pipeline()
                        .addLast(
                            "flushes", new FlushConsolidationHandler(FLUSH_AFTER_WRITES, true));
                    AmqpConnectionHandler handler =
                        new AmqpConnectionHandler(broker, config, VERSION, commandPool);
                    ch.pipeline().addLast("amqp", handler);
                    ChannelHandlerContext ctx = ch.pipeline().context(handler);
                    connections.put(ctx, handler);
                    ch.closeFuture().addListener(f -> connections.remove(ctx));
                  }
                });
    try {
      return bootstrap.bind(host, port).sync().channel();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) { // Netty's sync() rethrows a BindException undeclared
      throw new ListenerBindException(host + ":" + port, tls != null, e);
    }
  }

  /**
   * Starts listening.
   *
   * @throws IllegalArgumentException when {@code config} is invalid (naming the setting), or a TLS
   *     file cannot be read or used (naming the {@code ssl_options} key and the file)
   * @throws IllegalStateException when an address cannot be bound (in use, not local), naming that
   *     address and, for the TLS listener, "(TLS)": {@code cannot listen on 127.0.0.1:5671 (TLS):
   *     Address already in use}
   */
  public static WarrenServer start(Broker broker, ServerConfig config) {
    config.validate();
    // the TLS files are read before anything binds: their errors name the ssl_options key
    ServerTls tls = config.tlsListener() == null ? null : ServerTls.of(config.tlsListener().tls());
    try {
      return new WarrenServer(broker, config, tls);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the listeners", e);
    }
  }

  /**
   * The port of the plain TCP listener (the one picked when the configuration said 0).
   *
   * @throws IllegalStateException when there is none ({@link ServerConfig#withoutTcpListener})
   */
  public int port() {
    if (listener == null) {
      throw new IllegalStateException("this server has no plain TCP listener");
    }
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * The port of the TLS ({@code amqps}) listener (the one picked when the configuration said 0).
   *
   * @throws IllegalStateException when there is none
   */
  public int tlsPort() {
    if (tlsListener == null) {
      throw new IllegalStateException("this server has no TLS listener");
    }
    return ((InetSocketAddress) tlsListener.localAddress()).getPort();
  }

  /** How many client connections are open now. */
  public int connectionCount() {
    return connections.size();
  }

  /** How many connections are blocked now: they published during the memory alarm (a metric). */
  int blockedConnectionCount() {
    return (int) connections.values().stream().filter(AmqpConnectionHandler::isBlocked).count();
  }

  /** Bytes written to the open connections' sockets and not yet sent, now (a metric). */
  long outboundBufferedBytes() {
    return connections.values().stream()
        .mapToLong(AmqpConnectionHandler::outboundBufferedBytes)
        .sum();
  }

  /** The most bytes any open connection's socket has held unsent at once (a metric). */
  long peakOutboundBufferedBytes() {
    return connections.values().stream()
        .mapToLong(AmqpConnectionHandler::peakOutboundBufferedBytes)
        .max()
        .orElse(0);
  }

  /**
   * Stops accepting, closes every connection with 320 CONNECTION_FORCED (RabbitMQ's shutdown
   * reason), waits up to 5 s for the clients' {@code close-ok}, and stops the event loops. Does not
   * close the broker. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    if (tlsListener != null) {
      tlsListener.close().syncUninterruptibly();
    }
    connections.forEach((ctx, handler) -> handler.forceClose(ctx, "shutdown"));
    // each client answers connection.close with close-ok, or the handler's timer closes it
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ChannelHandlerContext ctx : connections.keySet()) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        ctx.channel().closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
      }
    }
    workers.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    acceptor.shutdownGracefully(0, 1_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    commandPool.shutdown();
  }
}
