package io.warrenmq.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The TLS settings of an {@code amqps} listener, named after RabbitMQ's {@code ssl_options.*} keys
 * (RabbitMQ doc "TLS Support"), which take PEM files: the server's certificate chain and private
 * key, and the CA certificates that verify client certificates. TLS is the JDK's ({@code
 * SSLEngine}, through Netty's {@code SslHandler}); no OpenSSL.
 *
 * <p>Built with {@link #builder()}; {@link Builder#build()} checks the settings against each other
 * and {@link WarrenServer#start} reads the files. Every error is an {@link
 * IllegalArgumentException} whose message starts with the {@code ssl_options} key that is wrong.
 *
 * <p>Client certificates (RabbitMQ's peer verification): {@code verify_none} (the default) asks for
 * none; {@code verify_peer} asks for one and, if the client sends one, accepts it only if it chains
 * to a certificate of {@code cacertfile} through at most {@code depth} intermediates; with {@code
 * fail_if_no_peer_cert = true} a client that sends none is refused in the handshake.
 *
 * <p>Thread-safety: immutable. {@link #toString()} never prints the password.
 */
public final class TlsConfig {
  /** Erlang/OTP's default {@code depth} (its ssl application), which RabbitMQ uses. */
  public static final int DEFAULT_DEPTH = 10;

  private final Path certFile;
  private final Path keyFile;
  private final String password;
  private final Path caCertFile;
  private final boolean verifyPeer;
  private final boolean failIfNoPeerCert;
  private final int depth;
  private final List<String> versions;
  private final List<String> ciphers;
  private final boolean honorCipherOrder;

  private TlsConfig(Builder b) {
    certFile = b.certFile;
    keyFile = b.keyFile;
    password = b.password;
    caCertFile = b.caCertFile;
    verifyPeer = b.verifyPeer;
    failIfNoPeerCert = b.failIfNoPeerCert;
    depth = b.depth;
    versions = List.copyOf(b.versions);
    ciphers = List.copyOf(b.ciphers);
    honorCipherOrder = b.honorCipherOrder;
  }

  /** A builder with RabbitMQ's defaults: {@code verify_none}, no versions or ciphers set. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code ssl_options.certfile}: the server's certificate, then any intermediates (PEM). */
  public Path certFile() {
    return certFile;
  }

  /** {@code ssl_options.keyfile}: the server's private key, PKCS#8 PEM. */
  public Path keyFile() {
    return keyFile;
  }

  /** {@code ssl_options.password}: the password of an encrypted key file, or null. */
  public String password() {
    return password;
  }

  /** {@code ssl_options.cacertfile}: the CA certificates client certificates chain to, or null. */
  public Path caCertFile() {
    return caCertFile;
  }

  /** {@code ssl_options.verify}: true for {@code verify_peer}, false for {@code verify_none}. */
  public boolean verifyPeer() {
    return verifyPeer;
  }

  /** {@code ssl_options.fail_if_no_peer_cert}. */
  public boolean failIfNoPeerCert() {
    return failIfNoPeerCert;
  }

  /** {@code ssl_options.depth}: intermediates allowed between a client certificate and a CA. */
  public int depth() {
    return depth;
  }

  /** {@code ssl_options.versions.*} as the JDK names them ({@code TLSv1.3}); empty = the JDK's. */
  public List<String> versions() {
    return versions;
  }

  /** {@code ssl_options.ciphers.*} as given (OpenSSL or IANA names); empty = the JDK's. */
  public List<String> ciphers() {
    return ciphers;
  }

  /** {@code ssl_options.honor_cipher_order}: the server's cipher order wins. */
  public boolean honorCipherOrder() {
    return honorCipherOrder;
  }

  @Override
  public String toString() {
    return "TlsConfig[certfile="
        + certFile
        + ", keyfile="
        + keyFile
        + (password != null ? ", password=********" : "")
        + ", cacertfile="
        + caCertFile
        + ", verify="
        + (verifyPeer ? "verify_peer" : "verify_none")
        + ", fail_if_no_peer_cert="
        + failIfNoPeerCert
        + ", depth="
        + depth
        + ", versions="
        + versions
        + ", ciphers="
        + ciphers
        + ", honor_cipher_order="
        + honorCipherOrder
        + "]";
  }

  /** Collects the settings; not thread-safe. */
  public static final class Builder {
    private Path certFile;
    private Path keyFile;
    private String password;
    private Path caCertFile;
    private boolean verifyPeer;
    private boolean failIfNoPeerCert;
    private int depth = DEFAULT_DEPTH;
    private final List<String> versions = new ArrayList<>();
    private final List<String> ciphers = new ArrayList<>();
    private boolean honorCipherOrder;

    private Builder() {}

    /** {@code ssl_options.certfile} (required). */
    public Builder certFile(Path pem) {
      this.certFile = pem;
      return this;
    }

    /** {@code ssl_options.keyfile} (required): PKCS#8, plain or encrypted. */
    public Builder keyFile(Path pem) {
      this.keyFile = pem;
      return this;
    }

    /** {@code ssl_options.password}: for an encrypted key file; null for none. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** {@code ssl_options.cacertfile}: required with {@code verify_peer}. */
    public Builder caCertFile(Path pem) {
      this.caCertFile = pem;
      return this;
    }

    /** {@code ssl_options.verify = verify_peer} (true) or {@code verify_none} (false, default). */
    public Builder verifyPeer(boolean verifyPeer) {
      this.verifyPeer = verifyPeer;
      return this;
    }

    /** {@code ssl_options.fail_if_no_peer_cert} (default false); needs {@code verify_peer}. */
    public Builder failIfNoPeerCert(boolean fail) {
      this.failIfNoPeerCert = fail;
      return this;
    }

    /** {@code ssl_options.depth}, 0-255 (default {@value TlsConfig#DEFAULT_DEPTH}). */
    public Builder depth(int depth) {
      this.depth = depth;
      return this;
    }

    /**
     * Adds {@code ssl_options.versions.N}: {@code tlsv1.2} or {@code tlsv1.3} (RabbitMQ's spelling;
     * the JDK's {@code TLSv1.3} is accepted too). Java 17 disables TLS 1.0 and 1.1.
     */
    public Builder version(String version) {
      this.versions.add(version);
      return this;
    }

    /**
     * Adds {@code ssl_options.ciphers.N}: an OpenSSL name as RabbitMQ takes them ({@code
     * ECDHE-RSA-AES256-GCM-SHA384}) or the IANA/JDK name ({@code
     * TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384}); checked against the JDK's suites at start.
     */
    public Builder cipher(String cipher) {
      this.ciphers.add(cipher);
      return this;
    }

    /** {@code ssl_options.honor_cipher_order} (default false). */
    public Builder honorCipherOrder(boolean honor) {
      this.honorCipherOrder = honor;
      return this;
    }

    /**
     * The settings, checked against each other (the files are read by {@link WarrenServer#start}).
     *
     * @throws IllegalArgumentException naming the {@code ssl_options} key that is missing or wrong
     */
    public TlsConfig build() {
      if (certFile == null) {
        throw new IllegalArgumentException(
            "ssl_options.certfile is not set: a TLS listener needs the server's certificate (PEM)");
      }
      if (keyFile == null) {
        throw new IllegalArgumentException(
            "ssl_options.keyfile is not set: a TLS listener needs the server's private key (PEM)");
      }
      if (failIfNoPeerCert && !verifyPeer) {
        throw new IllegalArgumentException(
            "ssl_options.fail_if_no_peer_cert = true needs ssl_options.verify = verify_peer"
                + " (with verify_none no client certificate is asked for)");
      }
      if (verifyPeer && caCertFile == null) {
        throw new IllegalArgumentException(
            "ssl_options.verify = verify_peer needs ssl_options.cacertfile: the CA certificates"
                + " (PEM) that client certificates must chain to");
      }
      if (depth < 0 || depth > 255) {
        throw new IllegalArgumentException(
            "ssl_options.depth must be between 0 and 255, was " + depth);
      }
      for (int i = 0; i < versions.size(); i++) {
        String v = versions.get(i);
        String jdk =
            switch (Objects.requireNonNullElse(v, "").toLowerCase(Locale.ROOT)) {
              case "tlsv1.2" -> "TLSv1.2";
              case "tlsv1.3" -> "TLSv1.3";
              default ->
                  throw new IllegalArgumentException(
                      "ssl_options.versions: '"
                          + v
                          + "' is not tlsv1.2 or tlsv1.3 (Java 17 disables TLS 1.0 and 1.1)");
            };
        versions.set(i, jdk);
      }
      for (String c : ciphers) {
        if (c == null || c.isBlank()) {
          throw new IllegalArgumentException("ssl_options.ciphers: a cipher suite name is empty");
        }
      }
      return new TlsConfig(this);
    }
  }
}
