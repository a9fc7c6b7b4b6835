package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link WarrenServer#start}'s errors, which the standalone server turns into key names. */
@Timeout(60)
class ListenerStartTest {
  @Test
  void anAddressInUseIsAnIllegalStateNamingTheAddressAndLeavesNoThreads() throws Exception {
    try (Broker broker = new Broker(BrokerConfig.named("bind"));
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Set<Thread> before = Thread.getAllStackTraces().keySet();
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  WarrenServer.start(
                      broker,
                      ServerConfig.defaults().withListener("127.0.0.1", taken.getLocalPort())));
      assertEquals(
          "cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use",
          e.getMessage());
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!serverThreadsStartedSince(before).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20); // the event loops shut down asynchronously
      }
      assertEquals(List.of(), serverThreadsStartedSince(before), "no event-loop thread left");
    }
  }

  /**
   * The names of the server's threads (Netty's event loops, the command pool {@code warren-amqp-N})
   * alive now that were not in {@code before}; other threads of the test JVM, which other test
   * classes may start or end meanwhile, do not count.
   */
  private static List<String> serverThreadsStartedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t))
        .map(Thread::getName)
        .filter(n -> n.startsWith("multiThreadIoEventLoopGroup") || n.startsWith("warren-amqp-"))
        .sorted()
        .toList();
  }
}
