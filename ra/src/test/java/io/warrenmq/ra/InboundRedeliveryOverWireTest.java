package io.warrenmq.ra;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * {@link InboundRedeliveryTest}'s scenarios (redelivery counts, dead-letter queue after
 * maxDeliveryAttempts, redeliveryDelay held by the broker; transacted and not) with the adapter's
 * {@code connectionURL} pointing at a WarrenServer on an ephemeral 127.0.0.1 port, so the MDB's
 * sessions, recovers, XA branches and the dead-letter send all go over the wire. One in-memory
 * server for the class; the tests use distinct queue names.
 */
@Timeout(30)
class InboundRedeliveryOverWireTest extends InboundRedeliveryTest {
  private static Broker broker;
  private static WarrenServer server;

  @BeforeAll
  static void startServer() {
    broker = new Broker(new BrokerConfig("redelivery-wire-" + System.nanoTime(), 2));
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
