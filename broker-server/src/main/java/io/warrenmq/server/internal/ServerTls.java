package io.warrenmq.server.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.warrenmq.server.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server side of TLS for an {@code amqps} listener, built once from a {@link TlsConfig}: the
 * JDK's TLS ({@link SslProvider#JDK}) through Netty's {@link SslContext}, with RabbitMQ's semantics
 * for {@code ssl_options} (verify, fail_if_no_peer_cert, depth as Erlang's ssl counts it: the
 * intermediates allowed between a client certificate and a trusted CA, {@link DepthLimit}).
 *
 * <p>Files are read here, once, at start-up: every problem is an {@link IllegalArgumentException}
 * whose message is {@code <ssl_options key>: <problem>} and names the file, never a stack trace at
 * the first handshake.
 *
 * <p>Thread-safety: immutable; {@link #install} may be called from any event loop.
 */
public final class ServerTls {
  private final SslContext context;
  private final boolean honorCipherOrder;

  private ServerTls(SslContext context, boolean honorCipherOrder) {
    this.context = context;
    this.honorCipherOrder = honorCipherOrder;
  }

  /**
   * Reads the files of {@code config} and builds the TLS context.
   *
   * @throws IllegalArgumentException naming the {@code ssl_options} key and file that are wrong
   */
  public static ServerTls of(TlsConfig config) {
    List<X509Certificate> chain = certificates(config.certFile(), "ssl_options.certfile");
    SslContextBuilder b;
    try {
      b =
          SslContextBuilder.forServer(
              config.certFile().toFile(), config.keyFile().toFile(), config.password());
    } catch (IllegalArgumentException e) {
      // the certificates were read above, so what Netty could not read is the key
      throw new IllegalArgumentException(keyProblem(config), e);
    }
    b.sslProvider(SslProvider.JDK);
    if (config.verifyPeer()) {
      b.clientAuth(config.failIfNoPeerCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
      b.trustManager(trustManagers(config));
    } else {
      b.clientAuth(ClientAuth.NONE);
      if (config.caCertFile() != null) {
        certificates(config.caCertFile(), "ssl_options.cacertfile"); // checked, not used
      }
    }
    if (!config.versions().isEmpty()) {
      b.protocols(config.versions());
    }
    if (!config.ciphers().isEmpty()) {
      b.ciphers(jdkCipherNames(config.ciphers()));
    }
    SslContext context;
    try {
      context = b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "ssl_options.keyfile: "
              + config.keyFile()
              + " and ssl_options.certfile "
              + config.certFile()
              + " (certificate for "
              + chain.get(0).getSubjectX500Principal()
              + ") cannot make a TLS context: "
              + e.getMessage(),
          e);
    }
    return new ServerTls(context, config.honorCipherOrder());
  }

  /**
   * Puts TLS at the front of a new connection's pipeline: the {@link SslHandler}, then the handler
   * that logs and closes on TLS failures ({@link TlsFailures}); the AMQP handler goes after them.
   */
  public void install(ChannelPipeline pipeline, ByteBufAllocator alloc) {
    pipeline.addLast("tls", newHandler(alloc));
    pipeline.addLast("tls-failures", new TlsFailures());
  }

  private SslHandler newHandler(ByteBufAllocator alloc) {
    SslHandler handler = context.newHandler(alloc);
    if (honorCipherOrder) {
      SSLEngine engine = handler.engine();
      SSLParameters params = engine.getSSLParameters();
      params.setUseCipherSuitesOrder(true);
      engine.setSSLParameters(params);
    }
    return handler;
  }

  private static String keyProblem(TlsConfig config) {
    Path key = config.keyFile();
    if (!Files.isReadable(key)) {
      return "ssl_options.keyfile: " + key + " is not a readable file";
    }
    String pem;
    try {
      pem = Files.readString(key, java.nio.charset.StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      pem = "";
    }
    if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
      return "ssl_options.keyfile: "
          + key
          + " holds a PKCS#1/SEC1 key ('BEGIN RSA PRIVATE KEY' or 'BEGIN EC PRIVATE KEY');"
          + " WarrenMQ reads PKCS#8 ('BEGIN PRIVATE KEY' or 'BEGIN ENCRYPTED PRIVATE KEY'):"
          + " convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY8'";
    }
    if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
      return config.password() == null
          ? "ssl_options.keyfile: " + key + " is encrypted and ssl_options.password is not set"
          : "ssl_options.password: does not decrypt ssl_options.keyfile " + key;
    }
    return "ssl_options.keyfile: " + key + " holds no PKCS#8 private key in PEM";
  }

  /** The certificates of a PEM file (one or more), or an error naming {@code key}. */
  private static List<X509Certificate> certificates(Path file, String key) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(key + ": " + file + " is not a readable file");
    }
    Collection<? extends Certificate> read;
    try (InputStream in = Files.newInputStream(file)) {
      read = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          key + ": " + file + " holds no readable X.509 certificate in PEM: " + e.getMessage(), e);
    }
    if (read.isEmpty()) {
      throw new IllegalArgumentException(
          key + ": " + file + " holds no certificate ('BEGIN CERTIFICATE' in PEM)");
    }
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate c : read) {
      out.add((X509Certificate) c);
    }
    return out;
  }

  /**
   * PKIX trust in the CA certificates of {@code cacertfile}, without revocation checks (RabbitMQ
   * checks none unless configured to), limited to {@code depth} intermediates.
   */
  private static TrustManager trustManagers(TlsConfig config) {
    List<X509Certificate> cas = certificates(config.caCertFile(), "ssl_options.cacertfile");
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate ca : cas) {
      anchors.add(new TrustAnchor(ca, null));
    }
    try {
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
      params.setRevocationEnabled(false);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(new CertPathTrustManagerParameters(params));
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager pkix) {
          return new DepthLimit(pkix, Set.copyOf(cas), config.depth());
        }
      }
      throw new IllegalStateException("the JDK's PKIX trust manager factory made no X.509 one");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "ssl_options.cacertfile: " + config.caCertFile() + " cannot be trusted: " + e, e);
    }
  }

  /**
   * Erlang's {@code depth} on top of PKIX: a client chain may hold at most {@code depth}
   * certificates between the client's own and a CA of {@code cacertfile} (those the client sends
   * that are themselves in {@code cacertfile} do not count). The JDK's PKIX validator ignores
   * {@code PKIXBuilderParameters.setMaxPathLength} for a chain the peer sent whole, hence this
   * check after it.
   */
  private static final class DepthLimit extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Set<X509Certificate> cas;
    private final int depth;

    DepthLimit(X509ExtendedTrustManager pkix, Set<X509Certificate> cas, int depth) {
      this.pkix = pkix;
      this.cas = cas;
      this.depth = depth;
    }

    private void checkDepth(X509Certificate[] chain) throws CertificateException {
      int intermediates = 0;
      for (int i = 1; i < chain.length; i++) {
        if (!cas.contains(chain[i])) {
          intermediates++;
        }
      }
      if (intermediates > depth) {
        throw new CertificateException(
            "client certificate chain has "
                + intermediates
                + " intermediate CA certificates, over ssl_options.depth = "
                + depth);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType, engine);
      checkDepth(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType, socket);
      checkDepth(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType);
      checkDepth(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }
  }

  /** The JDK's names of the cipher suites, each given as an OpenSSL or a JDK (IANA) name. */
  private static List<String> jdkCipherNames(List<String> names) {
    Set<String> supported;
    try {
      supported =
          new HashSet<>(
              Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no default TLS context", e);
    }
    List<String> out = new ArrayList<>();
    for (String name : names) {
      String jdk = supported.contains(name) ? name : CipherSuiteConverter.toJava(name, "TLS");
      if (jdk == null || !supported.contains(jdk)) {
        throw new IllegalArgumentException(
            "ssl_options.ciphers: '"
                + name
                + "' is not a cipher suite this JDK supports (OpenSSL names such as"
                + " ECDHE-RSA-AES256-GCM-SHA384 and IANA names such as"
                + " TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 are accepted)");
      }
      out.add(jdk);
    }
    return out;
  }
}
