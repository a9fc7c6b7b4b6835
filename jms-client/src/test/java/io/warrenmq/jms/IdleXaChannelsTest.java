package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpChannel;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link IdleXaChannels} alone, over stand-in channels that only know whether they are open (the
 * class calls nothing else); the round trips it saves are checked over a real transport in {@link
 * TransportSeamTest}.
 */
class IdleXaChannelsTest {

  /** A channel that is open until closed; every other method fails the test. */
  private static final class Stub {
    final AtomicBoolean open = new AtomicBoolean(true);
    final AmqpChannel channel =
        (AmqpChannel)
            Proxy.newProxyInstance(
                AmqpChannel.class.getClassLoader(),
                new Class<?>[] {AmqpChannel.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "isOpen" -> open.get();
                      case "close" -> {
                        open.set(false);
                        yield null;
                      }
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      case "toString" -> "stub channel";
                      default -> throw new AssertionError("unexpected call: " + method.getName());
                    });
  }

  private final IdleXaChannels idle = new IdleXaChannels();

  @Test
  void anOfferedChannelIsTakenOnceAndStaysOpen() {
    Stub s = new Stub();
    idle.offer(s.channel);
    assertSame(s.channel, idle.take());
    assertTrue(s.open.get());
    assertNull(idle.take(), "taken once");
  }

  @Test
  void beyondTheLimitAnOfferedChannelIsClosed() {
    Stub[] kept = new Stub[IdleXaChannels.MAX];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = new Stub();
      idle.offer(kept[i].channel);
    }
    Stub extra = new Stub();
    idle.offer(extra.channel);
    assertFalse(extra.open.get(), "the fifth is closed");
    assertEquals(IdleXaChannels.MAX, idle.size());
    for (Stub s : kept) {
      assertTrue(s.open.get());
    }
  }

  @Test
  void aChannelThatClosedWhileItWaitedIsDroppedWhenTaken() {
    Stub closedMeanwhile = new Stub();
    Stub open = new Stub();
    idle.offer(closedMeanwhile.channel);
    idle.offer(open.channel);
    closedMeanwhile.open.set(false); // the broker closed it
    assertSame(open.channel, idle.take());
    assertEquals(0, idle.size());
  }

  @Test
  void aClosedChannelIsNotKept() {
    Stub s = new Stub();
    s.open.set(false);
    idle.offer(s.channel);
    assertEquals(0, idle.size());
  }

  @Test
  void afterCloseNothingIsKeptAndWhatWaitedIsForgotten() {
    Stub waiting = new Stub();
    idle.offer(waiting.channel);
    idle.close();
    assertNull(idle.take());
    Stub late = new Stub();
    idle.offer(late.channel);
    assertFalse(late.open.get(), "offered after close: closed");
    assertNull(idle.take());
  }
}
