package io.warrenmq.jms.conformance;

import io.warrenmq.jms.WireTestBroker;
import jakarta.jms.JMSException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ReceivingTest} over the wire transport ({@code amqp://} to an in-process WarrenServer).
 */
class ReceivingOverWireTest extends ReceivingTest {
  @RegisterExtension static final WireTestBroker WIRE = new WireTestBroker();

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
