package io.warrenmq.jms;

import jakarta.jms.JMSException;

/**
 * {@link XaSessionOverWireTest} through the reconnecting transport ({@code reconnectAttempts}): its
 * channels keep the plain wire semantics while no connection is lost.
 */
class XaSessionOverFailoverTest extends XaSessionOverWireTest {
  XaSessionOverFailoverTest() {
    try {
      factory = WIRE.factory("reconnectAttempts=2");
    } catch (JMSException e) {
      throw new IllegalStateException(e);
    }
  }
}
