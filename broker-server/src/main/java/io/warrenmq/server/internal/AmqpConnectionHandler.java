package io.warrenmq.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.ChannelMethods;
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
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.TransportInfo;
import io.warrenmq.server.ServerConfig;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One AMQP 0-9-1 connection on the server side: the protocol header (spec 4.2.2), the connection
 * negotiation ({@code start}/{@code start-ok}, {@code tune}/{@code tune-ok}, {@code open}: spec
 * 2.2.4 and class connection), heartbeats (spec 4.2.7), channel open and close (class channel), and
 * closing with a reply code as RabbitMQ does it.
 *
 * <h2>Errors</h2>
 *
 * A connection (hard) error sends {@code connection.close} with the code, {@code "CODE - text"} and
 * the failing method, drops every frame but {@code connection.close-ok}, and closes the socket when
 * that arrives or after {@value #CLOSE_OK_TIMEOUT_MS} ms. A channel (soft) error sends {@code
 * channel.close} and drops that channel's frames until {@code channel.close-ok}. The rest of the
 * broker is never affected: everything a connection holds is released through the engine's {@link
 * Connection#close()}.
 *
 * <h2>Threads</h2>
 *
 * Frames are parsed and assembled into commands on the socket's event-loop thread; every command
 * that touches the engine runs on its channel's queue of the connection's {@link
 * ChannelCommandQueues} (each channel's commands in order, channels independently, off the event
 * loop, since engine calls may block: a commit that waits for its fsync holds up only its own
 * channel; the few that never block run in place when their channel is idle, see {@link
 * #runsOnEventLoop}); while more than {@value #HIGH} of the connection's commands wait, the socket
 * is not read (TCP back-pressure on publishers), until they drop to {@value #LOW}.
 *
 * <h2>Flow control</h2>
 *
 * As RabbitMQ does it (https://www.rabbitmq.com/docs/alarms, .../connection-blocked): while the
 * broker's memory or disk alarm is on, a connection that publishes is blocked: the publish goes
 * through, then nothing more is read from its socket (not even the frames already received) and, if
 * the client's {@code capabilities} hold {@code connection.blocked = true}, it is sent {@code
 * connection.blocked} with the reason ("low on memory", "low on disk"), once; when the alarms clear
 * it is sent {@code connection.unblocked} and reading goes on. Connections that do not publish are
 * neither blocked nor told. While the socket is not writable (the client does not read), no
 * delivery is handed to the connection's consumers (the messages stay in their queues, see the
 * engine's {@link Connection#setTransportFlowControl}) and its socket is not read either. See
 * {@link SocketReads}.
 *
 * <p>Thread-safety: one handler per socket; all its methods run on that socket's event-loop thread.
 */
public final class AmqpConnectionHandler extends ByteToMessageDecoder {
  private static final System.Logger LOG = System.getLogger(AmqpConnectionHandler.class.getName());
  private static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
  private static final long CLOSE_OK_TIMEOUT_MS = 3_000;

  private enum State {
    PROTOCOL_HEADER,
    START_OK,
    TUNE_OK,
    OPEN_CONNECTION,
    OPEN,
    CLOSING,
    CLOSED
  }

  /** A channel's wire state: frames being assembled into commands, and its dispatcher. */
  private static final class WireChannel {
    final CommandAssembler assembler;
    volatile ChannelDispatcher dispatcher;

    WireChannel(long maxMessageSize) {
      assembler = new CommandAssembler(maxMessageSize);
    }
  }

  /** Commands queued beyond this stop reading the socket until they drop below {@link #LOW}. */
  private static final int HIGH = 256;

  private static final int LOW = 64;

  private final Broker broker;
  private final ServerConfig config;
  private final String version;
  private final java.util.concurrent.Executor commandPool;
  private ChannelCommandQueues commands;
  private FrameSink sink;
  private SocketReads reads;
  private IdleStateHandler heartbeats;

  /** Whether the client's capabilities ask for {@code connection.blocked}. */
  private boolean wantsBlocked;

  /** The memory alarm's reason while the engine says it is on, else null. */
  private String alarm;

  /** Whether the connection published during the alarm, so that its socket is not read. */
  private volatile boolean blocked;

  private boolean blockedSent;
  private final FrameParser parser = new FrameParser(Frame.MIN_FRAME_MAX);
  private final Map<Integer, WireChannel> channels = new HashMap<>();
  private State state = State.PROTOCOL_HEADER;
  private SaslResponse login;
  private int channelMax;
  private Connection connection;
  private String peer = "?";

  /** The client's {@code start-ok} properties and negotiated limits, for monitoring. */
  private Map<String, Object> clientProperties = Map.of();

  private long negotiatedFrameMax;
  private int negotiatedHeartbeat;

  /**
   * @param broker the broker whose virtual hosts clients open
   * @param config the listener's settings (limits offered in {@code connection.tune})
   * @param version the version in {@code server-properties}
   * @param commandPool the threads that run engine calls, shared by every connection
   */
  public AmqpConnectionHandler(
      Broker broker,
      ServerConfig config,
      String version,
      java.util.concurrent.Executor commandPool) {
    this.broker = broker;
    this.config = config;
    this.version = version;
    this.commandPool = commandPool;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    peer = String.valueOf(ctx.channel().remoteAddress());
    sink = new FrameSink(ctx.channel());
    commands = new ChannelCommandQueues(commandPool, this::commandDone);
    reads = new SocketReads(ctx.channel(), this::readingResumed);
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (state == State.CLOSED) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (blocked) {
      return; // the rest waits, unread, until the alarm clears
    }
    if (state == State.PROTOCOL_HEADER) {
      if (in.readableBytes() < PROTOCOL_HEADER.length) {
        return;
      }
      readProtocolHeader(ctx, in);
      return;
    }
    int classId = 0;
    int methodId = 0;
    try {
      for (Frame f = parser.next(in); f != null; f = parser.next(in)) {
        if (f.type() == Frame.METHOD && f.payload().readableBytes() >= 4) {
          classId = f.payload().getUnsignedShort(f.payload().readerIndex());
          methodId = f.payload().getUnsignedShort(f.payload().readerIndex() + 2);
        } else {
          classId = 0;
          methodId = 0;
        }
        frame(ctx, f);
        if (state == State.CLOSED) {
          in.skipBytes(in.readableBytes());
          return;
        }
        if (blocked) {
          return;
        }
      }
    } catch (AmqpException e) {
      in.skipBytes(in.readableBytes());
      closeConnection(ctx, e.replyCode(), e.replyText(), classId, methodId);
    }
  }

  private void readProtocolHeader(ChannelHandlerContext ctx, ByteBuf in) {
    byte[] header = new byte[PROTOCOL_HEADER.length];
    in.readBytes(header);
    if (!java.util.Arrays.equals(header, PROTOCOL_HEADER)) {
      // spec 4.2.2: answer with the protocol we speak, then close
      LOG.log(
          System.Logger.Level.WARNING,
          "connection from {0} refused: protocol header {1} is not AMQP 0-9-1",
          peer,
          io.netty.buffer.ByteBufUtil.hexDump(header));
      state = State.CLOSED;
      ctx.writeAndFlush(ctx.alloc().buffer(8).writeBytes(PROTOCOL_HEADER))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    state = State.START_OK;
    send(
        ctx,
        0,
        new ConnectionMethods.Start(
            0, 9, ServerProperties.table(version), SaslResponse.MECHANISMS, "en_US"));
  }

  private void frame(ChannelHandlerContext ctx, Frame f) {
    if (state == State.CLOSING) {
      if (f.channel() == 0 && f.type() == Frame.METHOD) {
        AmqpMethod m = MethodCodec.decode(f.payload());
        if (m.id() == MethodId.CONNECTION_CLOSE_OK) {
          state = State.CLOSED;
          ctx.close();
        } else if (m.id() == MethodId.CONNECTION_CLOSE) {
          sendAndClose(ctx, new NoArguments(MethodId.CONNECTION_CLOSE_OK));
        }
      }
      return;
    }
    if (f.type() == Frame.HEARTBEAT) {
      if (f.channel() != 0) {
        throw new AmqpException(
            ReplyCode.UNEXPECTED_FRAME, "heartbeat frame on channel " + f.channel());
      }
      return;
    }
    if (f.channel() == 0) {
      if (f.type() != Frame.METHOD) {
        throw new AmqpException(
            ReplyCode.UNEXPECTED_FRAME, "content frame of type " + f.type() + " on channel 0");
      }
      connectionMethod(ctx, MethodCodec.decode(f.payload()));
      return;
    }
    if (state != State.OPEN) {
      throw new AmqpException(
          ReplyCode.CHANNEL_ERROR,
          "frame on channel " + f.channel() + " before the connection is open");
    }
    channelFrame(ctx, f);
  }

  private void connectionMethod(ChannelHandlerContext ctx, AmqpMethod m) {
    switch (state) {
      case START_OK -> startOk(ctx, expect(m, ConnectionMethods.StartOk.class));
      case TUNE_OK -> tuneOk(ctx, expect(m, ConnectionMethods.Tune.class));
      case OPEN_CONNECTION -> open(ctx, expect(m, ConnectionMethods.Open.class));
      default -> {
        if (m.id() == MethodId.CONNECTION_CLOSE) {
          // close-ok only once the engine connection is closed, so that a client which has read
          // it finds its exclusive queues (a JMS client's temporary queues) gone, as in-VM
          state = State.CLOSING;
          closeEngine(
              () ->
                  ctx.executor()
                      .execute(
                          () -> sendAndClose(ctx, new NoArguments(MethodId.CONNECTION_CLOSE_OK))));
        } else if (m.id() == MethodId.CONNECTION_UPDATE_SECRET) {
          throw new AmqpException(
              ReplyCode.NOT_IMPLEMENTED, "connection.update-secret is not supported");
        } else {
          throw new AmqpException(
              ReplyCode.CHANNEL_ERROR, "unexpected method in connection state running");
        }
      }
    }
  }

  private <T extends AmqpMethod> T expect(AmqpMethod m, Class<T> type) {
    if (!type.isInstance(m) || (m instanceof ConnectionMethods.Tune t && !t.ok())) {
      throw new AmqpException(
          ReplyCode.COMMAND_INVALID,
          "expected " + expectedName() + " during connection negotiation, got " + m.id().spec());
    }
    return type.cast(m);
  }

  private String expectedName() {
    return switch (state) {
      case START_OK -> "connection.start-ok";
      case TUNE_OK -> "connection.tune-ok";
      default -> "connection.open";
    };
  }

  private void startOk(ChannelHandlerContext ctx, ConnectionMethods.StartOk m) {
    SaslResponse response = SaslResponse.parse(m.mechanism(), m.response());
    if (config.loopbackUsers().contains(response.user()) && !fromLoopback(ctx)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "login of user ''{0}'' from {1} refused: the user may connect only from a loopback"
              + " address (loopback_users)",
          response.user(),
          peer);
      throw new AmqpException(
          ReplyCode.ACCESS_REFUSED,
          "user '" + response.user() + "' can only connect via localhost");
    }
    if (!broker.users().checkPassword(response.user(), response.password())) {
      LOG.log(
          System.Logger.Level.WARNING,
          "login of user ''{0}'' from {1} refused: invalid credentials",
          response.user(),
          peer);
      throw new AmqpException(
          ReplyCode.ACCESS_REFUSED,
          "Login was refused using authentication mechanism "
              + m.mechanism()
              + ". For details see the broker logfile.");
    }
    login = response;
    clientProperties = m.clientProperties();
    wantsBlocked =
        m.clientProperties().get("capabilities") instanceof Map<?, ?> capabilities
            && Boolean.TRUE.equals(capabilities.get("connection.blocked"));
    state = State.TUNE_OK;
    send(
        ctx,
        0,
        new ConnectionMethods.Tune(
            config.channelMax(), config.frameMax(), config.heartbeatSeconds(), false));
  }

  private void tuneOk(ChannelHandlerContext ctx, ConnectionMethods.Tune m) {
    int clientChannelMax = m.channelMax() == 0 ? 65535 : m.channelMax();
    channelMax = Math.min(clientChannelMax, config.channelMax());
    if (m.channelMax() > config.channelMax()) {
      throw negotiation(
          "channel_max", m.channelMax(), "higher than the maximum", config.channelMax());
    }
    long frameMax = m.frameMax() == 0 ? config.frameMax() : m.frameMax();
    if (frameMax < Frame.MIN_FRAME_MAX) {
      throw negotiation("frame_max", frameMax, "lower than the minimum", Frame.MIN_FRAME_MAX);
    }
    if (frameMax > config.frameMax()) {
      throw negotiation("frame_max", frameMax, "higher than the maximum", config.frameMax());
    }
    parser.frameMax(frameMax);
    sink.frameMax(frameMax);
    negotiatedFrameMax = frameMax;
    negotiatedHeartbeat = m.heartbeat();
    int heartbeat = m.heartbeat();
    if (heartbeat > 0) {
      // spec 4.2.7: send when idle for one interval; RabbitMQ closes after two missed
      heartbeats = Heartbeats.install(ctx, heartbeat);
    }
    state = State.OPEN_CONNECTION;
  }

  private static AmqpException negotiation(String field, long value, String bound, long limit) {
    return new AmqpException(
        ReplyCode.NOT_ALLOWED,
        "negotiated " + field + " = " + value + " is " + bound + " allowed value (" + limit + ")");
  }

  private void open(ChannelHandlerContext ctx, ConnectionMethods.Open m) {
    connection = broker.newConnection(m.virtualHost(), login.user(), login.password());
    connection.setTransportFlowControl(sink::writable);
    Connection engineConnection = connection;
    sink.onWritable(engineConnection::transportWritable);
    connection.describeTransport(transportInfo(ctx), reason -> forceClose(ctx, reason));
    connection.addBlockedListener(
        reason -> onEventLoop(ctx, () -> alarm = reason),
        () -> onEventLoop(ctx, () -> unblock(ctx)));
    state = State.OPEN;
    LOG.log(
        System.Logger.Level.INFO,
        "connection from {0}: user ''{1}'' opened vhost ''{2}''",
        peer,
        login.user(),
        m.virtualHost());
    send(ctx, 0, new ConnectionMethods.OpenOk());
  }

  private void channelFrame(ChannelHandlerContext ctx, Frame f) {
    int number = f.channel();
    WireChannel channel = channels.get(number);
    if (channel == null) {
      AmqpMethod m = f.type() == Frame.METHOD ? MethodCodec.decode(f.payload()) : null;
      if (!(m instanceof ChannelMethods.Open)) {
        throw new AmqpException(ReplyCode.CHANNEL_ERROR, "expected 'channel.open'");
      }
      if (number > channelMax) {
        throw new AmqpException(
            ReplyCode.CHANNEL_ERROR,
            "channel number " + number + " exceeds negotiated channel_max " + channelMax);
      }
      WireChannel opened = new WireChannel(config.maxMessageSize());
      channels.put(number, opened);
      Connection engine = connection;
      submit(
          ctx,
          number,
          () -> {
            opened.dispatcher = new ChannelDispatcher(number, engine.createChannel(), sink);
            sink.method(number, new ChannelMethods.OpenOk());
          });
      return;
    }
    if (channel.dispatcher != null && channel.dispatcher.closing()) {
      // after our channel.close, drop everything but close-ok (spec 4.2.6... class channel)
      if (f.type() == Frame.METHOD) {
        AmqpMethod m = MethodCodec.decode(f.payload());
        if (m.id() == MethodId.CHANNEL_CLOSE_OK) {
          channels.remove(number);
        } else if (m.id() == MethodId.CHANNEL_CLOSE) {
          sink.method(number, new NoArguments(MethodId.CHANNEL_CLOSE_OK));
        }
      }
      return;
    }
    CommandAssembler.Command command;
    try {
      command = channel.assembler.accept(f);
    } catch (AmqpException e) {
      if (e.isHardError()) {
        throw e;
      }
      // an oversized message: the channel closes once its earlier commands have run
      submit(
          ctx,
          number,
          () -> {
            channel.dispatcher.markClosing();
            channel.dispatcher.closeEngine();
            channelError(number, e, MethodId.BASIC_PUBLISH);
          });
      return;
    }
    if (command == null) {
      return;
    }
    AmqpMethod m = command.method();
    switch (m.id()) {
      case CHANNEL_OPEN ->
          throw new AmqpException(ReplyCode.CHANNEL_ERROR, "second 'channel.open' seen");
      case CHANNEL_CLOSE -> {
        channels.remove(number);
        submit(
            ctx,
            number,
            () -> {
              channel.dispatcher.closeEngine();
              sink.method(number, new NoArguments(MethodId.CHANNEL_CLOSE_OK));
            });
      }
      case CHANNEL_CLOSE_OK -> {
        // a close-ok for a channel we did not close: RabbitMQ ignores it
      }
      default -> {
        SerialExecutor.Step run = () -> channel.dispatcher.dispatch(command, failures(ctx));
        if (!runsOnEventLoop(m.id(), channel.dispatcher)
            || !commands.channelStepIfIdle(number, run)) {
          commands.channelStep(number, run);
          pauseReadsOnBacklog();
        }
        if (alarm != null && m.id() == MethodId.BASIC_PUBLISH) {
          block(ctx);
        }
      }
    }
  }

  /**
   * The commands that run on the event loop when their channel has nothing queued: they never block
   * and take microseconds (the engine's XA bookkeeping is in memory, and an ack inside an XA branch
   * is only noted in it). An MDB's XA transaction over the wire is {@code dtx.start}, the ack,
   * {@code dtx.end} and {@code dtx.commit}: none hops to a command thread and back. {@code
   * dtx.commit} applies the branch in memory here and hands it to the store without waiting ({@link
   * DtxDispatcher#commit}): its answer is written by the store's writer when the commit is durable,
   * and the channel's next commands wait for it. (A branch recovered after a restart first reads
   * the messages it rejected from the store, on this thread: once per such branch.) Everything else
   * stays on the command threads: it may wait for the store or the memory alarm (publishes, {@code
   * tx.commit}, {@code dtx.prepare}, declarations), and the acks of a busy plain consumer, run
   * there, keep the event loop free to read (measured: a transacted benchmark slowed when they ran
   * here).
   */
  private static boolean runsOnEventLoop(MethodId id, ChannelDispatcher dispatcher) {
    return switch (id) {
      case DTX_START, DTX_END, DTX_SET_TIMEOUT, DTX_COMMIT -> true;
      case BASIC_ACK -> dispatcher.dtxSelected();
      default -> false;
    };
  }

  /** Runs a task on the socket's event loop (from an engine thread); dropped if it has stopped. */
  private static void onEventLoop(ChannelHandlerContext ctx, Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the server is stopping: the connection goes with it
    }
  }

  /** The connection published while the memory alarm is on: stop reading it, tell the client. */
  private void block(ChannelHandlerContext ctx) {
    blocked = true;
    reads.pause(SocketReads.BLOCKED);
    LOG.log(
        System.Logger.Level.DEBUG,
        "connection from {0} blocked: {1}; its socket is not read until the alarm clears",
        peer,
        alarm);
    if (wantsBlocked && !blockedSent && state == State.OPEN) {
      blockedSent = true;
      send(ctx, 0, new ConnectionMethods.Blocked(alarm));
    }
  }

  /** The memory alarm cleared: read again, first the frames received before blocking. */
  private void unblock(ChannelHandlerContext ctx) {
    alarm = null;
    if (!blocked) {
      return;
    }
    blocked = false;
    if (blockedSent && state == State.OPEN) {
      send(ctx, 0, new NoArguments(MethodId.CONNECTION_UNBLOCKED));
    }
    blockedSent = false;
    reads.resume(SocketReads.BLOCKED);
    if (actualReadableBytes() > 0) {
      try {
        channelRead(ctx, Unpooled.EMPTY_BUFFER); // decodes what waits in the cumulation
      } catch (Exception e) {
        exceptionCaught(ctx, e);
      }
    }
  }

  /**
   * {@link ByteToMessageDecoder}'s, without its extra {@code read()} when {@code autoRead} is off
   * and no message was passed on: this decoder never passes messages on, so that read would go on
   * reading, into an unbounded cumulation buffer, a socket that flow control ({@link SocketReads})
   * stopped reading.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    discardSomeReadBytes();
    ctx.fireChannelReadComplete();
  }

  /**
   * Reading started again: the client's heartbeats count from now (RabbitMQ resumes its monitor).
   */
  private void readingResumed() {
    if (heartbeats != null) {
      heartbeats.resetReadTimeout();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      reads.resume(SocketReads.UNWRITABLE);
      Connection c = connection;
      if (c != null) {
        c.transportWritable();
      }
    } else {
      reads.pause(SocketReads.UNWRITABLE);
    }
    super.channelWritabilityChanged(ctx);
  }

  /**
   * Whether the connection is blocked now (RabbitMQ's connection state {@code blocked}): it
   * published while the memory alarm was on, so its socket is not read. Any thread.
   */
  public boolean isBlocked() {
    return blocked;
  }

  /** Bytes written to this connection's socket and not yet sent, now. */
  public long outboundBufferedBytes() {
    return sink == null ? 0 : sink.bufferedBytes();
  }

  /** The most bytes this connection's socket has held unsent at once, since it was opened. */
  public long peakOutboundBufferedBytes() {
    return sink == null ? 0 : sink.peakBufferedBytes();
  }

  private ChannelDispatcher.Failures failures(ChannelHandlerContext ctx) {
    return new ChannelDispatcher.Failures() {
      @Override
      public void channelError(int channel, AmqpException e, MethodId method) {
        AmqpConnectionHandler.this.channelError(channel, e, method);
      }

      @Override
      public void connectionError(AmqpException e, MethodId method) {
        ctx.executor()
            .execute(
                () ->
                    closeConnection(
                        ctx, e.replyCode(), e.replyText(), method.classId(), method.methodId()));
      }
    };
  }

  private void channelError(int number, AmqpException e, MethodId method) {
    sink.method(
        number,
        Close.channel(
            e.replyCode().code(),
            text(e.replyCode(), e.replyText()),
            method.classId(),
            method.methodId()));
  }

  /** Queues a command of a channel; stops reading the socket while too many are queued. */
  private void submit(ChannelHandlerContext ctx, int channel, Runnable command) {
    commands.channel(channel, command);
    pauseReadsOnBacklog();
  }

  /** Stops reading the socket while more than {@value #HIGH} commands wait. */
  private void pauseReadsOnBacklog() {
    if (commands.pending() > HIGH) {
      reads.pause(SocketReads.COMMAND_BACKLOG);
      if (commands.pending() <= LOW) {
        // drained meanwhile, before the pause was seen: the commands will not resume it
        reads.resume(SocketReads.COMMAND_BACKLOG);
      }
    }
  }

  /** After each command, on its pool thread: reading resumes once the backlog is down. */
  private void commandDone() {
    if (commands.pending() <= LOW) {
      reads.resume(SocketReads.COMMAND_BACKLOG);
    }
  }

  /** Sends {@code connection.close} for a hard error and waits for close-ok (or a timeout). */
  private void closeConnection(
      ChannelHandlerContext ctx, ReplyCode code, String text, int classId, int methodId) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    LOG.log(
        System.Logger.Level.WARNING, "closing connection from {0}: {1}", peer, text(code, text));
    closeEngine();
    boolean negotiated =
        state == State.OPEN || state == State.OPEN_CONNECTION || state == State.TUNE_OK;
    if (!negotiated && code != ReplyCode.ACCESS_REFUSED) {
      state = State.CLOSED;
      ctx.close();
      return;
    }
    state = State.CLOSING;
    send(ctx, 0, Close.connection(code.code(), text(code, text), classId, methodId));
    ctx.executor().schedule(() -> ctx.close(), CLOSE_OK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** Closes the connection from the broker's side (shutdown: 320 CONNECTION_FORCED). Any thread. */
  public void forceClose(ChannelHandlerContext ctx, String reason) {
    ctx.executor()
        .execute(
            () ->
                closeConnection(
                    ctx,
                    ReplyCode.CONNECTION_FORCED,
                    "broker forced connection closure with reason '" + reason + "'",
                    0,
                    0));
  }

  private static String text(ReplyCode code, String text) {
    String prefix = code.name() + " - ";
    return text != null && text.startsWith(prefix) ? text : prefix + text;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.READER_IDLE) {
        if (reads.paused()) {
          return; // the socket is not read: its heartbeats cannot be seen (resumed on reading)
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "closing connection from {0}: missed heartbeats from client for two intervals",
            peer);
        closeEngine();
        state = State.CLOSED;
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closeEngine();
    state = State.CLOSED;
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(System.Logger.Level.WARNING, "connection from " + peer + " failed", cause);
    closeEngine();
    state = State.CLOSED;
    ctx.close();
  }

  private void closeEngine() {
    closeEngine(() -> {});
  }

  /**
   * Closes the engine connection after the commands already queued, then runs {@code then} (on the
   * command thread of the channel that finishes last, or at once when there is no engine
   * connection).
   */
  private void closeEngine(Runnable then) {
    channels.clear();
    Connection c = connection;
    connection = null;
    if (c != null && commands != null) {
      // after the commands already queued on every channel, so none runs against a closed
      // connection half-way
      commands.afterAll(
          () -> {
            try {
              c.close();
            } finally {
              then.run();
            }
          });
    } else {
      if (c != null) {
        c.close();
      }
      then.run();
    }
  }

  private void send(ChannelHandlerContext ctx, int channel, AmqpMethod method) {
    sink.method(channel, method);
  }

  private void sendAndClose(ChannelHandlerContext ctx, AmqpMethod method) {
    state = State.CLOSED;
    ByteBuf out = ctx.alloc().buffer();
    FrameWriter.writeMethod(out, 0, method);
    ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
  }

  private TransportInfo transportInfo(ChannelHandlerContext ctx) {
    InetSocketAddress remote =
        ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
    InetSocketAddress local =
        ctx.channel().localAddress() instanceof InetSocketAddress a ? a : null;
    String peerHost = remote == null ? "?" : remote.getAddress().getHostAddress();
    int peerPort = remote == null ? 0 : remote.getPort();
    String host = local == null ? "?" : local.getAddress().getHostAddress();
    int port = local == null ? 0 : local.getPort();
    return new TransportInfo(
        peerHost + ":" + peerPort + " -> " + host + ":" + port,
        peerHost,
        peerPort,
        host,
        port,
        "AMQP 0-9-1",
        ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null,
        clientProperties,
        (int) Math.min(Integer.MAX_VALUE, negotiatedFrameMax),
        channelMax,
        negotiatedHeartbeat);
  }

  private static boolean fromLoopback(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a
        && a.getAddress() != null
        && a.getAddress().isLoopbackAddress();
  }
}
