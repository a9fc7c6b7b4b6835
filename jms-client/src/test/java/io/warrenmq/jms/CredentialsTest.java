package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.jms.internal.InVmBrokers;
import io.warrenmq.jms.internal.InVmTransport;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
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
  void aUserWhoMayNotDeclareTheJmsExchangesIsRefusedAndItsConnectionIsClosed() {
    broker.users().putUser("reader", "secret", List.of());
    broker.users().setPermissions(new PermissionInfo("reader", "/", "^$", ".*", ".*"));
    RecordingTransport recording = new RecordingTransport(InVmTransport.of(broker));
    WarrenConnectionFactory f = new WarrenConnectionFactory(recording, "/", 100);
    JMSException e = assertThrows(JMSException.class, () -> f.createConnection("reader", "secret"));
    assertTrue(e.getMessage().contains("jms.queue"), e.getMessage());
    // "close" alone is the connection's close; a channel's is prefixed with its number
    assertTrue(recording.calls().contains("close"), "connection closed: " + recording.calls());
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
