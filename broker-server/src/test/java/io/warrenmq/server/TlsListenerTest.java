package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code amqps} listener with RabbitMQ's Java client over TLS: the JDK's TLS through Netty, PEM
 * files as RabbitMQ's {@code ssl_options} take them, client certificates verified as {@code
 * verify_peer} and {@code fail_if_no_peer_cert} say (RabbitMQ doc "TLS Support", "Peer
 * Verification"), and what a client that does not speak TLS, or speaks it to the wrong port, gets.
 */
@Timeout(60)
class TlsListenerTest {
  @TempDir static Path pki;
  static TestCertificates certs;

  private Broker broker;
  private WarrenServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.create(pki);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private TlsConfig.Builder tls() {
    return TlsConfig.builder()
        .certFile(certs.serverCertPem)
        .keyFile(certs.serverKeyPem)
        .caCertFile(certs.caPem);
  }

  private void start(TlsConfig tls) {
    start(ServerConfig.defaults().withTlsListener("127.0.0.1", 0, tls));
  }

  private void start(ServerConfig config) {
    broker = new Broker(BrokerConfig.named("tls"));
    server = WarrenServer.start(broker, config);
  }

  private ConnectionFactory overTls(SSLContext ssl) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.tlsPort());
    f.setAutomaticRecoveryEnabled(false);
    f.setConnectionTimeout(10_000);
    f.setHandshakeTimeout(10_000);
    f.useSslProtocol(ssl);
    f.enableHostnameVerification();
    return f;
  }

  /** Declares a queue, publishes to it and gets the message back, all on {@code c}. */
  private static void roundTrip(Connection c, String body) throws IOException {
    Channel ch = c.createChannel();
    String q = ch.queueDeclare().getQueue();
    ch.basicPublish("", q, null, body.getBytes(StandardCharsets.UTF_8));
    GetResponse r = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (r == null && System.nanoTime() < deadline) {
      r = ch.basicGet(q, true);
    }
    assertEquals(body, new String(r.getBody(), StandardCharsets.UTF_8));
  }

  private void awaitNoConnections() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.connectionCount() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(server.connectionCount() + " connections still open");
      }
      Thread.sleep(10);
    }
  }

  // ---- TLS with server authentication only (verify_none) -----------------------------------

  @Test
  void aClientPublishesAndConsumesOverTls() throws Exception {
    start(tls().build());
    try (Connection c = overTls(certs.clientWithoutCertificate()).newConnection()) {
      roundTrip(c, "over TLS");
      assertEquals("WarrenMQ", c.getServerProperties().get("product").toString());
    }
  }

  @Test
  void thePlainListenerServesBesideTheTlsOne() throws Exception {
    start(tls().build());
    assertNotEquals(server.port(), server.tlsPort());
    ConnectionFactory plain = new ConnectionFactory();
    plain.setHost("127.0.0.1");
    plain.setPort(server.port());
    try (Connection c = plain.newConnection()) {
      roundTrip(c, "plain");
    }
  }

  @Test
  void aServerWithOnlyATlsListener() throws Exception {
    start(
        ServerConfig.defaults()
            .withoutTcpListener()
            .withTlsListener("127.0.0.1", 0, tls().build()));
    IllegalStateException e = assertThrows(IllegalStateException.class, server::port);
    assertEquals("this server has no plain TCP listener", e.getMessage());
    try (Connection c = overTls(certs.clientWithoutCertificate()).newConnection()) {
      roundTrip(c, "TLS only");
    }
  }

  // ---- client certificates (verify_peer) ---------------------------------------------------

  @Test
  void aRequiredClientCertificateThatIsMissingIsRefusedInTheHandshake() throws Exception {
    start(tls().verifyPeer(true).failIfNoPeerCert(true).build());
    ConnectionFactory f = overTls(certs.clientWithoutCertificate());
    // with TLS 1.3 the client learns it when it writes the protocol header: a broken pipe
    IOException e = assertThrows(IOException.class, f::newConnection);
    assertFalse(causes(e).contains("Timeout"), "refused, not timed out: " + causes(e));
    awaitNoConnections();
    // the broker goes on serving clients that have one
    try (Connection c = overTls(certs.clientWithTrustedCertificate()).newConnection()) {
      roundTrip(c, "after a refusal");
    }
  }

  @Test
  void aClientCertificateTheCaSignedIsAccepted() throws Exception {
    start(tls().verifyPeer(true).failIfNoPeerCert(true).build());
    try (Connection c = overTls(certs.clientWithTrustedCertificate()).newConnection()) {
      roundTrip(c, "mutual TLS");
    }
  }

  @Test
  void aClientCertificateNoTrustedCaSignedIsRefused() throws Exception {
    start(tls().verifyPeer(true).failIfNoPeerCert(true).build());
    ConnectionFactory f = overTls(certs.clientWithRogueCertificate());
    assertThrows(IOException.class, f::newConnection);
    awaitNoConnections();
  }

  @Test
  void verifyPeerWithoutFailIfNoPeerCertAcceptsAClientWithoutACertificate() throws Exception {
    start(tls().verifyPeer(true).build());
    try (Connection c = overTls(certs.clientWithoutCertificate()).newConnection()) {
      roundTrip(c, "no certificate asked for in vain");
    }
    // but a certificate that is sent is verified
    assertThrows(IOException.class, overTls(certs.clientWithRogueCertificate())::newConnection);
  }

  @Test
  void depthZeroAcceptsOnlyCertificatesTheCaSignedItself() throws Exception {
    start(tls().verifyPeer(true).failIfNoPeerCert(true).depth(0).build());
    try (Connection c = overTls(certs.clientWithTrustedCertificate()).newConnection()) {
      roundTrip(c, "depth 0");
    }
    assertThrows(
        IOException.class, overTls(certs.clientWithCertificateViaIntermediate())::newConnection);
  }

  @Test
  void depthOneAcceptsACertificateSignedByAnIntermediateTheCaSigned() throws Exception {
    start(tls().verifyPeer(true).failIfNoPeerCert(true).depth(1).build());
    try (Connection c = overTls(certs.clientWithCertificateViaIntermediate()).newConnection()) {
      roundTrip(c, "depth 1");
    }
  }

  // ---- the wrong protocol on a port --------------------------------------------------------

  @Test
  void plainAmqpOnTheTlsPortIsRefusedWithoutHarmingTheBroker() throws Exception {
    start(tls().build());
    try (Socket s = new Socket("127.0.0.1", server.tlsPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
      out.flush();
      assertTrue(closedByPeer(s.getInputStream()), "the server closes the socket");
    }
    // RabbitMQ's client without TLS fails at once, not after a timeout
    ConnectionFactory plain = new ConnectionFactory();
    plain.setHost("127.0.0.1");
    plain.setPort(server.tlsPort());
    plain.setHandshakeTimeout(30_000);
    IOException refused = assertThrows(IOException.class, plain::newConnection);
    assertFalse(causes(refused).contains("Timeout"), "refused, not timed out: " + causes(refused));
    awaitNoConnections();
    try (Connection c = overTls(certs.clientWithoutCertificate()).newConnection()) {
      roundTrip(c, "still serving");
    }
  }

  @Test
  void tlsOnThePlainPortIsRefused() throws Exception {
    start(tls().build());
    ConnectionFactory f = overTls(certs.clientWithoutCertificate());
    f.setPort(server.port());
    assertThrows(IOException.class, f::newConnection);
    awaitNoConnections();
  }

  // ---- files read at start-up --------------------------------------------------------------

  @Nested
  class StartUp {
    private String startError(TlsConfig tls) {
      broker = new Broker(BrokerConfig.named("tls-start"));
      ServerConfig config = ServerConfig.defaults().withTlsListener("127.0.0.1", 0, tls);
      return assertThrows(IllegalArgumentException.class, () -> WarrenServer.start(broker, config))
          .getMessage();
    }

    @Test
    void aMissingKeyFileIsNamedWithItsKey() {
      Path missing = pki.resolve("nowhere.key");
      assertEquals(
          "ssl_options.keyfile: " + missing + " is not a readable file",
          startError(tls().keyFile(missing).build()));
    }

    @Test
    void aCertificateFileWithoutACertificateIsNamedWithItsKey() throws Exception {
      Path junk = pki.resolve("junk.pem");
      Files.writeString(junk, "not a certificate\n");
      String e = startError(tls().certFile(junk).build());
      assertTrue(e.startsWith("ssl_options.certfile: " + junk + " holds no"), e);
    }

    @Test
    void aCaFileWithoutACertificateIsNamedWithItsKey() throws Exception {
      Path junk = pki.resolve("junk-ca.pem");
      Files.writeString(junk, "");
      String e = startError(tls().caCertFile(junk).verifyPeer(true).build());
      assertTrue(e.startsWith("ssl_options.cacertfile: " + junk + " holds no"), e);
    }

    @Test
    void aPkcs1KeyGetsTheCommandThatConvertsIt() throws Exception {
      Path pkcs1 = pki.resolve("rsa.key");
      Files.writeString(
          pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
      String e = startError(tls().keyFile(pkcs1).build());
      assertTrue(e.startsWith("ssl_options.keyfile: " + pkcs1 + " holds a PKCS#1/SEC1 key"), e);
      assertTrue(e.contains("openssl pkcs8 -topk8 -nocrypt"), e);
    }

    @Test
    void aTlsAddressInUseIsNamedAsTheTlsListenerAndThePlainOneIsClosedAgain() throws Exception {
      broker = new Broker(BrokerConfig.named("tls-bind"));
      int plainPort;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        plainPort = probe.getLocalPort();
      }
      try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        ServerConfig config =
            ServerConfig.defaults()
                .withListener("127.0.0.1", plainPort)
                .withTlsListener("127.0.0.1", taken.getLocalPort(), tls().build());
        IllegalStateException e =
            assertThrows(IllegalStateException.class, () -> WarrenServer.start(broker, config));
        assertEquals(
            "cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (TLS): Address already in use",
            e.getMessage());
      }
      try (ServerSocket again = new ServerSocket(plainPort, 1, InetAddress.getLoopbackAddress())) {
        assertEquals(plainPort, again.getLocalPort(), "the plain listener's port was released");
      }
    }

    @Test
    void anUnknownCipherIsNamedWithItsKey() {
      assertEquals(
          "ssl_options.ciphers: 'NO-SUCH-CIPHER' is not a cipher suite this JDK supports (OpenSSL"
              + " names such as ECDHE-RSA-AES256-GCM-SHA384 and IANA names such as"
              + " TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 are accepted)",
          startError(tls().cipher("NO-SUCH-CIPHER").build()));
    }

    @Test
    void rabbitMqsOpenSslCipherNamesAndVersionsWork() throws Exception {
      start(
          tls()
              .version("tlsv1.2")
              .cipher("ECDHE-ECDSA-AES256-GCM-SHA384")
              .honorCipherOrder(true)
              .build());
      try (Connection c = overTls(certs.clientWithoutCertificate()).newConnection()) {
        roundTrip(c, "TLS 1.2 with one cipher");
      }
    }

    @Test
    void anEncryptedKeyOpensWithItsPassword() throws Exception {
      Path encrypted = pki.resolve("server-encrypted.key");
      TestCertificates.writeEncryptedPkcs8(certs.key("server"), "key pass", encrypted);
      assertEquals(
          "ssl_options.keyfile: " + encrypted + " is encrypted and ssl_options.password is not set",
          startError(tls().keyFile(encrypted).build()));
      broker.close();
      assertEquals(
          "ssl_options.password: does not decrypt ssl_options.keyfile " + encrypted,
          startError(tls().keyFile(encrypted).password("wrong").build()));
      broker.close();
      start(tls().keyFile(encrypted).password("key pass").build());
      try (Connection c = overTls(certs.clientWithoutCertificate()).newConnection()) {
        roundTrip(c, "encrypted key");
      }
    }
  }

  private static boolean closedByPeer(InputStream in) throws IOException {
    byte[] chunk = new byte[1024];
    try {
      while (true) {
        if (in.read(chunk) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static String causes(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (; t != null; t = t.getCause()) {
      b.append(t).append(" <- ");
    }
    return b.toString();
  }
}
