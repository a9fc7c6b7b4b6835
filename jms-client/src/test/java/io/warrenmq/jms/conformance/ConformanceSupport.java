package io.warrenmq.jms.conformance;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.jms.WarrenConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh in-VM broker and connection factory per test, for the conformance tests: they use only
 * the {@code jakarta.jms} API and the provider's public types, as an application does.
 */
abstract class ConformanceSupport {
  Broker broker;
  WarrenConnectionFactory factory;

  @BeforeEach
  void startBroker() {
    broker = new Broker(new BrokerConfig("conformance-" + UUID.randomUUID(), 2));
    factory = new WarrenConnectionFactory(broker);
  }

  @AfterEach
  void stopBroker() {
    broker.close();
  }

  Connection startedConnection() throws JMSException {
    Connection c = factory.createConnection();
    c.start();
    return c;
  }

  /** A queue name unique to the calling test. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }
}
