package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSException;
import java.util.Hashtable;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.InitialContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Errors about a {@code vm://} URL never print its passwords ({@code password}, {@code
 * jdbcPassword}).
 */
@Timeout(30)
class ConnectionUrlPasswordTest {

  private static final String SECRET = "s3cret-pw";

  private static void assertNoSecret(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("io.warrenmq")
          || t.getClass().getName().startsWith("jakarta")
          || t.getClass().getName().startsWith("javax.naming")
          || t == e) {
        assertFalse(String.valueOf(t.getMessage()).contains(SECRET), t.getMessage());
      }
    }
  }

  @Test
  void aUrlWithAnUnknownOptionIsShownWithItsPasswordsMasked() {
    JMSException e =
        assertThrows(
            JMSException.class,
            () ->
                WarrenConnectionFactory.forUrl(
                    "vm://m?user=u&password=" + SECRET + "&jdbcPassword=" + SECRET + "&bogus=1"));
    assertTrue(e.getMessage().contains("password=****&jdbcPassword=****"), e.getMessage());
    assertNoSecret(e);
  }

  @Test
  void aJndiEntryWithABadUrlIsReportedWithoutThePassword() {
    Hashtable<String, String> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, WarrenInitialContextFactory.class.getName());
    env.put("connectionFactory.cf", "vm://m?jdbcPassword=" + SECRET + "&prefetch=0");
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> new InitialContext(env));
    assertTrue(e.getMessage().contains("jdbcPassword=****"), e.getMessage());
    assertNoSecret(e);
  }

  @Test
  void aStoreThatCannotBeOpenedIsReportedWithoutTheJdbcPasswords() throws Exception {
    WarrenConnectionFactory f =
        WarrenConnectionFactory.forUrl(
            "vm://mask-unreachable?jdbcUrl=jdbc:postgresql://u:"
                + SECRET
                + "@127.0.0.1:1/db&jdbcUser=u&jdbcPassword="
                + SECRET);
    JMSException e = assertThrows(JMSException.class, f::createConnection);
    assertTrue(e.getMessage().contains("u:****@127.0.0.1:1/db"), e.getMessage());
    assertNoSecret(e);
  }
}
