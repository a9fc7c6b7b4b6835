package io.warrenmq.server.internal.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.wire.CommandAssembler;
import io.warrenmq.client.wire.Frame;
import io.warrenmq.client.wire.FrameParser;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded fuzzing of the read path (frame parser, method and content-header decoders, command
 * assembly): valid frames of every kind, mutated (bit flips, truncation, insertion, overwritten
 * sizes, shuffled frames) and pure noise. Every input must end either decoded or with an {@link
 * AmqpException} carrying a connection-level frame or command reply code (or 406 for an oversized
 * body); any other exception (an index out of bounds, a stack overflow, an out-of-memory
 * allocation) fails with the seed and the input in hex, so it can be replayed.
 *
 * <p>Bounded: {@code -Dwarren.fuzz.seconds=N} (default 5; at least {@value #MIN_INPUTS} inputs
 * whatever the time) and {@code -Dwarren.fuzz.seed=S} (default: new each run, printed).
 */
class FrameDecoderFuzzTest {
  private static final Set<ReplyCode> ALLOWED =
      EnumSet.of(
          ReplyCode.FRAME_ERROR,
          ReplyCode.SYNTAX_ERROR,
          ReplyCode.COMMAND_INVALID,
          ReplyCode.UNEXPECTED_FRAME,
          ReplyCode.PRECONDITION_FAILED);

  private static final int MIN_INPUTS = 2_000;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void mutatedAndRandomFramesNeverEscapeAsAnythingButAnAmqpConnectionError() {
    long seconds = Long.getLong("warren.fuzz.seconds", 5);
    long seed = Long.getLong("warren.fuzz.seed", System.nanoTime());
    System.out.println("FrameDecoderFuzzTest: seed " + seed + ", " + seconds + " s");
    Random random = new Random(seed);
    List<byte[]> corpus = FuzzInputs.corpus();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long inputs = 0;
    long decoded = 0;
    long refused = 0;
    while (System.nanoTime() < deadline || inputs < MIN_INPUTS) {
      byte[] input = FuzzInputs.mutate(random, corpus);
      inputs++;
      try {
        decoded += readAll(input);
      } catch (AmqpException e) {
        if (!ALLOWED.contains(e.replyCode()) || e.replyText() == null || e.replyText().isEmpty()) {
          fail("seed " + seed + ": " + e.replyCode() + " " + e.replyText() + " for " + hex(input));
        }
        refused++;
      } catch (Throwable t) {
        throw new AssertionError("seed " + seed + ": " + t + " for " + hex(input), t);
      }
    }
    System.out.printf(
        "FrameDecoderFuzzTest: %,d inputs, %,d commands decoded, %,d inputs refused%n",
        inputs, decoded, refused);
    assertTrue(decoded > 0 && refused > 0, "both outcomes seen: " + decoded + ", " + refused);
  }

  /** The server's read loop without the server: frames into per-channel assemblers. */
  private static int readAll(byte[] input) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    FrameParser parser = new FrameParser(8192);
    Map<Integer, CommandAssembler> channels = new HashMap<>();
    int commands = 0;
    for (Frame f = parser.next(in); f != null; f = parser.next(in)) {
      if (f.type() == Frame.HEARTBEAT) {
        continue;
      }
      CommandAssembler assembler =
          channels.computeIfAbsent(f.channel(), c -> new CommandAssembler(1 << 16));
      if (assembler.accept(f) != null) {
        commands++;
      }
    }
    return commands;
  }

  private static String hex(byte[] bytes) {
    return ByteBufUtil.hexDump(bytes);
  }
}
