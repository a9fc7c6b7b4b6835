package io.warrenmq.jms.internal.wire;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of {@code amqps}: the JDK's TLS (no OpenSSL) with the URL's trust store (the
 * JVM's default trust when none), an optional key store for a client certificate, and host name
 * verification (HTTPS rules, RFC 2818) unless {@code verifyHost=false}.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
final class WireTls {
  private final SSLContext context;
  private final boolean verifyHost;

  private WireTls(SSLContext context, boolean verifyHost) {
    this.context = context;
    this.verifyHost = verifyHost;
  }

  /**
   * @throws IllegalArgumentException naming the store that cannot be read (never its password)
   */
  static WireTls of(AmqpUrl url) {
    try {
      TrustManagerFactory tmf = null;
      String trustStore = url.options().get("trustStore");
      if (trustStore != null) {
        KeyStore ks =
            load(
                trustStore,
                url.options().get("trustStorePassword"),
                url.options().getOrDefault("trustStoreType", "PKCS12"),
                "trustStore");
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
      }
      KeyManagerFactory kmf = null;
      String keyStore = url.options().get("keyStore");
      if (keyStore != null) {
        String pw = url.options().getOrDefault("keyStorePassword", "");
        KeyStore ks =
            load(keyStore, pw, url.options().getOrDefault("keyStoreType", "PKCS12"), "keyStore");
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw.toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return new WireTls(ctx, url.verifyHost());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "connection URL '" + url + "': cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String file, String password, String type, String option) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      KeyStore ks = KeyStore.getInstance(type);
      ks.load(in, password == null ? null : password.toCharArray());
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "option " + option + ": cannot read " + type + " store '" + file + "': " + e, e);
    }
  }

  /** A client-mode handler for a connection to this host and port. */
  SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    if (verifyHost) {
      SSLParameters p = engine.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(p);
    }
    return new SslHandler(engine);
  }
}
