package io.warrenmq.jms;

import jakarta.jms.JMSException;

/**
 * {@link TopicSubscriptionOverWireTest} through the reconnecting transport ({@code
 * reconnectAttempts}): its channels keep the plain wire semantics while no connection is lost.
 */
class TopicSubscriptionOverFailoverTest extends TopicSubscriptionOverWireTest {
  TopicSubscriptionOverFailoverTest() {
    try {
      factory = WIRE.factory("reconnectAttempts=2");
    } catch (JMSException e) {
      throw new IllegalStateException(e);
    }
  }
}
