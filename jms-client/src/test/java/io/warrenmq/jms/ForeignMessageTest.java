package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ForeignMessageTest extends JmsTestSupport {

  /**
   * A TextMessage of "another provider": a dynamic proxy that stores headers and properties in a
   * map, so that nothing of this provider's message classes is involved.
   */
  private static TextMessage foreignText(String text, Map<String, Object> headers) {
    Map<String, Object> properties = new HashMap<>(Map.of("origin", "elsewhere"));
    return (TextMessage)
        Proxy.newProxyInstance(
            ForeignMessageTest.class.getClassLoader(),
            new Class<?>[] {TextMessage.class},
            (proxy, method, args) -> {
              String name = method.getName();
              if (name.equals("getText")) {
                return text;
              }
              if (name.equals("getPropertyNames")) {
                return Collections.enumeration(properties.keySet());
              }
              if (name.equals("getObjectProperty")) {
                return properties.get((String) args[0]);
              }
              if (name.startsWith("setJMS")) {
                headers.put(name.substring(3), args[0]);
                return null;
              }
              if (name.startsWith("getJMS")) {
                return headers.get(name.substring(3));
              }
              throw new UnsupportedOperationException(name);
            });
  }

  @Test
  void aForeignTextMessageIsSentWithItsBodyAndPropertiesAndGetsTheSendHeaders()
      throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("foreign");
      Map<String, Object> headers = new HashMap<>();
      headers.put("JMSCorrelationID", "corr-9");
      TextMessage foreign = foreignText("from elsewhere", headers);
      s.createProducer(q).send(foreign);

      TextMessage got = (TextMessage) s.createConsumer(q).receive(5_000);
      assertEquals("from elsewhere", got.getText());
      assertEquals("elsewhere", got.getStringProperty("origin"));
      assertEquals("corr-9", got.getJMSCorrelationID());
      assertNotNull(
          headers.get("JMSMessageID"), "send must set JMSMessageID on the foreign message");
      assertEquals(got.getJMSMessageID(), headers.get("JMSMessageID"));
      assertEquals(q, headers.get("JMSDestination"));
    }
  }
}
