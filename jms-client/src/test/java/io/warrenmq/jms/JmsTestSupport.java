package io.warrenmq.jms;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh in-VM broker and connection factory per test. */
abstract class JmsTestSupport {
  Broker broker;
  WarrenConnectionFactory factory;

  @BeforeEach
  void startBroker() {
    broker = new Broker(new BrokerConfig("jms-test-" + UUID.randomUUID(), 2));
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
}
