package io.warrenmq.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warrenmq.client.wire.Frame;
import io.warrenmq.client.wire.FrameParser;
import io.warrenmq.client.wire.MethodCodec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WireConsumer}'s order of frames against the channel's own replies (RabbitMQ's {@code
 * consumer_cancel_notify}): the broker's {@code basic.cancel} of a consumer whose queue went away
 * is written before the consumer leaves the channel's registry. A client's {@code basic.cancel} of
 * that tag which no longer finds it there is answered {@code cancel-ok} at once, so the other order
 * lets the {@code cancel-ok} overtake the broker's cancel; pika 1.2 then fails the connection with
 * a {@code KeyError} on the consumer tag (seen once in {@code PikaTutorialsTest}'s RPC tutorial,
 * which deletes the queue its own consumer reads before closing).
 *
 * <p>A real engine channel and a real {@link FrameSink} over Netty's {@link EmbeddedChannel} (the
 * socket); the registry is a map that records, when the consumer is removed from it, which methods
 * the socket had been given so far.
 */
class WireConsumerTest {
  private final Broker broker = new Broker(BrokerConfig.named("wire-consumer"));
  private final EmbeddedChannel socket = new EmbeddedChannel();

  @AfterEach
  void close() {
    socket.finishAndReleaseAll();
    broker.close();
  }

  @Test
  void theBrokersCancelIsWrittenBeforeTheConsumerLeavesTheRegistry() {
    FrameSink out = new FrameSink(socket);
    ChannelDispatcher channel =
        new ChannelDispatcher(1, broker.newConnection("/", "test").createChannel(), out);
    List<List<String>> writtenAtRemoval = new ArrayList<>();
    ConcurrentHashMap<String, WireConsumer> registry =
        new ConcurrentHashMap<>() {
          @Override
          public boolean remove(Object key, Object value) {
            writtenAtRemoval.add(methodsWritten());
            return super.remove(key, value);
          }
        };
    WireConsumer consumer = new WireConsumer(channel, out, true, registry);
    registry.put("ctag-1", consumer);

    consumer.handleCancel("ctag-1");

    assertEquals(List.of(List.of("1:basic.cancel")), writtenAtRemoval);
    assertFalse(registry.containsKey("ctag-1"), "the cancelled consumer left the registry");
  }

  /** The methods the socket was given so far, each as "channel:class.method". */
  private List<String> methodsWritten() {
    socket.runPendingTasks();
    socket.flushOutbound();
    List<String> methods = new ArrayList<>();
    FrameParser parser = new FrameParser(Frame.MIN_FRAME_MAX);
    for (ByteBuf b = socket.readOutbound(); b != null; b = socket.readOutbound()) {
      try {
        for (Frame f = parser.next(b); f != null; f = parser.next(b)) {
          if (f.type() == Frame.METHOD) {
            methods.add(f.channel() + ":" + MethodCodec.decode(f.payload()).id().spec());
          }
        }
      } finally {
        b.release();
      }
    }
    return methods;
  }
}
