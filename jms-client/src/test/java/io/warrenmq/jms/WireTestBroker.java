package io.warrenmq.jms;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import jakarta.jms.JMSException;
import java.util.UUID;

/**
 * One in-memory broker behind a WarrenServer on an ephemeral loopback port, for a conformance test
 * class run over the wire transport ({@code *OverWireTest}): the same tests, the JMS layer talking
 * {@code amqp://} instead of in-VM. One server per test class; the tests use unique names.
 */
final class WireTestBroker {
  private Broker broker;
  private WarrenServer server;

  void start() {
    broker = new Broker(new BrokerConfig("conformance-wire-" + UUID.randomUUID(), 2));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  void stop() {
    server.close();
    broker.close();
  }

  Broker broker() {
    return broker;
  }

  WarrenConnectionFactory factory() throws JMSException {
    return WarrenConnectionFactory.forUrl("amqp://guest:guest@127.0.0.1:" + server.port());
  }
}
