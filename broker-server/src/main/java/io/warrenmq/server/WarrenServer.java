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
import io.warrenmq.engine.Broker;
import io.warrenmq.server.internal.AmqpConnectionHandler;
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
 * <p>The listener negotiates connections (protocol header, SASL {@code PLAIN} and {@code AMQPLAIN}
 * against the broker's users, {@code loopback_users}, tune with {@code channel_max}, {@code
 * frame_max} and heartbeats, virtual host and its permissions) and maps every method of classes
 * channel, exchange, queue, basic, tx and confirm onto the engine's {@code Channel}; engine calls
 * run on a small shared pool ({@code warren-amqp-N}), in order per connection.
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

  /** The version in {@code server-properties}. */
  public static final String VERSION = "0.1.0";

  /**
   * Bytes waiting unsent for a connection above which it stops receiving deliveries (Netty's write
   * buffer high-water mark).
   */
  static final int WRITE_BUFFER_HIGH = 256 * 1024;

  /** Bytes waiting unsent below which a paused connection receives deliveries again. */
  static final int WRITE_BUFFER_LOW = 64 * 1024;

  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;
  private final ExecutorService commandPool;
  private final io.netty.channel.Channel listener;
  private final Map<ChannelHandlerContext, AmqpConnectionHandler> connections =
      new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private WarrenServer(Broker broker, ServerConfig config) throws InterruptedException {
    acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    AtomicInteger threadNumber = new AtomicInteger();
    commandPool =
        Executors.newFixedThreadPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            r -> {
              Thread t = new Thread(r, "warren-amqp-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      listener =
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
                      AmqpConnectionHandler handler =
                          new AmqpConnectionHandler(broker, config, VERSION, commandPool);
                      ch.pipeline().addLast("amqp", handler);
                      ChannelHandlerContext ctx = ch.pipeline().context(handler);
                      connections.put(ctx, handler);
                      ch.closeFuture().addListener(f -> connections.remove(ctx));
                    }
                  })
              .bind(config.host(), config.port())
              .sync()
              .channel();
    } catch (RuntimeException | InterruptedException e) {
      acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      commandPool.shutdownNow();
      throw e;
    }
    LOG.log(
        System.Logger.Level.INFO,
        "AMQP 0-9-1 listener on {0} for broker ''{1}''",
        listener.localAddress(),
        broker.name());
  }

  /**
   * Starts listening.
   *
   * @throws IllegalArgumentException when {@code config} is invalid (naming the setting)
   * @throws IllegalStateException when the address cannot be bound (in use, not local), naming it
   */
  public static WarrenServer start(Broker broker, ServerConfig config) {
    config.validate();
    try {
      return new WarrenServer(broker, config);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + config.host(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  /** The port listened on (the one picked when the configuration said 0). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
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
    listener.close().syncUninterruptibly();
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
