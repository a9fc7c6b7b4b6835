package io.warrenmq.server.internal.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.server.TestCertificates;
import io.warrenmq.server.internal.config.ConfFile;
import io.warrenmq.server.internal.config.ConfigException;
import io.warrenmq.server.internal.config.SettingsReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server started in this JVM from a configuration file's text, as {@code Main}
 * starts it: the store, the broker, the listeners (plain and TLS, with PEM files of a keytool-made
 * PKI and RabbitMQ's Java client over TLS), the banner, and a stop that closes clients with 320
 * CONNECTION_FORCED; and the start-up errors that name a line and a key.
 */
@Timeout(120)
class StandaloneServerTest {
  @TempDir Path dir;
  @TempDir static Path pkiDir;
  private static TestCertificates certificates;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** Starts a server on a free loopback port and {@code dir/data}, plus the given lines. */
  StandaloneServer start(String... lines) {
    StandaloneServer server = StandaloneServer.start(settings(lines), "test");
    open.add(server);
    return server;
  }

  io.warrenmq.server.internal.config.ServerSettings settings(String... lines) {
    List<String> all = new ArrayList<>();
    all.add("listeners.tcp.default = 127.0.0.1:0");
    all.add("warrenmq.data_dir = " + dir.resolve("data"));
    all.addAll(List.of(lines));
    return SettingsReader.read(ConfFile.parse("test.conf", String.join("\n", all)), dir);
  }

  static Connection connect(StandaloneServer server, String vhost, String user, String password)
      throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setVirtualHost(vhost);
    f.setUsername(user);
    f.setPassword(password);
    f.setAutomaticRecoveryEnabled(false);
    return f.newConnection();
  }

  @Test
  void theBannerShowsVersionListenerStoreAndLimitsAndNoPassword() {
    StandaloneServer server =
        start(
            "default_user = admin",
            "default_pass = banner-s3cret",
            "heartbeat = 30",
            "frame_max = 65536",
            "vm_memory_high_watermark.absolute = 64MiB");
    String banner = server.banner();
    assertTrue(banner.startsWith("WarrenMQ test (AMQP 0-9-1)"), banner);
    assertTrue(banner.contains("\n  config: test.conf\n"), banner);
    assertTrue(
        banner.contains("listener: amqp 127.0.0.1:" + server.port() + " (listeners.tcp.default)"),
        banner);
    assertTrue(
        banner.contains("store: H2 in " + dir.resolve("data") + ", durability power_loss"), banner);
    assertTrue(banner.contains("frame_max 65536 bytes, channel_max 2047, heartbeat 30 s"), banner);
    assertTrue(
        banner.contains(
            "memory high watermark: 67108864 bytes of queued message bodies"
                + " (vm_memory_high_watermark.absolute = 67108864)"),
        banner);
    assertTrue(banner.contains("default user 'admin' on vhost '/' created"), banner);
    assertTrue(
        banner.contains("management API: off (set management.tcp.port to serve it)"), banner);
    assertTrue(
        banner.contains(
            "disk free limit: 50000000 bytes (disk_free_limit.absolute = 50000000) on the store's"
                + " file system, checked every 1000 ms"),
        banner);
    assertFalse(banner.contains("banner-s3cret"), banner);
  }

  @Test
  void aDiskFreeLimitAboveTheFreeSpaceBlocksPublishersWithLowOnDiskWhileConsumersGoOn()
      throws Exception {
    // 8 EB: more than any disk has free, so the alarm is on from the start
    StandaloneServer server = start("disk_free_limit.absolute = 8000000000GB");
    assertTrue(
        server.banner().contains("disk free limit: 8000000000000000000 bytes"), server.banner());
    assertTrue(server.broker().diskAlarm());
    Connection c = connect(server, "/", "guest", "guest");
    // abort, not close: while blocked the server does not read the socket, so a close-ok never
    // comes if an assertion fails with the alarm still on (as with RabbitMQ)
    open.add(() -> c.abort(2_000));
    java.util.concurrent.CompletableFuture<String> blocked =
        new java.util.concurrent.CompletableFuture<>();
    c.addBlockedListener(
        new com.rabbitmq.client.BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            blocked.complete(reason);
          }

          @Override
          public void handleUnblocked() {}
        });
    com.rabbitmq.client.Channel ch = c.createChannel();
    ch.queueDeclare("disk-q", true, false, false, null);
    ch.confirmSelect();
    // as RabbitMQ: the publish that finds the alarm on goes through, then the connection is
    // blocked (told so, its socket no longer read)
    ch.basicPublish("", "disk-q", null, bytes("first"));
    assertEquals("low on disk", blocked.get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(ch.waitForConfirms(10_000));
    ch.basicPublish("", "disk-q", null, bytes("held"));
    assertThrows(
        java.util.concurrent.TimeoutException.class,
        () -> ch.waitForConfirms(500),
        "no confirm while the disk alarm is on");
    assertEquals(1, server.broker().virtualHost("/").queueMessageCount("disk-q"));

    // a connection that does not publish is not blocked: it consumes under the alarm
    try (Connection consumer = connect(server, "/", "guest", "guest")) {
      com.rabbitmq.client.GetResponse got = consumer.createChannel().basicGet("disk-q", true);
      assertEquals("first", new String(got.getBody(), java.nio.charset.StandardCharsets.UTF_8));
    }

    // as if space had been freed (the monitor only acts when its reading changes)
    server.broker().setDiskAlarm(false);
    assertTrue(ch.waitForConfirms(10_000), "the held publish goes on and is confirmed");
    assertEquals(1, server.broker().virtualHost("/").queueMessageCount("disk-q"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aQueueDeclaredByAClientIsAJmxMBeanUnlessWarrenmqJmxIsFalse() throws Exception {
    javax.management.MBeanServer mbeans =
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
    javax.management.ObjectName bean =
        new javax.management.ObjectName(
            "io.warrenmq:type=Queue,broker=\"warren\",vhost=\"/\",name=\"jmx-q\"");
    for (String jmx : List.of("true", "false")) {
      StandaloneServer server = start("warrenmq.jmx = " + jmx);
      try (Connection c = connect(server, "/", "guest", "guest")) {
        Channel ch = c.createChannel();
        ch.queueDeclare("jmx-q", false, false, false, null);
        ch.confirmSelect();
        ch.basicPublish("", "jmx-q", null, "m".getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(10_000); // the publish is in the queue
        assertEquals(Boolean.parseBoolean(jmx), mbeans.isRegistered(bean), "warrenmq.jmx = " + jmx);
        if (jmx.equals("true")) {
          assertEquals(1L, mbeans.invoke(bean, "countMessages", null, null));
        }
      }
      server.close();
      assertFalse(mbeans.isRegistered(bean), "unregistered when the server stops");
    }
  }

  @Test
  void closeSendsConnectionForcedAndTheStoreKeepsAConfirmedMessage() throws Exception {
    StandaloneServer server = start();
    Connection c = connect(server, "/", "guest", "guest");
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    c.addShutdownListener(closed::complete);
    Channel ch = c.createChannel();
    ch.queueDeclare("kept", true, false, false, null);
    ch.confirmSelect();
    ch.basicPublish(
        "", "kept", MessageProperties.PERSISTENT_TEXT_PLAIN, "m1".getBytes(StandardCharsets.UTF_8));
    ch.waitForConfirmsOrDie(10_000);
    server.close();
    ShutdownSignalException signal = closed.get(10, TimeUnit.SECONDS);
    assertTrue(signal.isHardError());
    AMQP.Connection.Close close = (AMQP.Connection.Close) signal.getReason();
    assertEquals(320, close.getReplyCode());
    assertEquals(
        "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'",
        close.getReplyText());

    StandaloneServer again = start();
    try (Connection c2 = connect(again, "/", "guest", "guest")) {
      var got = c2.createChannel().basicGet("kept", true);
      assertEquals("m1", new String(got.getBody(), StandardCharsets.UTF_8));
      assertFalse(got.getEnvelope().isRedeliver(), "never delivered, clean stop");
    }
  }

  // ---- the TLS listener (listeners.ssl.*, ssl_options.*) ------------------------------------

  /** The lines that give a TLS listener on a free loopback port the test PKI's server identity. */
  static List<String> tlsLines() throws Exception {
    TestCertificates pki = certificates();
    return List.of(
        "listeners.ssl.default = 127.0.0.1:0",
        "ssl_options.certfile = " + pki.serverCertPem,
        "ssl_options.keyfile = " + pki.serverKeyPem,
        "ssl_options.cacertfile = " + pki.caPem);
  }

  static synchronized TestCertificates certificates() throws Exception {
    if (certificates == null) {
      certificates = TestCertificates.create(pkiDir);
    }
    return certificates;
  }

  static List<String> with(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }

  static Connection connectOverTls(StandaloneServer server, SSLContext ssl) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.tlsPort());
    f.setAutomaticRecoveryEnabled(false);
    f.useSslProtocol(ssl);
    f.enableHostnameVerification();
    return f.newConnection();
  }

  /** Publishes a persistent message with a confirm, then consumes it; returns its body. */
  static String publishAndConsume(Connection c, String queue, String body) throws Exception {
    Channel ch = c.createChannel();
    ch.queueDeclare(queue, true, false, false, null);
    ch.confirmSelect();
    ch.basicPublish(
        "", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, body.getBytes(StandardCharsets.UTF_8));
    ch.waitForConfirmsOrDie(10_000);
    CompletableFuture<String> got = new CompletableFuture<>();
    ch.basicConsume(
        queue,
        true,
        (tag, d) -> got.complete(new String(d.getBody(), StandardCharsets.UTF_8)),
        tag -> {});
    return got.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientPublishesAndConsumesOverTheTlsListenerOfTheConfigFile() throws Exception {
    StandaloneServer server = start(tlsLines().toArray(String[]::new));
    try (Connection c = connectOverTls(server, certificates().clientWithoutCertificate())) {
      assertEquals("over amqps", publishAndConsume(c, "tls-q", "over amqps"));
    }
    try (Connection plain = connect(server, "/", "guest", "guest")) {
      // the plain listener serves the same broker: the queue declared over TLS, consumed empty
      assertEquals(0, plain.createChannel().queueDeclarePassive("tls-q").getMessageCount());
    }
    String banner = server.banner();
    assertTrue(
        banner.contains(
            "\n  listener: amqp 127.0.0.1:" + server.port() + " (listeners.tcp.default)"),
        banner);
    assertTrue(
        banner.contains(
            "\n  listener: amqps 127.0.0.1:"
                + server.tlsPort()
                + " (listeners.ssl.default), certfile "
                + certificates().serverCertPem.toAbsolutePath()
                + ", client certificates not asked for (verify_none)\n"),
        banner);
  }

  @Test
  void aTlsOnlyServerRequiresAClientCertificateWhenTheFileSaysSo() throws Exception {
    List<String> lines =
        with(
            tlsLines(),
            "listeners.tcp = none",
            "ssl_options.verify = verify_peer",
            "ssl_options.fail_if_no_peer_cert = true",
            "warrenmq.data_dir = " + dir.resolve("data"));
    StandaloneServer server =
        StandaloneServer.start(
            SettingsReader.read(ConfFile.parse("tls-only.conf", String.join("\n", lines)), dir),
            "test");
    open.add(server);
    try (Connection c = connectOverTls(server, certificates().clientWithTrustedCertificate())) {
      assertEquals("mutual TLS", publishAndConsume(c, "mtls-q", "mutual TLS"));
    }
    SSLContext noCertificate = certificates().clientWithoutCertificate();
    assertThrows(Exception.class, () -> connectOverTls(server, noCertificate).close());
    assertThrows(IllegalStateException.class, server::port, "no plain TCP listener");
    String banner = server.banner();
    assertTrue(banner.contains("\n  listener: amqp none (listeners.tcp = none)\n"), banner);
    assertTrue(
        banner.contains(
            "client certificates required (verify_peer, fail_if_no_peer_cert, depth 10)\n"),
        banner);
  }

  @Test
  void aMissingCertificateFileIsRefusedNamingLineAndKey() throws Exception {
    Path missing = dir.resolve("nowhere.pem");
    List<String> lines = with(tlsLines());
    lines.set(1, "ssl_options.certfile = " + missing);
    ConfigException e =
        assertThrows(ConfigException.class, () -> start(lines.toArray(String[]::new)));
    assertEquals("ssl_options.certfile", e.key());
    assertEquals(
        "test.conf:4: ssl_options.certfile: expected a readable file (PEM); it does not exist or"
            + " cannot be read, was '"
            + missing
            + "'",
        e.getMessage());
  }

  @Test
  void aCertificateFileWithoutACertificateIsRefusedOnItsLineBeforeTheStoreIsOpened()
      throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
    List<String> lines = with(tlsLines());
    lines.set(1, "ssl_options.certfile = " + junk);
    ConfigException e =
        assertThrows(ConfigException.class, () -> start(lines.toArray(String[]::new)));
    assertEquals("ssl_options.certfile", e.key());
    assertTrue(
        e.getMessage().startsWith("test.conf:4: ssl_options.certfile: " + junk + " holds no"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertFalse(Files.exists(dir.resolve("data")), "the store was not opened");
  }

  @Test
  void aTlsPortInUseIsRefusedNamingTheSslListenerAndReleasesTheStore() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> lines = with(tlsLines());
      lines.set(0, "listeners.ssl.default = 127.0.0.1:" + taken.getLocalPort());
      ConfigException e =
          assertThrows(ConfigException.class, () -> start(lines.toArray(String[]::new)));
      assertEquals("listeners.ssl.default", e.key());
      assertEquals(
          "test.conf:3: listeners.ssl.default: cannot listen on 127.0.0.1:"
              + taken.getLocalPort()
              + " (TLS): Address already in use",
          e.getMessage());
    }
    start(); // the data directory's lock was released
  }

  @Test
  void theManagementApiIsServedWhenItsPortIsSetWithDefinitionsFromTheStoreModule()
      throws Exception {
    StandaloneServer server = start("management.tcp.port = 0", "management.tcp.ip = 127.0.0.1");
    int port = server.managementPort();
    assertTrue(
        server.banner().contains("management API: http://127.0.0.1:" + port + "/api/"),
        server.banner());
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    java.net.http.HttpResponse<String> r =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/api/definitions"))
                .header(
                    "Authorization",
                    "Basic "
                        + java.util.Base64.getEncoder()
                            .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"users\""), r.body());
  }

  @Test
  void theManagementApiIsOffWithoutItsPort() {
    StandaloneServer server = start();
    assertThrows(IllegalStateException.class, server::managementPort);
  }

  @Test
  void aManagementPortInUseIsRefusedNamingTheKeyAndReleasesTheStore() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () ->
                  start(
                      "management.tcp.ip = 127.0.0.1",
                      "management.tcp.port = " + taken.getLocalPort()));
      assertEquals("management.tcp.port", e.key());
      assertTrue(e.getMessage().startsWith("test.conf:4: management.tcp.port: "), e.getMessage());
    }
    start(); // the data directory's lock was released
  }

  @Test
  void anAddressInUseIsRefusedNamingTheListenerKeyAndReleasesTheStore() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () -> start("listeners.tcp.default = 127.0.0.1:" + taken.getLocalPort()));
      assertEquals("listeners.tcp.default", e.key());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "test.conf:3: listeners.tcp.default: cannot listen on 127.0.0.1:"
                      + taken.getLocalPort()),
          e.getMessage());
    }
    start(); // the data directory's lock was released
  }

  @Test
  void aDataDirectoryInUseIsRefusedNamingTheKey() {
    start();
    ConfigException e = assertThrows(ConfigException.class, this::start);
    assertEquals("warrenmq.data_dir", e.key());
    assertTrue(e.getMessage().contains("is in use by another WarrenMQ broker"), e.getMessage());
  }

  @Test
  void anUnreachableDatabaseIsRefusedNamingTheJdbcUrlWithItsPasswordMasked() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                StandaloneServer.start(
                    SettingsReader.read(
                        ConfFile.parse(
                            "db.conf",
                            "listeners.tcp.default = 127.0.0.1:0\n"
                                + "warrenmq.store.jdbc_url ="
                                + " jdbc:postgresql://127.0.0.1:1/none?password=db-s3cret\n"),
                        dir),
                    "t"));
    assertEquals("warrenmq.store.jdbc_url", e.key());
    assertTrue(e.getMessage().startsWith("db.conf:2: warrenmq.store.jdbc_url: "), e.getMessage());
    assertFalse(e.getMessage().contains("db-s3cret"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }
}
