package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsConfig} and the listener settings of {@link ServerConfig} check RabbitMQ's {@code
 * ssl_options} against each other before anything is read or bound, and every error starts with the
 * key to fix. Reading the files is {@code TlsListenerTest}'s.
 */
class TlsConfigTest {
  private static final Path CERT = Path.of("server.pem");
  private static final Path KEY = Path.of("server.key");
  private static final Path CA = Path.of("ca.pem");

  private static TlsConfig.Builder valid() {
    return TlsConfig.builder().certFile(CERT).keyFile(KEY);
  }

  private static String error(TlsConfig.Builder b) {
    return assertThrows(IllegalArgumentException.class, b::build).getMessage();
  }

  @Test
  void rabbitMqsDefaultsAreVerifyNoneAndErlangsDepth() {
    TlsConfig c = valid().build();
    assertFalse(c.verifyPeer());
    assertFalse(c.failIfNoPeerCert());
    assertEquals(10, c.depth());
    assertEquals(List.of(), c.versions());
    assertEquals(List.of(), c.ciphers());
  }

  @Test
  void aCertificateAndAKeyAreRequired() {
    assertTrue(error(TlsConfig.builder().keyFile(KEY)).startsWith("ssl_options.certfile: not set"));
    assertTrue(
        error(TlsConfig.builder().certFile(CERT)).startsWith("ssl_options.keyfile: not set"));
  }

  @Test
  void failIfNoPeerCertNeedsVerifyPeer() {
    assertEquals(
        "ssl_options.fail_if_no_peer_cert: true needs ssl_options.verify = verify_peer (with"
            + " verify_none no client certificate is asked for)",
        error(valid().failIfNoPeerCert(true).caCertFile(CA)));
  }

  @Test
  void verifyPeerNeedsTheCaCertificates() {
    assertTrue(
        error(valid().verifyPeer(true))
            .startsWith("ssl_options.verify: verify_peer needs ssl_options.cacertfile"));
    assertTrue(valid().verifyPeer(true).caCertFile(CA).build().verifyPeer());
  }

  @Test
  void depthIsBetweenZeroAnd255() {
    assertEquals(
        "ssl_options.depth: must be between 0 and 255, was 256", error(valid().depth(256)));
    assertEquals("ssl_options.depth: must be between 0 and 255, was -1", error(valid().depth(-1)));
    assertEquals(0, valid().depth(0).build().depth());
    assertEquals(TlsConfig.MAX_DEPTH, valid().depth(255).build().depth());
  }

  @Test
  void versionsAreTls12And13InRabbitMqsOrTheJdksSpelling() {
    assertEquals(
        List.of("TLSv1.2", "TLSv1.3"),
        valid().version("tlsv1.2").version("TLSv1.3").build().versions());
    assertEquals(
        "ssl_options.versions: 'tlsv1.1' is not tlsv1.2 or tlsv1.3 (Java 17 disables TLS 1.0 and"
            + " 1.1)",
        error(valid().version("tlsv1.1")));
  }

  @Test
  void theClientCertificateModeIsSaidInRabbitMqsTerms() {
    assertEquals("not asked for (verify_none)", valid().build().clientCertificates());
    assertEquals(
        "verified when sent (verify_peer, depth 10)",
        valid().caCertFile(CA).verifyPeer(true).build().clientCertificates());
    assertEquals(
        "required (verify_peer, fail_if_no_peer_cert, depth 2)",
        valid()
            .caCertFile(CA)
            .verifyPeer(true)
            .failIfNoPeerCert(true)
            .depth(2)
            .build()
            .clientCertificates());
  }

  @Test
  void equalSettingsAreEqual() {
    assertEquals(valid().version("tlsv1.3").build(), valid().version("TLSv1.3").build());
    assertEquals(valid().build().hashCode(), valid().build().hashCode());
    assertNotEquals(valid().build(), valid().depth(3).build());
    assertNotEquals(valid().build(), valid().password("p").build());
  }

  @Test
  void toStringNeverShowsThePassword() {
    String s = valid().password("s3cret-pass").build().toString();
    assertFalse(s.contains("s3cret-pass"), s);
    assertTrue(s.contains("password=********"), s);
  }

  @Test
  void aServerNeedsAtLeastOneListener() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerConfig.defaults().withoutTcpListener().validate());
    assertTrue(e.getMessage().startsWith("no listener"), e.getMessage());
    ServerConfig.defaults()
        .withoutTcpListener()
        .withTlsListener("127.0.0.1", 0, valid().build())
        .validate();
  }

  @Test
  void theTwoListenersCannotShareAnAddress() {
    ServerConfig both =
        ServerConfig.defaults()
            .withListener("127.0.0.1", 5999)
            .withTlsListener("127.0.0.1", 5999, valid().build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, both::validate);
    assertEquals(
        "the TLS listener and the TCP listener are both on 127.0.0.1:5999", e.getMessage());
    IllegalArgumentException port =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ServerConfig.defaults()
                    .withTlsListener("127.0.0.1", 70000, valid().build())
                    .validate());
    assertEquals("TLS listener port must be between 0 and 65535, was 70000", port.getMessage());
  }

  @Test
  void theSevenSettingFormHasNoTlsListenerAndCopiesKeepIt() {
    ServerConfig c =
        new ServerConfig("127.0.0.1", 0, 2047, 131072, 60, 1024, java.util.Set.of("guest"));
    assertEquals(null, c.tlsListener());
    assertTrue(c.hasTcpListener());
    TlsConfig tls = valid().build();
    ServerConfig copied =
        c.withTlsListener("0.0.0.0", ServerConfig.DEFAULT_TLS_PORT, tls)
            .withHeartbeat(30)
            .withListener("127.0.0.1", 1);
    assertEquals(new ServerConfig.TlsListener("0.0.0.0", 5671, tls), copied.tlsListener());
  }
}
