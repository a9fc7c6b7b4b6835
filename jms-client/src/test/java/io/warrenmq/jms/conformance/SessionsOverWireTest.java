package io.warrenmq.jms.conformance;

import jakarta.jms.JMSException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** {@link SessionsTest} over the wire transport ({@code amqp://} to an in-process WarrenServer). */
class SessionsOverWireTest extends SessionsTest {
  private static final WireBroker WIRE = new WireBroker();

  @BeforeAll
  static void startServer() {
    WIRE.start();
  }

  @AfterAll
  static void stopServer() {
    WIRE.stop();
  }

  SessionsOverWireTest() {
    // set here, not in a @BeforeEach: a subclass's @BeforeEach runs after its superclass's, some
    // of which already use the factory
    broker = WIRE.broker();
    try {
      factory = WIRE.factory();
    } catch (JMSException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  @BeforeEach
  void startBroker() {}

  @Override
  @AfterEach
  void stopBroker() {}
}
