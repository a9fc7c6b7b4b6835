package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ExceptionListenerTest extends JmsTestSupport {

  @Test
  void theExceptionListenerHearsOfABrokerShutdownWithItsReplyCode() throws Exception {
    Connection c = factory.createConnection();
    CompletableFuture<JMSException> heard = new CompletableFuture<>();
    c.setExceptionListener(heard::complete);
    broker.close();
    JMSException e = heard.get(10, TimeUnit.SECONDS);
    assertEquals("320", e.getErrorCode(), "CONNECTION_FORCED");
    assertTrue(e.getMessage().contains("CONNECTION_FORCED"), e.getMessage());
  }

  @Test
  void closingTheConnectionIsNotAnException() throws Exception {
    Connection c = factory.createConnection();
    CompletableFuture<JMSException> heard = new CompletableFuture<>();
    c.setExceptionListener(heard::complete);
    c.close();
    broker.close();
    assertTrue(
        heard.completeOnTimeout(null, 300, TimeUnit.MILLISECONDS).get() == null,
        "no exception for a connection the application closed");
  }
}
