package io.warrenmq.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PasswordsTest {

  @Test
  void aVmUrlKeepsEverythingButItsPasswords() {
    assertEquals(
        "vm://b?user=app&password=****&jdbcUrl=jdbc:postgresql://h/db&jdbcPassword=****&prefetch=5",
        Passwords.mask(
            "vm://b?user=app&password=s3cret&jdbcUrl=jdbc:postgresql://h/db&jdbcPassword=p%40ss"
                + "&prefetch=5"));
  }

  @Test
  void jdbcUrlPasswordsAreMaskedInEverySyntax() {
    assertEquals(
        "jdbc:postgresql://h:5432/db?user=u&password=****&ssl=true",
        Passwords.mask("jdbc:postgresql://h:5432/db?user=u&password=pw&ssl=true"));
    assertEquals(
        "jdbc:h2:file:/d/w;USER=sa;PASSWORD=****;WRITE_DELAY=0",
        Passwords.mask("jdbc:h2:file:/d/w;USER=sa;PASSWORD=pw;WRITE_DELAY=0"));
    assertEquals("jdbc:postgresql://u:****@h/db", Passwords.mask("jdbc:postgresql://u:pw@h/db"));
  }

  @Test
  void aPasswordInsideAnEncodedJdbcUrlOptionIsMasked() {
    assertEquals(
        "vm://b?jdbcUrl=jdbc%3Apostgresql%3A%2F%2Fh%2Fdb%3Fpassword%3D****%26ssl%3Dtrue",
        Passwords.mask(
            "vm://b?jdbcUrl=jdbc%3Apostgresql%3A%2F%2Fh%2Fdb%3Fpassword%3Dpw%26ssl%3Dtrue"));
  }

  @Test
  void settingsPrintedAsAMapAreMasked() {
    assertEquals(
        "{store=jdbc, jdbcPassword=****, jdbcUser=u}",
        Passwords.mask("{store=jdbc, jdbcPassword=pw, jdbcUser=u}"));
  }

  @Test
  void textWithoutPasswordsIsUnchanged() {
    assertEquals("vm://b?dataDir=/tmp/x", Passwords.mask("vm://b?dataDir=/tmp/x"));
    assertEquals("jdbc:postgresql://h:5432/db", Passwords.mask("jdbc:postgresql://h:5432/db"));
    assertNull(Passwords.mask(null));
  }
}
