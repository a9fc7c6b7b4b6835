package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.newBroker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Texts and codes checked against RabbitMQ 3.10.8 with amqp-client 5.25.0. */
class AuthenticationTest {
  private static final String LOGIN_REFUSED =
      "Login was refused using authentication mechanism PLAIN. For details see the broker"
          + " logfile.";

  private final Broker broker = newBroker();

  @AfterEach
  void close() {
    broker.close();
  }

  @Test
  void guestLogsInToTheDefaultVirtualHostWithPasswordGuest() {
    try (Connection c = broker.newConnection("/", "guest", "guest")) {
      c.createChannel().queueDeclare(QueueSpec.durable("q"));
    }
    assertTrue(broker.virtualHost("/").queueExists("q"));
  }

  @Test
  void aWrongPasswordIsRefusedWith403AccessRefused() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.ACCESS_REFUSED, () -> broker.newConnection("/", "guest", "wrong"));
    assertEquals(LOGIN_REFUSED, e.replyText());
    assertEquals("ACCESS_REFUSED - " + LOGIN_REFUSED, e.getMessage());
  }

  @Test
  void anUnknownUserGetsTheSameRefusalAsAWrongPassword() {
    AmqpException e =
        assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> broker.newConnection("/", "nobody", "x"));
    assertEquals(LOGIN_REFUSED, e.replyText());
    assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> broker.newConnection("/", null, null));
  }

  @Test
  void aUserWithoutPermissionsOnTheVirtualHostIsRefusedWith530NotAllowed() {
    broker.virtualHost("/x");
    broker.users().putUser("u", "pw", List.of());
    AmqpException e =
        assertAmqpError(ReplyCode.NOT_ALLOWED, () -> broker.newConnection("/x", "u", "pw"));
    assertEquals("access to vhost '/x' refused for user 'u'", e.replyText());
    assertTrue(e.isHardError());

    broker.users().setPermissions(new PermissionInfo("u", "/x", "", "", ""));
    try (Connection c = broker.newConnection("/x", "u", "pw")) {
      assertTrue(c.isOpen(), "any permission entry grants access to the vhost, as in RabbitMQ");
    }
  }

  @Test
  void credentialsAreCheckedBeforeTheVirtualHost() {
    assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> broker.newConnection("/nope", "guest", "x"));
    AmqpException e =
        assertAmqpError(
            ReplyCode.NOT_ALLOWED, () -> broker.newConnection("/nope", "guest", "guest"));
    assertEquals("vhost '/nope' not found", e.replyText());
  }

  @Test
  void aChangedPasswordTakesEffectForTheNextConnection() {
    broker.users().changePassword("guest", "new");
    assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> broker.newConnection("/", "guest", "guest"));
    broker.newConnection("/", "guest", "new").close();
  }

  @Test
  void aDeletedUserCanNoLongerLogIn() {
    broker.users().deleteUser("guest");
    assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> broker.newConnection("/", "guest", "guest"));
  }

  @Test
  void theTrustedInVmPathNeedsNoCredentials() {
    broker.users().deleteUser("guest");
    try (Connection c = broker.newConnection("/", "app")) {
      assertTrue(c.isOpen());
    }
  }

  @Test
  void aClosedBrokerRefusesLoginsWith320() {
    broker.close();
    assertAmqpError(ReplyCode.CONNECTION_FORCED, () -> broker.newConnection("/", "guest", "guest"));
  }
}
