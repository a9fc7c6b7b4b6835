package io.warrenmq.jms.wire;

import io.warrenmq.jms.WarrenConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;

/**
 * What a remote application does with nothing but the JMS API and a URL; loaded by {@link
 * RemoteClientClassPathTest} through a class loader that holds no broker engine.
 */
public final class RemoteClientMain {
  private RemoteClientMain() {}

  /** Sends a text to a new queue over {@code url} and returns what is received from it. */
  public static String roundTrip(String url, String text) throws Exception {
    try (JMSContext context = WarrenConnectionFactory.forUrl(url).createContext()) {
      Queue q = context.createQueue("remote-client-" + System.nanoTime());
      context.createProducer().send(q, text);
      return context.createConsumer(q).receiveBody(String.class, 10_000);
    }
  }
}
