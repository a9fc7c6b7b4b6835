package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link WarrenServer#start}'s errors, which the standalone server turns into key names. */
@Timeout(60)
class ListenerStartTest {
  @Test
  void anAddressInUseIsAnIllegalStateNamingTheAddressAndLeavesNoThreads() throws Exception {
    try (Broker broker = new Broker(BrokerConfig.named("bind"));
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      long before = Thread.getAllStackTraces().size();
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
      while (Thread.getAllStackTraces().size() > before && System.nanoTime() < deadline) {
        Thread.sleep(20); // the event loops shut down asynchronously
      }
      assertEquals(before, Thread.getAllStackTraces().size(), "no event-loop thread left");
    }
  }
}
