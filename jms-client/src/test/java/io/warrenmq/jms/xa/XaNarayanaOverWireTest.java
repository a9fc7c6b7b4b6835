package io.warrenmq.jms.xa;

import io.warrenmq.engine.Broker;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.jms.internal.InVmBrokers;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link XaNarayanaTest} with the broker behind a WarrenServer and the JMS layer on {@code
 * amqp://}: Narayana enlists the remote session's XAResource (the {@code dtx} extension) with a
 * JDBC resource, and both commit or roll back together.
 */
class XaNarayanaOverWireTest extends XaNarayanaTest {
  private static final String REMOTE = "xa-narayana-remote";
  @TempDir static Path storeDir;
  private static WarrenServer server;

  @BeforeAll
  static void startServer() {
    Broker broker =
        InVmBrokers.getOrStart(
            REMOTE,
            Map.of("store", "jdbc", "dataDir", storeDir.toString(), "durability", "PROCESS_CRASH"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  @AfterAll
  static void stopServer() {
    server.close();
    InVmBrokers.stop(REMOTE);
  }

  @Override
  WarrenConnectionFactory newFactory() throws Exception {
    return WarrenConnectionFactory.forUrl("amqp://guest:guest@127.0.0.1:" + server.port());
  }
}
