package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.internal.InVmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class CredentialsTest extends JmsTestSupport {

  @Test
  void theDefaultGuestUserLogsIn() throws Exception {
    try (Connection c = factory.createConnection("guest", "guest")) {
      c.createSession().createQueue("q");
    }
  }

  @Test
  void aWrongPasswordThrowsJmsSecurityExceptionWithTheBrokersReply() {
    JMSSecurityException e =
        assertThrows(JMSSecurityException.class, () -> factory.createConnection("guest", "nope"));
    assertEquals("403", e.getErrorCode());
    assertTrue(e.getMessage().contains("ACCESS_REFUSED"), e.getMessage());
    assertThrows(JMSSecurityException.class, () -> factory.createConnection("nobody", "x"));
    assertThrows(JMSSecurityRuntimeException.class, () -> factory.createContext("guest", "nope"));
  }

  @Test
  void aUserWithoutPermissionOnTheVirtualHostIsRefused() {
    broker.users().putUser("stranger", "secret", List.of());
    JMSSecurityException e =
        assertThrows(
            JMSSecurityException.class, () -> factory.createConnection("stranger", "secret"));
    assertEquals("530", e.getErrorCode());
  }

  @Test
  void urlCredentialsAreTheLoginOfCreateConnection() throws Exception {
    try {
      WarrenConnectionFactory good =
          WarrenConnectionFactory.forUrl("vm://credentials?user=guest&password=guest");
      good.createConnection().close();
      WarrenConnectionFactory bad =
          WarrenConnectionFactory.forUrl("vm://credentials?user=guest&password=wrong");
      assertThrows(JMSSecurityException.class, bad::createConnection);
    } finally {
      InVmBrokers.stop("credentials");
    }
  }
}
