package io.warrenmq.jms;

import jakarta.jms.JMSException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link QueueSendReceiveTest} over the wire transport ({@code amqp://} to an in-process
 * WarrenServer).
 */
class QueueSendReceiveOverWireTest extends QueueSendReceiveTest {
  @RegisterExtension static final WireTestBroker WIRE = new WireTestBroker();

  QueueSendReceiveOverWireTest() {
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
   * Not run over the wire: a prefetched message that a closing consumer gives back is released
   * in-VM ({@code basicRelease}), but AMQP 0-9-1 has only {@code basic.reject} with requeue, after
   * which the broker marks it redelivered (README "Standalone JMS and JNDI").
   */
  @Override
  void messagesPrefetchedByAClosedConsumerComeBackNotMarkedRedelivered() {}
}
