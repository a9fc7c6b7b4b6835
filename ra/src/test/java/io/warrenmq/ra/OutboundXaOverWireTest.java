package io.warrenmq.ra;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OutboundXaTest}'s scenarios (sessions of one managed connection in one XA branch, commit
 * after prepare, rollback, recovery by a fresh managed connection, read-only prepare, the
 * container's LocalTransaction, an application local transaction closed with its handle) with the
 * adapter's {@code connectionURL} pointing at a WarrenServer on an ephemeral 127.0.0.1 port: the
 * branches travel as WarrenMQ's dtx extension. One in-memory server for the class.
 */
@Timeout(20)
class OutboundXaOverWireTest extends OutboundXaTest {
  private static Broker broker;
  private static WarrenServer server;

  @BeforeAll
  static void startServer() {
    broker = new Broker(new BrokerConfig("outbound-xa-wire-" + System.nanoTime(), 2));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  @AfterAll
  static void stopServer() {
    server.close();
    broker.close();
  }

  @Override
  void configure(WarrenResourceAdapter adapter) {
    adapter.setConnectionURL("amqp://guest:guest@127.0.0.1:" + server.port());
  }
}
