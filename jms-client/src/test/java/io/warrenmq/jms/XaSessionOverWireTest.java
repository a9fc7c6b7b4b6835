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
  @BeforeEach
  void startBroker() {}

  @Override
  @AfterEach
  void stopBroker() {}

  /**
   * Not run over the wire: after the rollback the message is prefetched again by the still open
   * consumer, whose close gives it back; in-VM that is a release, over AMQP 0-9-1 a {@code
   * basic.reject} with requeue, which counts as one more delivery (JMSXDeliveryCount 3, not 2).
   */
  @Override
  void aRolledBackReceiveIsRedeliveredWithItsDeliveryCountRaised() {}
}
