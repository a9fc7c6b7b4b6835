package io.warrenmq.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syntax of RabbitMQ's {@code rabbitmq.conf} ("new style", Cuttlefish's sysctl format,
 * https://www.rabbitmq.com/docs/configure#config-file-formats): settings, comments, quoting, line
 * ends, and the errors for lines that are none of these.
 */
class ConfFileTest {
  @TempDir Path dir;

  private static List<ConfEntry> parse(String text) {
    return ConfFile.parse("test.conf", text).entries();
  }

  private static ConfigException error(String text) {
    return assertThrows(ConfigException.class, () -> ConfFile.parse("test.conf", text));
  }

  @Test
  void settingsKeepTheirLineNumbersAndCommentsAndBlankLinesAreSkipped() {
    List<ConfEntry> entries =
        parse("# a comment\n\n   \t\nheartbeat = 30\n   # indented comment\nframe_max=8192\n");
    assertEquals(
        List.of(
            new ConfEntry("heartbeat", List.of("heartbeat"), "30", 4),
            new ConfEntry("frame_max", List.of("frame_max"), "8192", 6)),
        entries);
  }

  @Test
  void aValueEndsAtAHashAndLosesItsSurroundingBlanks() {
    ConfEntry e = parse("  default_user   =   admin user  # the operators\n").get(0);
    assertEquals("default_user", e.key());
    assertEquals("admin user", e.value());
  }

  @Test
  void aQuotedValueKeepsHashesAndBlanksAndMayBeFollowedByAComment() {
    ConfEntry e = parse("default_pass = ' p#ss word ' # quoted\n").get(0);
    assertEquals(" p#ss word ", e.value());
  }

  @Test
  void keysSplitIntoPartsAtDotsAndAnEscapedDotStaysInItsPart() {
    ConfEntry e = parse("loopback_users.john\\.doe = true").get(0);
    assertEquals("loopback_users.john\\.doe", e.key());
    assertEquals(List.of("loopback_users", "john.doe"), e.parts());
  }

  @Test
  void crlfLineEndsAndAMissingFinalLineEndAreAccepted() {
    List<ConfEntry> entries = parse("heartbeat = 10\r\nchannel_max = 100");
    assertEquals("10", entries.get(0).value());
    assertEquals("100", entries.get(1).value());
    assertEquals(2, entries.get(1).line());
  }

  @Test
  void aLineWithoutEqualsSignIsRefusedWithFileAndLine() {
    ConfigException e = error("heartbeat = 10\nheartbeat 20\n");
    assertTrue(e.getMessage().startsWith("test.conf:2: heartbeat: expected '='"), e.getMessage());
  }

  @Test
  void aLineThatIsNoKeyIsRefused() {
    ConfigException e = error("\n= 5\n");
    assertTrue(e.getMessage().startsWith("test.conf:2: expected 'key = value'"), e.getMessage());
    assertNull(e.key());
    assertTrue(error("heartbeat. = 5").getMessage().startsWith("test.conf:1: expected 'key"));
    assertTrue(error("heart*beat = 5").getMessage().contains("heart: expected '='"));
  }

  @Test
  void aKeyWithoutValueIsRefused() {
    assertEquals(
        "test.conf:1: default_user: no value after '='", error("default_user =").getMessage());
    assertEquals(
        "test.conf:1: default_user: no value after '='", error("default_user = # x").getMessage());
  }

  @Test
  void anUnclosedQuoteOrTextAfterTheClosingQuoteIsRefused() {
    assertTrue(error("default_pass = 'abc").getMessage().contains("has no closing quote"));
    assertTrue(error("default_pass = 'abc' def").getMessage().contains("text after the closing"));
  }

  @Test
  void includeLinesAreRefused() {
    ConfigException e = error("include conf.d/*.conf\n");
    assertTrue(e.getMessage().contains("'include' is not supported"), e.getMessage());
  }

  @Test
  void aFileIsReadAsUtf8AndNamedInItsMessages() throws Exception {
    Path file = dir.resolve("warrenmq.conf");
    Files.writeString(file, "default_user = zoë\nheartbeat 5\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfFile.read(file));
    assertTrue(e.getMessage().startsWith(file + ":2: heartbeat:"), e.getMessage());
    Files.writeString(file, "default_user = zoë\n");
    assertEquals("zoë", ConfFile.read(file).entries().get(0).value());
  }

  @Test
  void aMissingOrNonUtf8FileIsRefused() throws Exception {
    Path missing = dir.resolve("nope.conf");
    assertEquals(
        missing + ": configuration file not found",
        assertThrows(ConfigException.class, () -> ConfFile.read(missing)).getMessage());
    Path latin1 = dir.resolve("latin1.conf");
    Files.write(latin1, new byte[] {'a', ' ', '=', ' ', (byte) 0xE9, '\n'});
    assertEquals(
        latin1 + ": configuration file is not UTF-8 text",
        assertThrows(ConfigException.class, () -> ConfFile.read(latin1)).getMessage());
  }
}
