package io.warrenmq.jms;

import jakarta.jms.JMSException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link XaSessionTest} over the wire transport ({@code amqp://} to an in-process WarrenServer).
 */
class XaSessionOverWireTest extends XaSessionTest {
  @RegisterExtension static final WireTestBroker WIRE = new WireTestBroker();

  XaSessionOverWireTest() {
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
  boolean startWaitsForTheBroker() {
    return false; // docs/protocol-dtx.md, "Pipelined dtx.start"
  }

  @Override
  @BeforeEach
  void startBroker() {}

  @Override
  @AfterEach
  void stopBroker() {}
}
