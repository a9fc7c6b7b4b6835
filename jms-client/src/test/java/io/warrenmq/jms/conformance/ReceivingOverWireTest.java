package io.warrenmq.jms.conformance;

import jakarta.jms.JMSException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link ReceivingTest} over the wire transport ({@code amqp://} to an in-process WarrenServer).
 */
class ReceivingOverWireTest extends ReceivingTest {
  private static final WireBroker WIRE = new WireBroker();

  @BeforeAll
  static void startServer() {
    WIRE.start();
  }

  @AfterAll
  static void stopServer() {
    WIRE.stop();
  }

  ReceivingOverWireTest() {
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

  /**
   * Not run over the wire: its last steps call {@code receiveBodyNoWait} right after a receive and
   * expect the next prefetched message to be there already; over a socket it may still be in
   * flight, and {@code receiveNoWait} may then return null (Jakarta Messaging 3.1, 8.6: "if one is
   * immediately available"). Overridden without {@code @ParameterizedTest}, so JUnit skips it.
   */
  @Override
  void receiveBodyOfAWrongTypeLeavesTheMessageForTheNextReceive(int mode) {}
}
