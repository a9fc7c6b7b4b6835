package io.warrenmq.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.server.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code conf/warrenmq.conf} (src/dist/conf) tells the truth: as shipped it
 * changes nothing, the defaults it shows are the defaults, and it and README.md name every key.
 */
class DistributionConfigTest {
  private static final Path SHIPPED = Path.of("src/dist/conf/warrenmq.conf");
  private static final Path README = Path.of("../README.md");
  private static final Pattern COMMENTED_KEY = Pattern.compile("^# ([a-z_.0-9]+) = (.*)$");

  /** Every key the server reads, in the forms a file writes them. */
  private static final List<String> KEYS =
      List.of(
          "listeners.tcp.default",
          "listeners.ssl.default",
          "ssl_options.cacertfile",
          "ssl_options.certfile",
          "ssl_options.keyfile",
          "ssl_options.password",
          "ssl_options.verify",
          "ssl_options.fail_if_no_peer_cert",
          "ssl_options.depth",
          "ssl_options.versions.1",
          "ssl_options.ciphers.1",
          "ssl_options.honor_cipher_order",
          "ssl_options.honor_ecc_order",
          "default_user",
          "default_pass",
          "default_vhost",
          "default_user_tags.administrator",
          "default_permissions.configure",
          "default_permissions.write",
          "default_permissions.read",
          "loopback_users.guest",
          "load_definitions",
          "heartbeat",
          "frame_max",
          "channel_max",
          "max_message_size",
          "vm_memory_high_watermark.relative",
          "vm_memory_high_watermark.absolute",
          "disk_free_limit.absolute",
          "disk_free_limit.relative",
          "management.tcp.port",
          "management.tcp.ip",
          "warrenmq.data_dir",
          "warrenmq.store.jdbc_url",
          "warrenmq.store.jdbc_user",
          "warrenmq.store.jdbc_password",
          "warrenmq.store.durability",
          "warrenmq.queue_window",
          "warrenmq.ha.mode",
          "warrenmq.ha.node_name",
          "warrenmq.ha.lease_timeout",
          "warrenmq.ha.renew_interval",
          "warrenmq.ha.store_outage_timeout",
          "warrenmq.jmx",
          "warrenmq.queue_window");

  /** The keys whose commented line shows the default (the others show an example). */
  private static final Set<String> SHOWN_WITH_DEFAULT =
      Set.of(
          "listeners.tcp.default",
          "default_user",
          "default_pass",
          "default_vhost",
          "default_user_tags.administrator",
          "default_permissions.configure",
          "default_permissions.write",
          "default_permissions.read",
          "loopback_users.guest",
          "heartbeat",
          "frame_max",
          "channel_max",
          "max_message_size",
          "vm_memory_high_watermark.relative",
          "disk_free_limit.absolute",
          "warrenmq.data_dir",
          "warrenmq.store.durability",
          "warrenmq.queue_window",
          "warrenmq.ha.mode",
          "warrenmq.ha.lease_timeout",
          "warrenmq.ha.renew_interval",
          "warrenmq.ha.store_outage_timeout");

  /**
   * The {@code ssl_options} keys whose commented line shows the default: they change nothing once
   * uncommented beside a TLS listener, its certificate and its key.
   */
  private static final Set<String> TLS_SHOWN_WITH_DEFAULT =
      Set.of(
          "ssl_options.verify",
          "ssl_options.fail_if_no_peer_cert",
          "ssl_options.depth",
          "ssl_options.honor_cipher_order",
          "ssl_options.honor_ecc_order");

  @TempDir Path home;

  @Test
  void asShippedTheFileLeavesEveryKeyAtItsDefault() {
    ServerSettings shipped = SettingsReader.read(ConfFile.read(SHIPPED), home);
    assertEquals(List.of(), ConfFile.read(SHIPPED).entries());
    assertSameSettings(SettingsReader.read(null, home), shipped);
  }

  @Test
  void theDefaultsItShowsAreTheDefaults() throws Exception {
    List<String> uncommented = new ArrayList<>();
    for (String line : Files.readAllLines(SHIPPED)) {
      Matcher m = COMMENTED_KEY.matcher(line);
      if (m.matches() && SHOWN_WITH_DEFAULT.contains(m.group(1))) {
        uncommented.add(m.group(1) + " = " + m.group(2));
      }
    }
    assertEquals(SHOWN_WITH_DEFAULT.size(), uncommented.size(), uncommented::toString);
    ServerSettings explicit =
        SettingsReader.read(ConfFile.parse("uncommented", String.join("\n", uncommented)), home);
    assertSameSettings(SettingsReader.read(null, home), explicit);
  }

  @Test
  void theTlsDefaultsItShowsAreTheDefaults() throws Exception {
    List<String> listener =
        List.of(
            "listeners.ssl.default = 5671",
            "ssl_options.certfile = " + Files.writeString(home.resolve("cert.pem"), "x"),
            "ssl_options.keyfile = " + Files.writeString(home.resolve("key.pem"), "x"));
    List<String> uncommented = new ArrayList<>(listener);
    for (String line : Files.readAllLines(SHIPPED)) {
      Matcher m = COMMENTED_KEY.matcher(line);
      if (m.matches() && TLS_SHOWN_WITH_DEFAULT.contains(m.group(1))) {
        uncommented.add(m.group(1) + " = " + m.group(2));
      }
    }
    assertEquals(
        listener.size() + TLS_SHOWN_WITH_DEFAULT.size(), uncommented.size(), uncommented::toString);
    ServerSettings explicit =
        SettingsReader.read(ConfFile.parse("uncommented", String.join("\n", uncommented)), home);
    ServerSettings implicit =
        SettingsReader.read(ConfFile.parse("listener", String.join("\n", listener)), home);
    assertEquals(implicit.tls().orElseThrow(), explicit.tls().orElseThrow());
    assertEquals(TlsConfig.DEFAULT_DEPTH, explicit.tls().orElseThrow().depth());
  }

  @Test
  void theFileAndTheReadmeNameEveryKey() throws Exception {
    String shipped = Files.readString(SHIPPED);
    String readme = Files.readString(README);
    for (String key : KEYS) {
      assertTrue(shipped.contains("# " + key + " = "), () -> key + " in " + SHIPPED);
      String documented = key.replaceAll("\\.(1|administrator|guest|default)$", ".");
      assertTrue(readme.contains("`" + documented), () -> key + " in README.md");
    }
  }

  @Test
  void everyExampleInTheFileIsAKeyTheServerReads() throws Exception {
    for (String line : Files.readAllLines(SHIPPED)) {
      Matcher m = COMMENTED_KEY.matcher(line);
      if (m.matches()) {
        String key = m.group(1).replaceAll("\\.[0-9]+$", ".1");
        assertTrue(KEYS.contains(key), () -> key + " is not a key of the server");
      }
    }
  }

  private static void assertSameSettings(ServerSettings expected, ServerSettings actual) {
    assertEquals(expected.serverConfig(), actual.serverConfig());
    assertEquals(expected.defaultUser(), actual.defaultUser());
    assertEquals(expected.defaultUser().password(), actual.defaultUser().password());
    assertEquals(expected.memoryWatermark().relative(), actual.memoryWatermark().relative());
    assertEquals(expected.diskFreeLimit().bytes(0), actual.diskFreeLimit().bytes(0));
    assertEquals(expected.managementPort(), actual.managementPort());
    assertEquals(expected.managementIp(), actual.managementIp());
    assertEquals(expected.store(), actual.store());
    assertEquals(expected.definitions(), actual.definitions());
    assertEquals(expected.sslListener(), actual.sslListener());
  }
}
