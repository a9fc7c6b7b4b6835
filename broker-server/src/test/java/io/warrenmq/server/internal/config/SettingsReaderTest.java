package io.warrenmq.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.TlsConfig;
import io.warrenmq.store.jdbc.HaLeaseConfig;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every key of the server's configuration file: its default (RabbitMQ's where RabbitMQ has the key,
 * https://www.rabbitmq.com/docs/configure), the values it takes, and the error for a value it does
 * not take, which names the file, the line and the key. Organised as README.md's "Server
 * configuration" table.
 */
class SettingsReaderTest {
  @TempDir static Path dir;

  static ServerSettings read(String... lines) {
    return SettingsReader.read(ConfFile.parse("test.conf", String.join("\n", lines)), dir);
  }

  static ConfigException error(String... lines) {
    return assertThrows(ConfigException.class, () -> read(lines));
  }

  /** Asserts the error names line, key and what was expected. */
  static void assertError(ConfigException e, int line, String key, String fragment) {
    String prefix = "test.conf:" + line + ": " + key + ": ";
    assertTrue(e.getMessage().startsWith(prefix), () -> e.getMessage() + " starts with " + prefix);
    assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " contains " + fragment);
    assertEquals(key, e.key());
  }

  @Nested
  class Defaults {
    @Test
    void withoutAFileEveryKeyHasRabbitMqsDefault() {
      ServerSettings s = SettingsReader.read(null, dir);
      assertNull(s.source());
      assertEquals(new Listener("listeners.tcp.default", "0.0.0.0", 5672), s.tcpListener().get());
      assertTrue(s.sslListener().isEmpty());
      ServerConfig c = s.serverConfig();
      assertEquals(
          new ServerConfig("0.0.0.0", 5672, 2047, 131072, 60, 134_217_728L, Set.of("guest")), c);
      assertEquals(DefaultUser.RABBITMQ, s.defaultUser());
      assertEquals("guest", s.defaultUser().password());
      assertEquals(0.4, s.memoryWatermark().relative());
      assertEquals(50_000_000L, s.diskFreeLimit().absoluteBytes());
      assertTrue(s.managementPort().isEmpty(), "the management API is off by default");
      assertEquals("0.0.0.0", s.managementIp());
      assertTrue(s.definitions().isEmpty());
      assertEquals(JdbcStoreConfig.h2(dir.resolve("data")), s.store());
      assertEquals("default", s.where("heartbeat"));
    }

    @Test
    void withoutADistributionDirectoryTheDataDirectoryIsUnderTheWorkingDirectory() {
      assertEquals(Path.of("warrenmq-data"), SettingsReader.read(null, null).store().dataDir());
    }

    @Test
    void aFileOfCommentsOnlyGivesTheDefaults() {
      ServerSettings s = read("# nothing here", "", "   # still nothing");
      assertEquals("test.conf", s.source());
      assertEquals(SettingsReader.read(null, dir).serverConfig(), s.serverConfig());
    }
  }

  @Nested
  class Listeners {
    @Test
    void aPortAloneListensOnEveryIpv4Interface() {
      assertEquals(
          "0.0.0.0:5673", read("listeners.tcp.default = 5673").tcpListener().get().toString());
    }

    @Test
    void hostAndPortAreTakenAsRabbitMqWritesThem() {
      assertEquals(
          new Listener("listeners.tcp.default", "127.0.0.1", 0),
          read("listeners.tcp.default = 127.0.0.1:0").tcpListener().get());
      assertEquals("::1", read("listeners.tcp.default = ::1:5672").tcpListener().get().host());
      assertEquals("::1", read("listeners.tcp.default = [::1]:5672").tcpListener().get().host());
      Listener named = read("listeners.tcp.local = localhost:5700").tcpListener().get();
      assertEquals("listeners.tcp.local", named.key());
      assertEquals(5700, read("listeners.tcp.local = localhost:5700").serverConfig().port());
    }

    @ParameterizedTest
    @CsvSource({"65536", "-1", "amqp", "127.0.0.1:", ":5672", "127.0.0.1:x", "bad host:5672"})
    void aValueThatIsNoPortOrAddressIsRefused(String value) {
      assertError(
          error("# listeners", "listeners.tcp.default = " + value),
          2,
          "listeners.tcp.default",
          "expected a port (every IPv4 interface) or host:port");
    }

    @Test
    void aSecondTcpListenerIsRefusedNamingTheFirst() {
      assertError(
          error("listeners.tcp.default = 5672", "listeners.tcp.other = 5673"),
          2,
          "listeners.tcp.other",
          "only one tcp listener is supported, and listeners.tcp.default (line 1) is one");
    }

    @Test
    void listenersTcpNoneLeavesNoTcpListenerAndRefusesAnyOtherValue() throws Exception {
      ServerSettings tlsOnly =
          read("listeners.tcp = none", "listeners.ssl.default = 5671", cert(), key());
      assertTrue(tlsOnly.tcpListener().isEmpty());
      assertFalse(tlsOnly.serverConfig().hasTcpListener());
      assertEquals(5671, tlsOnly.serverConfig().tlsListener().port());
      assertError(error("listeners.tcp = off"), 1, "listeners.tcp", "expected 'none'");
      assertError(
          error("listeners.tcp = none", "listeners.tcp.default = 5672"),
          1,
          "listeners.tcp",
          "is none, but listeners.tcp.default sets a listener");
    }

    @Test
    void listenersTcpNoneWithoutATlsListenerIsRefusedAsNoListenerAtAll() {
      assertError(
          error("heartbeat = 30", "listeners.tcp = none"),
          2,
          "listeners.tcp",
          "is none and no listeners.ssl.<name> is set, which leaves the server without a"
              + " listener; set listeners.tcp.default or listeners.ssl.default");
    }

    @Test
    void anUnknownListenerKindIsAnUnknownKey() {
      assertError(error("listeners.amqp.default = 5672"), 1, "listeners.amqp.default", "unknown");
    }

    @Test
    void managementPortIsReadAndChecked() {
      assertEquals(15673, read("management.tcp.port = 15673").managementPort().getAsInt());
      assertEquals(0, read("management.tcp.port = 0").managementPort().getAsInt());
      assertError(
          error("management.tcp.port = 65536"), 1, "management.tcp.port", "from 0 to 65535");
      assertEquals("127.0.0.1", read("management.tcp.ip = 127.0.0.1").managementIp());
      assertEquals("::1", read("management.tcp.ip = ::1").managementIp());
      assertError(
          error("management.tcp.ip = localhost"), 1, "management.tcp.ip", "not an IP address");
      assertError(error("management.tcp.other = 1"), 1, "management.tcp.other", "unknown key");
    }
  }

  /** {@code ssl_options.certfile = <a file>}: the reader checks only that it can be read. */
  static String cert() throws Exception {
    return "ssl_options.certfile = " + pem("cert.pem", "CERTIFICATE");
  }

  /** {@code ssl_options.keyfile = <a file>}. */
  static String key() throws Exception {
    return "ssl_options.keyfile = " + pem("key.pem", "PRIVATE KEY");
  }

  static Path pem(String name, String type) throws Exception {
    return Files.writeString(dir.resolve(name), "-----BEGIN " + type + "-----\n");
  }

  @Nested
  class Tls {
    @Test
    void anSslListenerWithItsOptionsBecomesTheServersTlsListener() throws Exception {
      Path cert = pem("cert.pem", "CERTIFICATE");
      Path key = pem("key.pem", "PRIVATE KEY");
      Path ca = pem("ca.pem", "CERTIFICATE");
      ServerSettings s =
          read(
              "listeners.ssl.default = 5671",
              "ssl_options.certfile = " + cert,
              "ssl_options.keyfile = " + key,
              "ssl_options.cacertfile = " + ca,
              "ssl_options.password = s3cret",
              "ssl_options.verify = verify_peer",
              "ssl_options.fail_if_no_peer_cert = true",
              "ssl_options.depth = 2",
              "ssl_options.versions.1 = tlsv1.3",
              "ssl_options.versions.2 = tlsv1.2",
              "ssl_options.ciphers.1 = TLS_AES_256_GCM_SHA384",
              "ssl_options.honor_cipher_order = true",
              "ssl_options.honor_ecc_order = true");
      TlsConfig expected =
          TlsConfig.builder()
              .certFile(cert)
              .keyFile(key)
              .caCertFile(ca)
              .password("s3cret")
              .verifyPeer(true)
              .failIfNoPeerCert(true)
              .depth(2)
              .version("tlsv1.3")
              .version("tlsv1.2")
              .cipher("TLS_AES_256_GCM_SHA384")
              .honorCipherOrder(true)
              .build();
      assertEquals(expected, s.tls().get());
      assertEquals(List.of("TLSv1.3", "TLSv1.2"), s.tls().get().versions());
      assertEquals(new Listener("listeners.ssl.default", "0.0.0.0", 5671), s.sslListener().get());
      ServerConfig c = s.serverConfig();
      assertEquals(new ServerConfig.TlsListener("0.0.0.0", 5671, expected), c.tlsListener());
      assertEquals(5672, c.port(), "the TCP listener stays at its default");
      assertFalse(s.tls().get().toString().contains("s3cret"));
    }

    @Test
    void theDefaultsAreRabbitMqsAndDepthIsErlangs() throws Exception {
      TlsConfig t = read("listeners.ssl.default = 5671", cert(), key()).tls().get();
      assertFalse(t.verifyPeer());
      assertFalse(t.failIfNoPeerCert());
      assertEquals(10, t.depth());
      assertEquals(TlsConfig.DEFAULT_DEPTH, t.depth());
      assertEquals(List.of(), t.versions());
      assertEquals(List.of(), t.ciphers());
      assertFalse(t.honorCipherOrder());
    }

    @Test
    void theSslListenerTakesAPortOrHostAndPortAsTheTcpOne() throws Exception {
      assertEquals(
          new Listener("listeners.ssl.default", "127.0.0.1", 0),
          read("listeners.ssl.default = 127.0.0.1:0", cert(), key()).sslListener().get());
      assertEquals(
          "::1",
          read("listeners.ssl.default = [::1]:5671", cert(), key()).sslListener().get().host());
      assertError(
          error("listeners.ssl.default = amqps"),
          1,
          "listeners.ssl.default",
          "expected a port (every IPv4 interface) or host:port, e.g. 5671 or 127.0.0.1:5671");
    }

    @Test
    void aSecondSslListenerAndNoneWithAListenerAreRefused() {
      assertError(
          error("listeners.ssl.default = 5671", "listeners.ssl.other = 5673"),
          2,
          "listeners.ssl.other",
          "only one ssl listener is supported, and listeners.ssl.default (line 1) is one");
      assertError(
          error("listeners.ssl = none", "listeners.ssl.default = 5671"),
          1,
          "listeners.ssl",
          "is none, but listeners.ssl.default sets a listener");
    }

    @Test
    void withoutAnSslListenerTheOptionsAreCheckedButMakeNoTlsListener() throws Exception {
      ServerSettings s = read(cert(), "ssl_options.verify = verify_peer");
      assertTrue(s.tls().isEmpty());
      assertNull(s.serverConfig().tlsListener());
      assertTrue(read("listeners.ssl = none").sslListener().isEmpty());
    }

    @Test
    void anSslListenerWithoutCertificateOrKeyIsRefusedOnItsLine() throws Exception {
      assertError(
          error("heartbeat = 30", "listeners.ssl.default = 5671", key()),
          2,
          "listeners.ssl.default",
          "ssl_options.certfile: not set; a TLS listener needs the server's certificate (PEM)");
      assertError(
          error("listeners.ssl.default = 5671", cert()),
          1,
          "listeners.ssl.default",
          "ssl_options.keyfile: not set");
    }

    @Test
    void optionsThatDoNotFitTogetherAreRefusedOnTheLineOfTheKeyAtFault() throws Exception {
      assertError(
          error(
              "listeners.ssl.default = 5671",
              cert(),
              key(),
              "ssl_options.fail_if_no_peer_cert = true"),
          4,
          "ssl_options.fail_if_no_peer_cert",
          "true needs ssl_options.verify = verify_peer");
      assertError(
          error("listeners.ssl.default = 5671", cert(), key(), "ssl_options.verify = verify_peer"),
          4,
          "ssl_options.verify",
          "verify_peer needs ssl_options.cacertfile");
    }

    @Test
    void eachValueIsCheckedOnItsLineWithOrWithoutAListener() {
      assertError(
          error("ssl_options.certfile = " + dir.resolve("missing.pem")),
          1,
          "ssl_options.certfile",
          "a readable file (PEM); it does not exist");
      assertError(error("ssl_options.verify = yes"), 1, "ssl_options.verify", "verify_peer or");
      assertError(
          error("ssl_options.versions.1 = tlsv1.3", "ssl_options.versions.2 = tlsv1"),
          2,
          "ssl_options.versions.2",
          "expected tlsv1.2 or tlsv1.3 (Java 17 disables TLS 1.0 and 1.1), was 'tlsv1'");
      assertError(error("ssl_options.depth = -1"), 1, "ssl_options.depth", "from 0 to 255");
      assertError(error("ssl_options.depth = 256"), 1, "ssl_options.depth", "from 0 to 255");
      assertError(error("ssl_options.ciphers.1 = ''"), 1, "ssl_options.ciphers.1", "cipher suite");
      assertError(
          error("ssl_options.fail_if_no_peer_cert = yes"),
          1,
          "ssl_options.fail_if_no_peer_cert",
          "true or false");
      assertError(error("ssl_options.colour = blue"), 1, "ssl_options.colour", "unknown key");
      assertError(error("ssl_options.versions = tlsv1.3"), 1, "ssl_options.versions", "unknown");
    }

    @Test
    void errorsOfTheListenersStartPointAtTheLineOfTheirKey() throws Exception {
      ServerSettings s =
          read(
              "listeners.ssl.default = 127.0.0.1:5671",
              cert(),
              key(),
              "ssl_options.ciphers.1 = TLS_AES_256_GCM_SHA384",
              "ssl_options.ciphers.2 = NO-SUCH-CIPHER");
      ConfigException keyfile =
          s.tlsError(new IllegalArgumentException("ssl_options.keyfile: /k.pem holds no key"));
      assertEquals("test.conf:3: ssl_options.keyfile: /k.pem holds no key", keyfile.getMessage());
      assertEquals("ssl_options.keyfile", keyfile.key());
      ConfigException cipher =
          s.tlsError(
              new IllegalArgumentException(
                  "ssl_options.ciphers: 'NO-SUCH-CIPHER' is not a cipher suite this JDK supports"));
      assertEquals(
          "test.conf:5: ssl_options.ciphers.2: 'NO-SUCH-CIPHER' is not a cipher suite this JDK"
              + " supports",
          cipher.getMessage());
      ConfigException notInFile =
          s.tlsError(new IllegalArgumentException("ssl_options.password: does not decrypt"));
      assertEquals(
          "test.conf:1: listeners.ssl.default: ssl_options.password: does not decrypt",
          notInFile.getMessage());
      ConfigException listener =
          s.tlsError(
              new IllegalArgumentException(
                  "the TLS listener and the TCP listener are both on 127.0.0.1:5671"));
      assertEquals(
          "test.conf:1: listeners.ssl.default: the TLS listener and the TCP listener are both on"
              + " 127.0.0.1:5671",
          listener.getMessage());
    }
  }

  @Nested
  class Users {
    @Test
    void theDefaultUserTakesItsNamePasswordVhostTagsAndPermissions() {
      DefaultUser d =
          read(
                  "default_user = admin",
                  "default_pass = 'pa ss#word'",
                  "default_vhost = prod",
                  "default_user_tags.administrator = false",
                  "default_user_tags.monitoring = true",
                  "default_permissions.configure = ^app\\..*",
                  "default_permissions.write = .*",
                  "default_permissions.read = ^$")
              .defaultUser();
      assertEquals(
          new DefaultUser(
              "admin", "pa ss#word", "prod", List.of("monitoring"), "^app\\..*", ".*", "^$"),
          d);
      assertFalse(d.toString().contains("pa ss#word"), d.toString());
    }

    @Test
    void anEmptyUserPasswordOrVhostIsRefusedAndThePasswordIsNeverShown() {
      assertError(error("default_user = ''"), 1, "default_user", "expected a user name");
      ConfigException e = error("default_pass = ''");
      assertEquals("test.conf:1: default_pass: expected a password, was empty", e.getMessage());
      assertError(error("default_vhost = ''"), 1, "default_vhost", "a virtual host name");
    }

    @Test
    void aTagTakesTrueOrFalse() {
      assertError(
          error("default_user_tags.management = yes"),
          1,
          "default_user_tags.management",
          "expected true or false, was 'yes'");
    }

    @Test
    void aDefaultPermissionMustBeARegularExpression() {
      assertError(
          error("default_permissions.read = [a-"),
          1,
          "default_permissions.read",
          "expected a regular expression");
      assertError(
          error("default_permissions.admin = .*"), 1, "default_permissions.admin", "unknown key");
    }

    @Test
    void loopbackUsersAreGuestByDefaultAndChangeUserByUserOrAllAtOnce() {
      assertEquals(Set.of(), read("loopback_users.guest = false").serverConfig().loopbackUsers());
      assertEquals(Set.of(), read("loopback_users = none").serverConfig().loopbackUsers());
      assertEquals(
          Set.of("ops"),
          read("loopback_users.ops = true", "loopback_users = none")
              .serverConfig()
              .loopbackUsers());
      assertEquals(
          Set.of("guest", "ops"), read("loopback_users.ops = true").serverConfig().loopbackUsers());
      assertError(error("loopback_users = guest"), 1, "loopback_users", "expected 'none'");
      assertError(error("loopback_users.guest = 1"), 1, "loopback_users.guest", "true or false");
    }

    @Test
    void loadDefinitionsNamesAnExistingFileOrDirectory() throws Exception {
      Path file = Files.writeString(dir.resolve("defs.json"), "{}");
      assertEquals(file, read("load_definitions = " + file).definitions().get());
      assertEquals(dir, read("load_definitions = " + dir).definitions().get());
      assertError(
          error("load_definitions = " + dir.resolve("none.json")),
          1,
          "load_definitions",
          "it does not exist");
    }
  }

  @Nested
  class ConnectionLimits {
    @Test
    void theLimitsReachTheListenersConfiguration() {
      ServerConfig c =
          read("heartbeat = 0", "frame_max = 4096", "channel_max = 1", "max_message_size = 1024")
              .serverConfig();
      assertEquals(0, c.heartbeatSeconds());
      assertEquals(4096, c.frameMax());
      assertEquals(1, c.channelMax());
      assertEquals(1024, c.maxMessageSize());
    }

    @Test
    void channelMaxZeroMeansTheMost() {
      assertEquals(65535, read("channel_max = 0").serverConfig().channelMax());
    }

    @ParameterizedTest
    @CsvSource({
      "heartbeat, 65536, an integer from 0 to 65535 (seconds",
      "heartbeat, often, an integer from 0 to 65535",
      "heartbeat, 1.5, an integer from 0 to 65535",
      "frame_max, 4095, an integer from 4096 to 1048576 (bytes)",
      "frame_max, 0, an integer from 4096 to 1048576",
      "channel_max, 65536, an integer from 0 to 65535",
      "max_message_size, 536870913, an integer from 1 to 536870912 (bytes)",
      "max_message_size, 1MB, an integer from 1 to 536870912"
    })
    void aValueOutOfRangeIsRefusedNamingTheRange(String key, String value, String expected) {
      ConfigException e = error("# limits", key + " = " + value);
      assertError(e, 2, key, "expected " + expected);
      assertTrue(e.getMessage().endsWith(", was '" + value + "'"), e.getMessage());
    }
  }

  @Nested
  class ResourceLimits {
    @Test
    void theMemoryWatermarkIsAFractionOfTheMaxHeapOrAnAbsoluteSize() {
      ResourceLimit relative = read("vm_memory_high_watermark.relative = 0.25").memoryWatermark();
      assertEquals(250, relative.bytes(1000));
      ResourceLimit absolute = read("vm_memory_high_watermark.absolute = 512MiB").memoryWatermark();
      assertEquals(512L << 20, absolute.bytes(1000));
      assertEquals("vm_memory_high_watermark.absolute", absolute.key());
    }

    @ParameterizedTest
    @CsvSource({"0", "1.5", "-0.1", "40%", "abc"})
    void aRelativeWatermarkOutsideZeroToOneIsRefused(String value) {
      assertError(
          error("vm_memory_high_watermark.relative = " + value),
          1,
          "vm_memory_high_watermark.relative",
          "a fraction of the JVM's max heap above 0 and at most 1");
    }

    @Test
    void relativeAndAbsoluteTogetherAreRefused() {
      assertError(
          error(
              "vm_memory_high_watermark.relative = 0.5", "vm_memory_high_watermark.absolute = 2GB"),
          2,
          "vm_memory_high_watermark.absolute",
          "set either vm_memory_high_watermark.relative (line 1) or"
              + " vm_memory_high_watermark.absolute, not both");
      assertError(
          error("disk_free_limit.absolute = 1GB", "disk_free_limit.relative = 1.0"),
          2,
          "disk_free_limit.relative",
          "not both");
    }

    @Test
    void theDiskFreeLimitIsReadInEitherForm() {
      assertEquals(2_000_000_000L, read("disk_free_limit.absolute = 2GB").diskFreeLimit().bytes(0));
      assertEquals(1.5, read("disk_free_limit.relative = 1.5").diskFreeLimit().relative());
      assertError(
          error("disk_free_limit.absolute = 50 MB"),
          1,
          "disk_free_limit.absolute",
          "expected a number of bytes or a whole number with a unit");
      assertError(error("disk_free_limit.relative = 0"), 1, "disk_free_limit.relative", "above 0");
    }

    @ParameterizedTest
    @CsvSource({
      "1024, 1024",
      "1k, 1024",
      "1kiB, 1024",
      "3M, 3145728",
      "3MiB, 3145728",
      "2G, 2147483648",
      "2GiB, 2147483648",
      "1kB, 1000",
      "3MB, 3000000",
      "2GB, 2000000000"
    })
    void byteSizesTakeRabbitMqsInformationUnits(String text, long bytes) {
      assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"2gb", "1.5GB", "GB", "99999999999999GB", "1TB"})
    void otherByteSizesAreRefused(String text) {
      assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
    }
  }

  @Nested
  class Store {
    @Test
    void theDataDirectoryAndDurabilityMakeTheH2Store() {
      JdbcStoreConfig s =
          read("warrenmq.data_dir = /var/lib/warrenmq", "warrenmq.store.durability = process_crash")
              .store();
      assertEquals(
          JdbcStoreConfig.h2(Path.of("/var/lib/warrenmq"))
              .withDurability(JdbcStoreConfig.Durability.PROCESS_CRASH),
          s);
    }

    @Test
    void aJdbcUrlWithItsUserAndPasswordMakesTheStore() {
      JdbcStoreConfig s =
          read(
                  "warrenmq.store.jdbc_url = jdbc:postgresql://db:5432/warrenmq",
                  "warrenmq.store.jdbc_user = warren",
                  "warrenmq.store.jdbc_password = s3cret")
              .store();
      assertEquals(
          JdbcStoreConfig.jdbc("jdbc:postgresql://db:5432/warrenmq", "warren", "s3cret"), s);
    }

    @Test
    void aJdbcUrlOfAnotherDatabaseIsRefusedWithItsPasswordMasked() {
      ConfigException e = error("warrenmq.store.jdbc_url = jdbc:mysql://u:s3cret@db/warrenmq");
      assertError(e, 1, "warrenmq.store.jdbc_url", "starting with jdbc:postgresql:");
      assertTrue(e.getMessage().contains("jdbc:mysql://u:****@db/warrenmq"), e.getMessage());
      assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void aDataDirectoryAndAJdbcUrlTogetherAreRefused() {
      assertError(
          error("warrenmq.store.jdbc_url = jdbc:postgresql://db/w", "warrenmq.data_dir = /tmp/x"),
          2,
          "warrenmq.data_dir",
          "set either warrenmq.data_dir (the embedded H2 database) or warrenmq.store.jdbc_url"
              + " (line 1), not both");
    }

    @Test
    void aDatabaseUserWithoutJdbcUrlIsRefused() {
      assertError(
          error("warrenmq.store.jdbc_password = x"),
          1,
          "warrenmq.store.jdbc_password",
          "warrenmq.store.jdbc_url, which is not set");
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws Exception {
      Path file = Files.writeString(dir.resolve("plain-file"), "x");
      assertError(error("warrenmq.data_dir = " + file), 1, "warrenmq.data_dir", "a directory");
    }

    @Test
    void durabilityIsPowerLossOrProcessCrash() {
      assertEquals(
          JdbcStoreConfig.Durability.POWER_LOSS,
          read("warrenmq.store.durability = power_loss").store().durability());
      assertError(
          error("warrenmq.store.durability = fsync"),
          1,
          "warrenmq.store.durability",
          "expected power_loss (fsync before a confirm, the default) or process_crash");
    }

    @Test
    void jmxIsOnByDefaultAndTrueOrFalse() {
      assertEquals(true, read().jmx());
      assertEquals(false, read("warrenmq.jmx = false").jmx());
      assertEquals(true, read("warrenmq.jmx = true").jmx());
      assertError(error("warrenmq.jmx = yes"), 1, "warrenmq.jmx", "expected true or false");
    }

    @Test
    void queueWindowIs16MiBByDefaultAndTakesRabbitMqsUnits() {
      assertEquals(16L << 20, read().queueWindowBytes());
      assertEquals(4L << 20, read("warrenmq.queue_window = 4MiB").queueWindowBytes());
      assertEquals(20_000_000L, read("warrenmq.queue_window = 20MB").queueWindowBytes());
      assertEquals(65536L, read("warrenmq.queue_window = 65536").queueWindowBytes());
      assertError(
          error("warrenmq.queue_window = 0"), 1, "warrenmq.queue_window", "at least 1 byte");
      assertError(
          error("warrenmq.queue_window = lots"), 1, "warrenmq.queue_window", "a number of bytes");
    }
  }

  @Nested
  class KeysAndFile {
    @ParameterizedTest
    @CsvSource({
      "cluster_formation.peer_discovery_backend",
      "heartbeat.interval",
      "warrenmq.store.pool_size",
      "warrenmq.datadir",
      "vm_memory_high_watermark",
      "default_user.name"
    })
    void anUnknownKeyIsRefusedNamingIt(String key) {
      assertError(error("heartbeat = 10", key + " = 1"), 2, key, "unknown key");
    }

    @Test
    void logKeysPointAtTheLogbackConfiguration() {
      assertError(error("log.console.level = debug"), 1, "log.console.level", "conf/logback.xml");
    }

    @Test
    void aKeyGivenTwiceTakesItsLastValueAsInRabbitMq() {
      ServerSettings s = read("heartbeat = 10", "frame_max = 8192", "heartbeat = 20");
      assertEquals(20, s.serverConfig().heartbeatSeconds());
      assertEquals("test.conf:3", s.where("heartbeat"));
      assertEquals("test.conf:2", s.where("frame_max"));
    }

    @Test
    void anEarlierBadValueOfARepeatedKeyIsOverridden() {
      assertEquals(
          30, read("heartbeat = often", "heartbeat = 30").serverConfig().heartbeatSeconds());
    }
  }

  @Nested
  class HighAvailability {
    static final String PG = "warrenmq.store.jdbc_url = jdbc:postgresql://db:5432/warrenmq";

    @Test
    void withoutTheKeysThereIsNoHa() {
      assertTrue(read().ha().isEmpty());
      assertTrue(read(PG, "warrenmq.ha.mode = none").ha().isEmpty());
    }

    @Test
    void sharedStoreOnPostgresHasTheDocumentedDefaults() {
      HaLeaseConfig ha = read(PG, "warrenmq.ha.mode = shared-store").ha().orElseThrow();
      assertEquals(3_000, ha.leaseTimeoutMs());
      assertEquals(1_000, ha.renewIntervalMs());
      assertEquals(
          "-" + ProcessHandle.current().pid(),
          ha.nodeName().substring(ha.nodeName().lastIndexOf('-')),
          "default node name <hostname>-<pid>: " + ha.nodeName());
    }

    @Test
    void theNodeNameLeaseTimeoutAndRenewIntervalAreRead() {
      HaLeaseConfig ha =
          read(
                  PG,
                  "warrenmq.ha.mode = shared-store",
                  "warrenmq.ha.node_name = mq-1",
                  "warrenmq.ha.lease_timeout = 10000",
                  "warrenmq.ha.renew_interval = 2000")
              .ha()
              .orElseThrow();
      assertEquals(new HaLeaseConfig("mq-1", 10_000, 2_000), ha);
      assertEquals(20_000, ha.storeOutageTimeoutMs(), "the default store outage timeout");
    }

    @Test
    void theStoreOutageTimeoutIsReadAndDefaultsToTheLeaseTimeoutWhenThatIsLonger() {
      HaLeaseConfig set =
          read(PG, "warrenmq.ha.mode = shared-store", "warrenmq.ha.store_outage_timeout = 45000")
              .ha()
              .orElseThrow();
      assertEquals(45_000, set.storeOutageTimeoutMs());
      HaLeaseConfig longLease =
          read(PG, "warrenmq.ha.mode = shared-store", "warrenmq.ha.lease_timeout = 30000")
              .ha()
              .orElseThrow();
      assertEquals(30_000, longLease.storeOutageTimeoutMs());
    }

    @Test
    void aStoreOutageTimeoutShorterThanTheLeaseIsRefusedNamingTheKey() {
      assertError(
          error(
              PG,
              "warrenmq.ha.mode = shared-store",
              "warrenmq.ha.lease_timeout = 5000",
              "warrenmq.ha.store_outage_timeout = 4000"),
          4,
          "warrenmq.ha.store_outage_timeout",
          "must be at least warrenmq.ha.lease_timeout (5000 ms)");
    }

    @Test
    void anUnknownModeIsRefusedNamingTheChoices() {
      assertError(
          error(PG, "warrenmq.ha.mode = cluster"), 2, "warrenmq.ha.mode", "none (one broker");
    }

    @Test
    void aRenewIntervalOfHalfTheLeaseOrMoreIsRefusedNamingTheKey() {
      assertError(
          error(
              PG,
              "warrenmq.ha.mode = shared-store",
              "warrenmq.ha.lease_timeout = 3000",
              "warrenmq.ha.renew_interval = 1500"),
          4,
          "warrenmq.ha.renew_interval",
          "must be less than half of warrenmq.ha.lease_timeout (3000 ms)");
      assertError(
          error(PG, "warrenmq.ha.mode = shared-store", "warrenmq.ha.lease_timeout = 1000"),
          3,
          "warrenmq.ha.lease_timeout",
          "warrenmq.ha.renew_interval (1000 ms) must be less than half");
    }

    @Test
    void aLeaseTimeoutOutOfRangeIsRefused() {
      assertError(
          error(PG, "warrenmq.ha.lease_timeout = 100"),
          2,
          "warrenmq.ha.lease_timeout",
          "an integer from 500 to 3600000 (ms, default 3000)");
      assertError(
          error(PG, "warrenmq.ha.renew_interval = soon"),
          2,
          "warrenmq.ha.renew_interval",
          "an integer from 50");
    }

    @Test
    void sharedStoreOnTheEmbeddedH2DatabaseIsRefusedNamingTheKeys() {
      ConfigException e = error("warrenmq.ha.mode = shared-store");
      assertError(e, 1, "warrenmq.ha.mode", "needs a PostgreSQL store");
      assertTrue(e.getMessage().contains("warrenmq.store.jdbc_url"), e.getMessage());
      ConfigException h2 =
          error("warrenmq.data_dir = " + dir.resolve("d"), "warrenmq.ha.mode = shared-store");
      assertError(h2, 2, "warrenmq.ha.mode", "warrenmq.data_dir is the embedded H2 database");
    }

    @Test
    void sharedStoreOnAnH2UrlIsRefusedNamingTheUrlKey() {
      ConfigException e =
          error("warrenmq.store.jdbc_url = jdbc:h2:mem:x", "warrenmq.ha.mode = shared-store");
      assertError(e, 2, "warrenmq.ha.mode", "warrenmq.store.jdbc_url is jdbc:h2:mem:x");
    }

    @Test
    void anUnknownHaKeyIsRefused() {
      assertError(error(PG, "warrenmq.ha.lease = 1"), 2, "warrenmq.ha.lease", "unknown key");
    }
  }
}
