package io.warrenmq.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.BasicMethods;
import io.warrenmq.client.wire.ChannelMethods;
import io.warrenmq.client.wire.CommandAssembler;
import io.warrenmq.client.wire.CommandAssembler.Command;
import io.warrenmq.client.wire.ConnectionMethods;
import io.warrenmq.client.wire.Frame;
import io.warrenmq.client.wire.FrameParser;
import io.warrenmq.client.wire.FrameWriter;
import io.warrenmq.client.wire.MethodId;
import io.warrenmq.client.wire.NoArguments;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal AMQP 0-9-1 client for tests, built on the server's own codec ({@link FrameWriter},
 * {@link FrameParser}, {@link CommandAssembler}): RabbitMQ's Java client can send a method of a
 * class it does not know (a subclass of its {@code Method}) but closes the connection when one
 * arrives, so WarrenMQ's extension class {@code dtx} is tested through this one.
 *
 * <p>Blocking and single-threaded: every read waits at most {@value #READ_TIMEOUT_MS} ms. Not
 * thread-safe.
 */
final class RawAmqpClient implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final FrameParser parser;
  private final ByteBuf received = Unpooled.buffer();
  private final Map<Integer, CommandAssembler> assemblers = new HashMap<>();
  private final Map<Integer, ArrayDeque<Command>> pending = new HashMap<>();
  private final Map<String, Object> serverProperties;

  private RawAmqpClient(Socket socket, long frameMax) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(READ_TIMEOUT_MS);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    parser = new FrameParser(frameMax);
    out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
    ConnectionMethods.Start start = (ConnectionMethods.Start) next(0).method();
    serverProperties = start.serverProperties();
    send(
        0,
        new ConnectionMethods.StartOk(
            Map.of(), "PLAIN", "\0guest\0guest".getBytes(StandardCharsets.UTF_8), "en_US"));
    ConnectionMethods.Tune tune = (ConnectionMethods.Tune) next(0).method();
    send(0, new ConnectionMethods.Tune(tune.channelMax(), frameMax, 0, true));
    send(0, new ConnectionMethods.Open("/"));
    expect(0, MethodId.CONNECTION_OPEN_OK);
  }

  /**
   * Connects as guest to vhost "/" on 127.0.0.1.
   *
   * @param frameMax the {@code frame_max} asked for in {@code tune-ok}, in bytes
   */
  static RawAmqpClient connect(int port, long frameMax) throws IOException {
    return new RawAmqpClient(new Socket("127.0.0.1", port), frameMax);
  }

  /** The server's {@code server-properties} from {@code connection.start}. */
  Map<String, Object> serverProperties() {
    return serverProperties;
  }

  /** Opens channel {@code number}. */
  void openChannel(int number) throws IOException {
    send(number, new ChannelMethods.Open());
    expect(number, MethodId.CHANNEL_OPEN_OK);
  }

  /** Sends a method frame. */
  void send(int channel, AmqpMethod method) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    FrameWriter.writeMethod(buf, channel, method);
    write(buf);
  }

  /**
   * Sends method frames in one write, so that the server reads them together (one TCP segment as
   * far as loopback goes): the second is decoded while the first may still be running.
   */
  void sendTogether(int channel, AmqpMethod... methods) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    for (AmqpMethod m : methods) {
      FrameWriter.writeMethod(buf, channel, m);
    }
    write(buf);
  }

  /** Sends bytes as they are (a hand-made frame). */
  void sendRaw(ByteBuf frame) throws IOException {
    write(frame);
  }

  /** Sends {@code method} and returns the next method the server sends on that channel. */
  AmqpMethod call(int channel, AmqpMethod method) throws IOException {
    send(channel, method);
    return next(channel).method();
  }

  /** Publishes {@code body} (persistent when asked) with basic.publish. */
  void publish(int channel, String exchange, String routingKey, String body, boolean persistent)
      throws IOException {
    ByteBuf buf = Unpooled.buffer();
    BasicProperties props =
        persistent
            ? BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build()
            : BasicProperties.EMPTY;
    FrameWriter.writeContent(
        buf,
        channel,
        new BasicMethods.Publish(exchange, routingKey, false, false),
        props,
        body.getBytes(StandardCharsets.UTF_8),
        parser.frameMax());
    write(buf);
  }

  /** basic.get without auto-ack: the delivery tag of the message got, or -1 for get-empty. */
  long get(int channel, String queue) throws IOException {
    send(channel, new BasicMethods.Get(queue, false));
    AmqpMethod m = next(channel).method();
    return m instanceof BasicMethods.GetOk ok ? ok.deliveryTag() : -1;
  }

  /** basic.ack of one delivery. */
  void ack(int channel, long deliveryTag) throws IOException {
    send(channel, new BasicMethods.Settle(MethodId.BASIC_ACK, deliveryTag, false, false));
  }

  /** Reads until the next method on {@code channel} is {@code id}, and returns it. */
  AmqpMethod expect(int channel, MethodId id) throws IOException {
    AmqpMethod m = next(channel).method();
    if (m.id() != id) {
      throw new AssertionError("expected " + id.spec() + " on channel " + channel + ", got " + m);
    }
    return m;
  }

  /** Sends {@code channel.close-ok} (after the server closed the channel). */
  void closeOk(int channel) throws IOException {
    send(channel, new NoArguments(MethodId.CHANNEL_CLOSE_OK));
  }

  /** The next whole command on {@code channel} (queued if another channel's arrive first). */
  Command next(int channel) throws IOException {
    ArrayDeque<Command> queued = pending.get(channel);
    if (queued != null && !queued.isEmpty()) {
      return queued.poll();
    }
    while (true) {
      Frame f = parser.next(received);
      if (f == null) {
        fill();
        continue;
      }
      if (f.type() == Frame.HEARTBEAT) {
        continue;
      }
      Command c =
          assemblers.computeIfAbsent(f.channel(), n -> new CommandAssembler(1 << 24)).accept(f);
      received.discardReadBytes();
      if (c == null) {
        continue;
      }
      if (f.channel() == channel) {
        return c;
      }
      pending.computeIfAbsent(f.channel(), n -> new ArrayDeque<>()).add(c);
    }
  }

  /**
   * How the server refused what it was sent, within {@code ms}: {@code "socket"} if it closed the
   * socket, {@code "connection.close"} or {@code "channel.close"} if it sent one (other frames are
   * read and dropped), null if it did neither. Reads raw frames, without decoding their payloads,
   * so it works whatever was sent before. The read timeout is {@code ms} from then on.
   */
  String refusalWithin(int ms) throws IOException {
    socket.setSoTimeout(ms);
    ByteBuf raw = Unpooled.buffer();
    raw.writeBytes(received);
    long deadline = System.nanoTime() + ms * 1_000_000L;
    byte[] chunk = new byte[4096];
    while (System.nanoTime() < deadline) {
      while (raw.readableBytes() >= 7) {
        int type = raw.getUnsignedByte(raw.readerIndex());
        long size = raw.getUnsignedInt(raw.readerIndex() + 3);
        if (raw.readableBytes() < 8 + size) {
          break;
        }
        if (type == 1 && size >= 4) {
          int classId = raw.getUnsignedShort(raw.readerIndex() + 7);
          int methodId = raw.getUnsignedShort(raw.readerIndex() + 9);
          if (classId == 10 && methodId == 50) {
            return "connection.close";
          }
          if (classId == 20 && methodId == 40) {
            return "channel.close";
          }
        }
        raw.skipBytes((int) (8 + size));
      }
      int n;
      try {
        n = in.read(chunk);
      } catch (SocketTimeoutException e) {
        return null;
      } catch (IOException e) {
        return "socket"; // reset by the server
      }
      if (n < 0) {
        return "socket";
      }
      raw.writeBytes(chunk, 0, n);
    }
    return null;
  }

  private void fill() throws IOException {
    byte[] chunk = new byte[8192];
    int n = in.read(chunk);
    if (n < 0) {
      throw new IOException("the server closed the connection");
    }
    received.writeBytes(chunk, 0, n);
  }

  private void write(ByteBuf buf) throws IOException {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    out.write(bytes);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
