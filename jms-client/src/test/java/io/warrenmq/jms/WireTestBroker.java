package io.warrenmq.jms;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import jakarta.jms.JMSException;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-memory broker behind a WarrenServer on an ephemeral loopback port, for a test class run
 * over the wire transport ({@code *OverWireTest}): the same tests, the JMS layer talking {@code
 * amqp://} instead of in-VM. One server per test class, started before its first test and stopped
 * after its last: register it as {@code @RegisterExtension static final WireTestBroker WIRE = new
 * WireTestBroker();}. The tests use unique names.
 */
public final class WireTestBroker implements BeforeAllCallback, AfterAllCallback {
  private Broker broker;
  private WarrenServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts the broker and its server; {@link #beforeAll} does it for a registered extension. */
  public void start() {
    broker = new Broker(new BrokerConfig("conformance-wire-" + UUID.randomUUID(), 2));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  /** Stops the server, then the broker. */
  public void stop() {
    server.close();
    broker.close();
  }

  /** The broker behind the server. */
  public Broker broker() {
    return broker;
  }

  /** A factory for {@code amqp://guest:guest@127.0.0.1:<port>} of the server. */
  public WarrenConnectionFactory factory() throws JMSException {
    return WarrenConnectionFactory.forUrl("amqp://guest:guest@127.0.0.1:" + server.port());
  }

  /**
   * A factory for {@code amqp://guest:guest@127.0.0.1:<port>?<query>} of the server, e.g. {@code
   * reconnectAttempts=2} for the reconnecting transport.
   */
  public WarrenConnectionFactory factory(String query) throws JMSException {
    return WarrenConnectionFactory.forUrl(
        "amqp://guest:guest@127.0.0.1:" + server.port() + "?" + query);
  }
}
