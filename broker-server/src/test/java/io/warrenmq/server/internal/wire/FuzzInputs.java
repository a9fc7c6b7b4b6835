package io.warrenmq.server.internal.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.BasicMethods;
import io.warrenmq.client.wire.ChannelMethods;
import io.warrenmq.client.wire.Close;
import io.warrenmq.client.wire.ConnectionMethods;
import io.warrenmq.client.wire.DtxMethods;
import io.warrenmq.client.wire.ExchangeMethods;
import io.warrenmq.client.wire.FrameWriter;
import io.warrenmq.client.wire.MethodId;
import io.warrenmq.client.wire.NoArguments;
import io.warrenmq.client.wire.QueueMethods;
import io.warrenmq.client.wire.TxMethods;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The inputs of the fuzz tests ({@link FrameDecoderFuzzTest} on the decoder alone, {@code
 * io.warrenmq.server.SocketFuzzTest} against a running server): a corpus of valid frames and a
 * seeded mutator.
 */
public final class FuzzInputs {
  private static final DtxMethods.WireXid XID =
      new DtxMethods.WireXid(0x5741, new byte[] {'g', '1'}, new byte[] {'b'});

  private FuzzInputs() {}

  /** One valid frame sequence per kind: most methods, a content of three frames, a heartbeat. */
  public static List<byte[]> corpus() {
    Map<String, Object> table = new HashMap<>();
    table.put("s", "text");
    table.put("i", 1);
    table.put("l", 2L);
    table.put("d", new BigDecimal("1.5"));
    table.put("t", new Date(0));
    table.put("a", List.of(1, "x", Map.of("n", true)));
    table.put("x", new byte[] {1, 2});
    table.put("v", null);
    List<AmqpMethod> methods =
        List.of(
            new ConnectionMethods.StartOk(table, "PLAIN", "\0u\0p".getBytes(), "en_US"),
            new ConnectionMethods.Tune(2047, 131072, 60, true),
            new ConnectionMethods.Open("/"),
            Close.connection(200, "bye", 0, 0),
            new ChannelMethods.Open(),
            Close.channel(200, "bye", 0, 0),
            new ExchangeMethods.Declare("e", "topic", false, true, false, false, false, table),
            new ExchangeMethods.Bind("d", "s", "a.*", false, table, false),
            new QueueMethods.Declare("q", false, true, false, false, false, table),
            new QueueMethods.Bind("q", "e", "k", false, table, true),
            new QueueMethods.Delete("q", true, true, false),
            new BasicMethods.Qos(0, 10, false),
            new BasicMethods.Consume("q", "c", false, false, false, false, table),
            new BasicMethods.Settle(MethodId.BASIC_NACK, 5, true, true),
            new BasicMethods.Get("q", false),
            new TxMethods.ConfirmSelect(false),
            new NoArguments(MethodId.TX_COMMIT),
            new DtxMethods.Association(MethodId.DTX_START, XID, 0),
            new DtxMethods.Commit(XID, false),
            new DtxMethods.RecoverOk(0, "", List.of(XID), true));
    List<byte[]> corpus = new ArrayList<>();
    for (AmqpMethod m : methods) {
      ByteBuf out = Unpooled.buffer();
      FrameWriter.writeMethod(out, 1, m);
      corpus.add(ByteBufUtil.getBytes(out));
    }
    BasicProperties props =
        BasicProperties.builder()
            .contentType("text/plain")
            .headers(table)
            .deliveryMode(2)
            .priority(5)
            .timestamp(1000L)
            .messageId("m")
            .build();
    ByteBuf publish = Unpooled.buffer();
    FrameWriter.writeContent(
        publish, 1, new BasicMethods.Publish("e", "k", true, false), props, new byte[9000], 4096);
    corpus.add(ByteBufUtil.getBytes(publish));
    ByteBuf heartbeat = Unpooled.buffer();
    FrameWriter.writeHeartbeat(heartbeat);
    corpus.add(ByteBufUtil.getBytes(heartbeat));
    return corpus;
  }

  /**
   * A hostile input: noise, or one to four corpus entries with bit flips, overwritten bytes,
   * truncation, insertion, overwritten 32-bit sizes, field-table type tags or channel numbers.
   */
  public static byte[] mutate(Random random, List<byte[]> corpus) {
    int kind = random.nextInt(8);
    if (kind == 0) {
      byte[] noise = new byte[random.nextInt(64)];
      random.nextBytes(noise);
      return noise;
    }
    ByteBuf out = Unpooled.buffer();
    int frames = 1 + random.nextInt(4);
    for (int i = 0; i < frames; i++) {
      out.writeBytes(corpus.get(random.nextInt(corpus.size())));
    }
    byte[] bytes = ByteBufUtil.getBytes(out);
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations && bytes.length > 0; i++) {
      int at = random.nextInt(bytes.length);
      switch (kind) {
        case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> bytes[at] = (byte) random.nextInt(256);
        case 3 -> bytes = java.util.Arrays.copyOf(bytes, at);
        case 4 -> {
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
        case 5 -> {
          // a big-endian length somewhere: 0, huge, or off by a little
          if (at + 4 <= bytes.length) {
            int value =
                switch (random.nextInt(3)) {
                  case 0 -> 0;
                  case 1 -> 0x7fffffff - random.nextInt(16);
                  default -> random.nextInt(300);
                };
            bytes[at] = (byte) (value >>> 24);
            bytes[at + 1] = (byte) (value >>> 16);
            bytes[at + 2] = (byte) (value >>> 8);
            bytes[at + 3] = (byte) value;
          }
        }
        case 6 -> bytes[at] = (byte) "tbBsuIilfdDSxATFV".charAt(random.nextInt(17));
        default -> {
          // channel numbers: frames of one command spread over channels
          if (bytes.length > 3) {
            bytes[1] = 0;
            bytes[2] = (byte) random.nextInt(3);
          }
        }
      }
    }
    return bytes;
  }
}
