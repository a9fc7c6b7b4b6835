package io.warrenmq.jms.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.TlsConfig;
import io.warrenmq.server.WarrenServer;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amqps://} against WarrenMQ's TLS listener, whose self-signed certificate (made here with
 * the JDK's keytool) names {@code localhost} and {@code 127.0.0.1} only: trusted through the URL's
 * {@code trustStore}, it works; without it, or with a certificate for another host, the connection
 * fails within seconds naming the address, never the password; {@code verifyHost=false} accepts the
 * other host's certificate.
 */
@Timeout(60)
class WireTlsTest {
  @TempDir static Path dir;
  private static Broker broker;
  private static WarrenServer good;
  private static WarrenServer otherHost;

  @BeforeAll
  static void startServers() throws Exception {
    broker = new Broker(BrokerConfig.named("wire-tls"));
    good = tlsServer("good", "SAN=dns:localhost,ip:127.0.0.1");
    otherHost = tlsServer("other", "SAN=dns:other.example");
  }

  @AfterAll
  static void stop() {
    good.close();
    otherHost.close();
    broker.close();
  }

  private static WarrenServer tlsServer(String name, String san) throws Exception {
    Path p12 = dir.resolve(name + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-dname",
        "CN=" + name,
        "-ext",
        san,
        "-validity",
        "2",
        "-keystore",
        p12.toString(),
        "-storepass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        name,
        "-keystore",
        p12.toString(),
        "-storepass",
        "changeit",
        "-file",
        dir.resolve(name + ".pem").toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        name,
        "-file",
        dir.resolve(name + ".pem").toString(),
        "-keystore",
        dir.resolve(name + "-trust.p12").toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "trustpw");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey(name, "changeit".toCharArray());
    Certificate cert = ks.getCertificate(name);
    Path keyPem = dir.resolve(name + "-key.pem");
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    Path certPem = dir.resolve(name + "-cert.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    TlsConfig tls = TlsConfig.builder().certFile(certPem).keyFile(keyPem).build();
    return WarrenServer.start(
        broker, ServerConfig.defaults().withoutTcpListener().withTlsListener("127.0.0.1", 0, tls));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void keytool(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + out);
  }

  private static String trust(String name) {
    return "trustStore=" + dir.resolve(name + "-trust.p12") + "&trustStorePassword=trustpw";
  }

  private static void roundTrip(String url) throws Exception {
    try (Connection c = WarrenConnectionFactory.forUrl(url).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createTemporaryQueue();
      s.createProducer(q).send(s.createTextMessage("over tls"));
      assertEquals("over tls", ((TextMessage) s.createConsumer(q).receive(10_000)).getText());
    }
  }

  @Test
  void aServerTrustedThroughTheUrlsTrustStoreCarriesMessages() throws Exception {
    roundTrip("amqps://guest:guest@127.0.0.1:" + good.tlsPort() + "/?" + trust("good"));
  }

  @Test
  void anUntrustedServerFailsFastNamingTheAddressButNotThePassword() throws Exception {
    WarrenConnectionFactory f =
        WarrenConnectionFactory.forUrl("amqps://guest:tls-secret@127.0.0.1:" + good.tlsPort());
    long start = System.nanoTime();
    JMSException e = assertThrows(JMSException.class, f::createConnection);
    assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10);
    assertTrue(e.getMessage().contains("127.0.0.1:" + good.tlsPort()), e.getMessage());
    assertFalse(e.getMessage().contains("tls-secret"), e.getMessage());
  }

  @Test
  void aCertificateForAnotherHostIsRefusedUnlessVerifyHostIsFalse() throws Exception {
    String url = "amqps://127.0.0.1:" + otherHost.tlsPort() + "/?" + trust("other");
    JMSException e =
        assertThrows(
            JMSException.class, () -> WarrenConnectionFactory.forUrl(url).createConnection());
    assertTrue(e.getMessage().contains("127.0.0.1:" + otherHost.tlsPort()), e.getMessage());
    assertFalse(e.getMessage().contains("trustpw"), e.getMessage());
    roundTrip(url + "&verifyHost=false");
  }

  @Test
  void aTrustStoreThatCannotBeReadIsNamedWithoutItsPassword() {
    JMSException e =
        assertThrows(
            JMSException.class,
            () ->
                WarrenConnectionFactory.forUrl(
                    "amqps://127.0.0.1:1/?trustStore=/nonexistent.p12&trustStorePassword=hush"));
    assertTrue(e.getMessage().contains("trustStore"), e.getMessage());
    assertFalse(e.getMessage().contains("hush"), e.getMessage());
  }
}
