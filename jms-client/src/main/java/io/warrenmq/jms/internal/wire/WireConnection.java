package io.warrenmq.jms.internal.wire;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.Close;
import io.warrenmq.client.wire.CommandAssembler;
import io.warrenmq.client.wire.ConnectionMethods;
import io.warrenmq.client.wire.Frame;
import io.warrenmq.client.wire.FrameParser;
import io.warrenmq.client.wire.FrameWriter;
import io.warrenmq.client.wire.Heartbeats;
import io.warrenmq.client.wire.MethodCodec;
import io.warrenmq.client.wire.MethodId;
import io.warrenmq.client.wire.NoArguments;
import io.warrenmq.client.wire.OutboundFrames;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An AMQP 0-9-1 connection over a socket (spec 2.2.4, class connection): the handshake ({@code
 * start}/{@code start-ok} with SASL PLAIN, {@code tune}/{@code tune-ok}, {@code open}), heartbeats
 * (spec 4.2.7; a broker silent for two intervals is taken as gone), channel numbers from 1 to the
 * negotiated {@code channel-max}, {@code connection.close} in both directions, and RabbitMQ's
 * {@code connection.blocked}/{@code unblocked} (https://www.rabbitmq.com/docs/connection-blocked).
 *
 * <p>The broker's {@code capabilities} (from {@code server-properties}) are kept: {@link
 * #hasCapability} tells whether it offers WarrenMQ's extensions ({@code warrenmq.dtx}, {@code
 * warrenmq.selectors}); RabbitMQ offers neither.
 *
 * <p>Threads: frames are read and decoded on a Netty event loop thread, which completes the waiting
 * RPC of a channel and hands deliveries, returns and confirms to the channel's serial dispatcher;
 * the event loop never runs application code and never blocks. Commands written by other threads
 * (publishes, acknowledgements, RPCs) go through {@link OutboundFrames}: the event loop writes
 * whatever has queued since it last ran with one flush, instead of a flush (a system call and an
 * event-loop wake-up) per command.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class WireConnection implements TransportConnection {
  private static final System.Logger LOG = System.getLogger(WireConnection.class.getName());

  private static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
  private static final int CLIENT_CHANNEL_MAX = 2047;
  private static final long CLIENT_FRAME_MAX = 131_072;
  private static final long CLOSE_TIMEOUT_MS = 5_000;

  private final WireTransport transport;
  private final AmqpUrl url;
  private final ConnectionInfo info;
  private final String id = "wire-" + UUID.randomUUID();
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> closeOk = new CompletableFuture<>();
  private final Map<Integer, WireChannel> channels = new ConcurrentHashMap<>();
  private final List<CloseListener> closeListeners = new CopyOnWriteArrayList<>();
  private final List<BlockedListener> blockedListeners = new CopyOnWriteArrayList<>();

  private volatile Channel socket;

  /**
   * The socket's outgoing commands, flushed once per event-loop batch; set with {@link #socket}.
   */
  private volatile OutboundFrames outbound;

  /** Publishers wait while this many bytes are queued in {@link #outbound} (not yet in Netty's). */
  private static final long MAX_QUEUED_BYTES = 256 * 1024;

  /** Publishers waiting in {@link #awaitPublishAllowed}; a drain wakes them. */
  private final java.util.concurrent.atomic.AtomicInteger publishWaiters =
      new java.util.concurrent.atomic.AtomicInteger();

  private volatile Map<String, Object> serverProperties = Map.of();
  private volatile int channelMax = CLIENT_CHANNEL_MAX;
  private volatile long frameMax = CLIENT_FRAME_MAX;
  private volatile boolean loginSent;
  private volatile boolean closing; // connection.close sent by us
  private volatile boolean shutDown;
  private volatile AmqpException closeCause;
  private volatile String blockedReason; // non-null while blocked
  private final Object blockedLock = new Object();
  private final Object claimLock = new Object();
  private String clientId; // guarded by claimLock

  private WireConnection(WireTransport transport, ConnectionInfo info) {
    this.transport = transport;
    this.url = transport.url();
    this.info = info;
  }

  static WireConnection open(WireTransport transport, ConnectionInfo info) {
    WireConnection c = new WireConnection(transport, info);
    c.connect();
    return c;
  }

  private void connect() {
    AmqpUrl u = url;
    Bootstrap b =
        new Bootstrap()
            .group(WireTransport.group())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, u.connectTimeoutMs())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (transport.tls() != null) {
                      ch.pipeline()
                          .addLast(
                              "tls", transport.tls().newHandler(ch.alloc(), u.host(), u.port()));
                    }
                    ch.pipeline().addLast("amqp", new Handler());
                  }
                });
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(u.connectTimeoutMs());
    ChannelFuture cf = b.connect(u.host(), u.port());
    if (!cf.awaitUninterruptibly(u.connectTimeoutMs() + 1_000L) || !cf.isSuccess()) {
      cf.channel().close();
      Throwable cause = cf.cause();
      throw new IllegalStateException(
          "cannot reach "
              + u.address()
              + ": "
              + (cause == null ? "no answer within " + u.connectTimeoutMs() + " ms" : cause),
          cause);
    }
    socket = cf.channel();
    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    try {
      opened.get(left, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      socket.close();
      throw new IllegalStateException(
          "no AMQP 0-9-1 handshake with "
              + u.address()
              + " within "
              + u.connectTimeoutMs()
              + " ms (option connectTimeout): is it an AMQP broker"
              + (u.tls() ? " with TLS?" : " without TLS?"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      socket.close();
      throw new IllegalStateException("interrupted while connecting to " + u.address(), e);
    } catch (ExecutionException e) {
      socket.close();
      if (e.getCause() instanceof AmqpException a) {
        throw a;
      }
      if (e.getCause() instanceof IllegalStateException ise) {
        throw ise; // already names the address and the cause
      }
      throw new IllegalStateException(
          "cannot connect to " + u.address() + ": " + e.getCause(), e.getCause());
    }
  }

  // --- TransportConnection

  @Override
  public String id() {
    return id;
  }

  /** The broker's {@code server-properties} table from {@code connection.start}. */
  public Map<String, Object> serverProperties() {
    return serverProperties;
  }

  /**
   * Whether the broker's {@code capabilities} table holds {@code name = true}.
   *
   * @param name e.g. {@code warrenmq.dtx}
   */
  @Override
  public boolean hasCapability(String name) {
    return serverProperties.get("capabilities") instanceof Map<?, ?> caps
        && Boolean.TRUE.equals(caps.get(name));
  }

  /** What a caller of a missing extension is told. */
  AmqpException missingCapability(String capability, String feature) {
    Object product = serverProperties.get("product");
    return new AmqpException(
        ReplyCode.NOT_IMPLEMENTED,
        "the broker at "
            + url.address()
            + " ("
            + (product == null ? "unknown product" : product)
            + ") does not offer capability '"
            + capability
            + "' ("
            + feature
            + "); WarrenMQ's server does, RabbitMQ does not");
  }

  @Override
  public AmqpChannel createChannel() {
    WireChannel ch;
    synchronized (channels) {
      if (!isOpen()) {
        throw closedError();
      }
      int n = 1;
      while (channels.containsKey(n)) {
        n++;
      }
      if (n > channelMax) {
        throw new AmqpException(
            ReplyCode.RESOURCE_ERROR,
            "no free channel number: the broker allows " + channelMax + " per connection");
      }
      ch = new WireChannel(this, n, url.requestTimeoutMs());
      channels.put(n, ch);
    }
    try {
      ch.open();
    } catch (RuntimeException e) {
      channels.remove(ch.channelNumber());
      throw e;
    }
    return ch;
  }

  /**
   * Claims the id by declaring the exclusive, auto-delete queue {@code warrenmq.client-id.<id>}:
   * the broker (WarrenMQ or RabbitMQ) lets one connection at a time own it, answers 405
   * RESOURCE_LOCKED to any other, and deletes it when the connection closes.
   */
  @Override
  public boolean claimClientId(String clientId) {
    // not this object's monitor: shutdown() takes that one on the event loop, which must never
    // wait for a thread that waits for the event loop
    synchronized (claimLock) {
      if (this.clientId != null) {
        throw new IllegalStateException(
            "connection " + id + " holds client ID '" + this.clientId + "' already");
      }
      AmqpChannel ch = createChannel();
      try {
        ch.queueDeclare(
            new io.warrenmq.client.QueueSpec(
                "warrenmq.client-id." + clientId, false, true, true, null));
      } catch (AmqpException e) {
        if (e.replyCode() == ReplyCode.RESOURCE_LOCKED) {
          return false;
        }
        throw e;
      } finally {
        ch.close();
      }
      this.clientId = clientId;
      return true;
    }
  }

  @Override
  public void addCloseListener(CloseListener listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    closeListeners.add(listener);
    if (shutDown && closeListeners.remove(listener)) {
      listener.closed(closeCause);
    }
  }

  @Override
  public void addBlockedListener(BlockedListener listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    blockedListeners.add(listener);
    String reason = blockedReason;
    if (reason != null) {
      WireTransport.callbacks().execute(() -> listener.blocked(reason));
    }
  }

  @Override
  public boolean removeBlockedListener(BlockedListener listener) {
    return blockedListeners.remove(listener);
  }

  @Override
  public boolean isOpen() {
    return !shutDown && !closing && opened.isDone() && !opened.isCompletedExceptionally();
  }

  @Override
  public void close() {
    if (shutDown || closing) {
      return;
    }
    closing = true;
    Channel s = socket;
    if (s != null && s.isActive()) {
      send(0, Close.connection(ReplyCode.REPLY_SUCCESS.code(), "OK", 0, 0));
      try {
        closeOk.get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.log(Level.DEBUG, "no connection.close-ok from {0}: {1}", url.address(), e);
      }
      s.close();
    }
    shutdown(null);
  }

  @Override
  public String toString() {
    return "WireConnection[" + id + " to " + url + "]";
  }

  // --- for WireChannel

  long frameMax() {
    return frameMax;
  }

  void send(int channel, AmqpMethod method) {
    Channel s = socket;
    ByteBuf out = s.alloc().buffer(64);
    FrameWriter.writeMethod(out, channel, method);
    write(s, out);
  }

  /** Writes a content-bearing method with its header and body frames, as one write. */
  void sendContent(
      int channel, AmqpMethod method, io.warrenmq.client.BasicProperties props, byte[] body) {
    Channel s = socket;
    ByteBuf out = s.alloc().buffer(128 + body.length);
    FrameWriter.writeContent(out, channel, method, props, body, frameMax);
    write(s, out);
  }

  /**
   * Hands whole commands to the socket: off the event loop through {@link #outbound} (one flush per
   * batch); on it (handshake, close-ok, flow-ok, cancel-ok) at once, after what is queued, because
   * the event loop may close the socket right after.
   */
  private void write(Channel s, ByteBuf out) {
    OutboundFrames o = outbound;
    if (o == null) {
      s.writeAndFlush(out, s.voidPromise());
    } else if (s.eventLoop().inEventLoop()) {
      o.writeNow(out);
    } else {
      o.enqueue(out);
    }
  }

  /** Waits while the broker blocks publishing, and while the socket's write buffer is full. */
  void awaitPublishAllowed() {
    if (blockedReason == null && writable()) {
      return;
    }
    publishWaiters.incrementAndGet();
    try {
      synchronized (blockedLock) {
        while ((blockedReason != null || !writable()) && isOpen()) {
          try {
            blockedLock.wait(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmqpException(ReplyCode.INTERNAL_ERROR, "interrupted while publishing");
          }
        }
      }
    } finally {
      publishWaiters.decrementAndGet();
    }
  }

  private boolean writable() {
    Channel s = socket;
    OutboundFrames o = outbound;
    return s == null
        || !s.isActive()
        || (s.isWritable() && (o == null || o.pendingBytes() < MAX_QUEUED_BYTES));
  }

  void channelClosed(int number) {
    channels.remove(number);
  }

  AmqpException closedError() {
    AmqpException cause = closeCause;
    return new AmqpException(
        ReplyCode.CHANNEL_ERROR,
        "connection to "
            + url.address()
            + " is closed"
            + (cause == null ? "" : ": " + cause.getMessage()));
  }

  /** The close cause if the broker or the network closed the connection, else null. */
  AmqpException closeCause() {
    return closeCause;
  }

  // --- shutdown

  private void shutdown(AmqpException cause) {
    synchronized (this) {
      if (shutDown) {
        return;
      }
      closeCause = cause;
      shutDown = true;
    }
    if (!opened.isDone()) {
      opened.completeExceptionally(
          cause != null
              ? cause
              : new IllegalStateException("connection to " + url.address() + " closed"));
    }
    closeOk.complete(null);
    for (WireChannel ch : new ArrayList<>(channels.values())) {
      ch.connectionClosed(cause);
    }
    channels.clear();
    synchronized (blockedLock) {
      blockedLock.notifyAll();
    }
    for (CloseListener l : closeListeners) {
      closeListeners.remove(l);
      WireTransport.callbacks()
          .execute(
              () -> {
                try {
                  l.closed(cause);
                } catch (RuntimeException e) {
                  LOG.log(Level.WARNING, "close listener failed", e);
                }
              });
    }
  }

  static AmqpException toException(int code, String text) {
    ReplyCode rc = ReplyCode.INTERNAL_ERROR;
    for (ReplyCode c : ReplyCode.values()) {
      if (c.code() == code) {
        rc = c;
      }
    }
    String prefix = rc.name() + " - ";
    String t = text == null ? "" : text;
    return new AmqpException(rc, t.startsWith(prefix) ? t.substring(prefix.length()) : t);
  }

  private Map<String, Object> clientProperties() {
    Map<String, Object> caps = new LinkedHashMap<>();
    caps.put("publisher_confirms", true);
    caps.put("exchange_exchange_bindings", true);
    caps.put("basic.nack", true);
    caps.put("consumer_cancel_notify", true);
    caps.put("connection.blocked", true);
    caps.put("authentication_failure_close", true);
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("product", "WarrenMQ JMS");
    props.put("platform", "Java " + Runtime.version().feature());
    props.put("capabilities", caps);
    if (info.clientId() != null) {
      props.put("connection_name", info.clientId());
    }
    return props;
  }

  private static int negotiate(int client, int server) {
    return client == 0 || server == 0 ? Math.max(client, server) : Math.min(client, server);
  }

  /** Reads frames; runs on the event loop. */
  private final class Handler extends ByteToMessageDecoder {
    private final FrameParser parser = new FrameParser(CLIENT_FRAME_MAX);
    private final Map<Integer, CommandAssembler> assemblers = new java.util.HashMap<>();
    private IdleStateHandler heartbeats;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      Channel ch = ctx.channel();
      outbound =
          new OutboundFrames(
              ch.eventLoop(),
              new OutboundFrames.Sink() {
                @Override
                public void write(ByteBuf frames) {
                  ch.write(frames, ch.voidPromise());
                }

                @Override
                public void flush() {
                  ch.flush();
                }

                @Override
                public void drained() {
                  if (publishWaiters.get() > 0) {
                    synchronized (blockedLock) {
                      blockedLock.notifyAll();
                    }
                  }
                }
              });
      socket = ch; // before the broker's first frame can arrive
      ctx.writeAndFlush(ctx.alloc().buffer(8).writeBytes(PROTOCOL_HEADER));
      super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (shutDown) {
        in.skipBytes(in.readableBytes());
        return;
      }
      if (!opened.isDone()
          && !loginSent
          && in.readableBytes() >= 4
          && in.getByte(in.readerIndex()) == 'A') {
        // a broker that does not speak 0-9-1 answers with its own protocol header (spec 4.2.2)
        if (in.readableBytes() < 8) {
          return;
        }
        byte[] header = new byte[8];
        in.readBytes(header);
        fail(
            ctx,
            new AmqpException(
                ReplyCode.NOT_IMPLEMENTED,
                "the broker at "
                    + url.address()
                    + " does not speak AMQP 0-9-1 (it answered protocol header "
                    + java.util.HexFormat.of().formatHex(header)
                    + ")"));
        return;
      }
      try {
        for (Frame f = parser.next(in); f != null; f = parser.next(in)) {
          frame(ctx, f);
          if (shutDown) {
            in.skipBytes(in.readableBytes());
            return;
          }
        }
      } catch (AmqpException e) {
        // a frame the broker should not have sent: close as spec 4.2.3 asks
        LOG.log(Level.WARNING, "closing connection to {0}: {1}", url.address(), e.getMessage());
        if (!closing) {
          closing = true;
          send(0, Close.connection(e.replyCode().code(), e.getMessage(), 0, 0));
        }
        fail(ctx, e);
      }
    }

    private void frame(ChannelHandlerContext ctx, Frame f) {
      if (f.type() == Frame.HEARTBEAT) {
        return;
      }
      if (f.channel() == 0) {
        if (f.type() != Frame.METHOD) {
          throw new AmqpException(
              ReplyCode.UNEXPECTED_FRAME, "content frame on channel 0 from the broker");
        }
        connectionMethod(ctx, MethodCodec.decode(f.payload()));
        return;
      }
      WireChannel ch = channels.get(f.channel());
      if (ch == null) {
        // a channel we closed (or never had): spec 2.3.7 frames after close are discarded
        return;
      }
      CommandAssembler a =
          assemblers.computeIfAbsent(f.channel(), n -> new CommandAssembler(Integer.MAX_VALUE));
      CommandAssembler.Command c = a.accept(f);
      if (c != null) {
        ch.handle(c);
        if (!ch.isOpen()) {
          assemblers.remove(f.channel());
        }
      }
    }

    private void connectionMethod(ChannelHandlerContext ctx, AmqpMethod m) {
      MethodId id = m.id();
      if (m instanceof ConnectionMethods.Start s) {
        start(s);
      } else if (m instanceof ConnectionMethods.Tune t) {
        tune(ctx, t);
      } else if (id == MethodId.CONNECTION_OPEN_OK) {
        opened.complete(null);
      } else if (id == MethodId.CONNECTION_SECURE) {
        fail(
            ctx,
            new AmqpException(
                ReplyCode.ACCESS_REFUSED, "the broker asked for a SASL challenge (secure)"));
      } else if (m instanceof Close c && id == MethodId.CONNECTION_CLOSE) {
        send(0, new NoArguments(MethodId.CONNECTION_CLOSE_OK));
        AmqpException e = toException(c.replyCode(), c.replyText());
        LOG.log(
            closing ? Level.DEBUG : Level.WARNING,
            "broker {0} closed the connection: {1}",
            url.address(),
            e.getMessage());
        fail(ctx, e);
      } else if (id == MethodId.CONNECTION_CLOSE_OK) {
        closeOk.complete(null);
        ctx.close();
      } else if (m instanceof ConnectionMethods.Blocked bl) {
        synchronized (blockedLock) {
          blockedReason = bl.reason() == null ? "" : bl.reason();
        }
        for (BlockedListener l : blockedListeners) {
          l.blocked(bl.reason());
        }
      } else if (id == MethodId.CONNECTION_UNBLOCKED) {
        synchronized (blockedLock) {
          blockedReason = null;
          blockedLock.notifyAll();
        }
        for (BlockedListener l : blockedListeners) {
          l.unblocked();
        }
      } else {
        throw new AmqpException(
            ReplyCode.COMMAND_INVALID, "unexpected " + id.spec() + " on channel 0");
      }
    }

    private void start(ConnectionMethods.Start s) {
      serverProperties = s.serverProperties() == null ? Map.of() : s.serverProperties();
      if (!(" " + s.mechanisms() + " ").contains(" PLAIN ")) {
        throw new AmqpException(
            ReplyCode.NOT_IMPLEMENTED,
            "the broker offers SASL mechanisms '" + s.mechanisms() + "', not PLAIN");
      }
      byte[] response =
          ("\0" + info.user() + "\0" + info.password()).getBytes(StandardCharsets.UTF_8);
      loginSent = true;
      send(0, new ConnectionMethods.StartOk(clientProperties(), "PLAIN", response, "en_US"));
    }

    private void tune(ChannelHandlerContext ctx, ConnectionMethods.Tune t) {
      channelMax = negotiate(CLIENT_CHANNEL_MAX, t.channelMax());
      frameMax = negotiate((int) CLIENT_FRAME_MAX, (int) t.frameMax());
      int heartbeat = negotiate(url.heartbeatSeconds(), t.heartbeat());
      if (url.heartbeatSeconds() == 0) {
        heartbeat = 0;
      }
      parser.frameMax(frameMax);
      send(0, new ConnectionMethods.Tune(channelMax, frameMax, heartbeat, true));
      if (heartbeat > 0) {
        heartbeats = Heartbeats.install(ctx, heartbeat);
      }
      send(0, new ConnectionMethods.Open(info.virtualHost()));
    }

    private void fail(ChannelHandlerContext ctx, AmqpException e) {
      shutdown(e);
      ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof IdleStateEvent idle) {
        if (idle.state() == IdleState.READER_IDLE) {
          LOG.log(
              Level.WARNING,
              "closing connection to {0}: no heartbeat from the broker for two intervals",
              url.address());
          fail(
              ctx,
              new AmqpException(
                  ReplyCode.CONNECTION_FORCED,
                  "missed heartbeats from " + url.address() + " for two intervals"));
        }
        return;
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
      synchronized (blockedLock) {
        blockedLock.notifyAll();
      }
      super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (!shutDown) {
        if (closing) {
          shutdown(null);
        } else if (loginSent && !opened.isDone()) {
          // RabbitMQ without authentication_failure_close, and brokers that refuse a login by
          // closing the socket (spec 2.2.4)
          shutdown(
              new AmqpException(
                  ReplyCode.ACCESS_REFUSED,
                  "the broker at "
                      + url.address()
                      + " closed the connection during login of user '"
                      + info.user()
                      + "' to virtual host '"
                      + info.virtualHost()
                      + "'"));
        } else {
          shutdown(
              new AmqpException(
                  ReplyCode.CONNECTION_FORCED, "connection to " + url.address() + " lost"));
        }
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable c =
          cause instanceof io.netty.handler.codec.DecoderException d && d.getCause() != null
              ? d.getCause()
              : cause;
      if (!opened.isDone() && !(c instanceof AmqpException)) {
        opened.completeExceptionally(
            new IllegalStateException("cannot connect to " + url.address() + ": " + c, c));
      }
      AmqpException e =
          c instanceof AmqpException a
              ? a
              : new AmqpException(
                  ReplyCode.CONNECTION_FORCED, "connection to " + url.address() + " failed: " + c);
      LOG.log(Level.DEBUG, "connection to {0} failed", url.address(), c);
      fail(ctx, e);
    }
  }
}
