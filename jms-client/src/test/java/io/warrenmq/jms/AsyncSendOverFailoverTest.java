package io.warrenmq.jms;

import jakarta.jms.JMSException;

/**
 * {@link AsyncSendOverWireTest} through the reconnecting transport ({@code reconnectAttempts}): its
 * channels keep the plain wire semantics while no connection is lost.
 */
class AsyncSendOverFailoverTest extends AsyncSendOverWireTest {
  AsyncSendOverFailoverTest() {
    try {
      factory = WIRE.factory("reconnectAttempts=2");
    } catch (JMSException e) {
      throw new IllegalStateException(e);
    }
  }
}
