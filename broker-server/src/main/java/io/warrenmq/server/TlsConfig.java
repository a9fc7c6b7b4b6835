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
 * IllegalArgumentException} whose message is {@code <key>: <problem>}, the key being the {@code
 * ssl_options} key to fix ({@code ssl_options.keyfile: /etc/warrenmq/key.pem is not a readable
 * file}), so that the standalone server can point at the line of its configuration file.
 *
 * <p>Client certificates (RabbitMQ's peer verification): {@code verify_none} (the default) asks for
 * none; {@code verify_peer} asks for one and, if the client sends one, accepts it only if it chains
 * to a certificate of {@code cacertfile} through at most {@code depth} intermediates; with {@code
 * fail_if_no_peer_cert = true} a client that sends none is refused in the handshake.
 *
 * <p>Thread-safety: immutable. {@link #toString()} never prints the password.
 */
public final class TlsConfig {
  /**
   * The default {@code ssl_options.depth}: 10, Erlang/OTP's, which is what a RabbitMQ node uses.
   * Erlang's ssl documentation (option {@code depth},
   * https://www.erlang.org/doc/apps/ssl/ssl.html#t:common_option_cert/0): "Maximum number of
   * non-self-issued intermediate certificates that can follow the peer certificate in a valid
   * certification path [...] The default value is 10." RabbitMQ hands {@code depth} to Erlang only
   * when its configuration sets it: {@code rabbit.schema} has no default for {@code
   * ssl_options.depth} and the {@code rabbit} application's {@code ssl_options} default is {@code
   * []}. RabbitMQ's "TLS Support" guide (https://www.rabbitmq.com/docs/ssl, "Certificate Chains and
   * Verification Depth") says "The default depth is 1", which the node does not do: checked with
   * RabbitMQ 3.10.8 ({@code rabbitmqctl eval 'application:get_env(rabbit, ssl_options).'} answers
   * {@code {ok,[]}}) on Erlang/OTP 25, whose ssl 10.8.7 turns a server's options without {@code
   * depth} into {@code depth => 10}.
   */
  public static final int DEFAULT_DEPTH = 10;

  /**
   * The largest {@code ssl_options.depth}: 255, the range of RabbitMQ's {@code byte} validator on
   * that key.
   */
  public static final int MAX_DEPTH = 255;

  /**
   * The {@code ssl_options.versions.N} values accepted, in RabbitMQ's spelling ({@code TLSv1.2} and
   * {@code TLSv1.3} are accepted too); Java 17 disables TLS 1.0 and 1.1.
   */
  public static final List<String> VERSIONS = List.of("tlsv1.2", "tlsv1.3");

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

  /**
   * How clients' certificates are treated, in words, for logs and the standalone server's banner:
   * {@code not asked for (verify_none)}, {@code verified when sent (verify_peer, depth 10)} or
   * {@code required (verify_peer, fail_if_no_peer_cert, depth 10)}.
   */
  public String clientCertificates() {
    if (!verifyPeer) {
      return "not asked for (verify_none)";
    }
    return (failIfNoPeerCert
            ? "required (verify_peer, fail_if_no_peer_cert"
            : "verified when sent (verify_peer")
        + ", depth "
        + depth
        + ")";
  }

  /** Equal when every setting is equal (the password too). */
  @Override
  public boolean equals(Object o) {
    return o instanceof TlsConfig t
        && Objects.equals(certFile, t.certFile)
        && Objects.equals(keyFile, t.keyFile)
        && Objects.equals(password, t.password)
        && Objects.equals(caCertFile, t.caCertFile)
        && verifyPeer == t.verifyPeer
        && failIfNoPeerCert == t.failIfNoPeerCert
        && depth == t.depth
        && versions.equals(t.versions)
        && ciphers.equals(t.ciphers)
        && honorCipherOrder == t.honorCipherOrder;
  }

  @Override
  public int hashCode() {
    return Objects.hash(certFile, keyFile, caCertFile, verifyPeer, depth, versions, ciphers);
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

    /**
     * {@code ssl_options.depth}: how many intermediate CA certificates may stand between a client's
     * certificate and one of {@code cacertfile}, 0-{@value TlsConfig#MAX_DEPTH} (default {@value
     * TlsConfig#DEFAULT_DEPTH}, Erlang's: see {@link TlsConfig#DEFAULT_DEPTH}).
     */
    public Builder depth(int depth) {
      this.depth = depth;
      return this;
    }

    /**
     * Adds {@code ssl_options.versions.N}: one of {@link TlsConfig#VERSIONS}, {@code tlsv1.2} or
     * {@code tlsv1.3} (RabbitMQ's spelling; the JDK's {@code TLSv1.3} is accepted too).
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
            "ssl_options.certfile: not set; a TLS listener needs the server's certificate (PEM)");
      }
      if (keyFile == null) {
        throw new IllegalArgumentException(
            "ssl_options.keyfile: not set; a TLS listener needs the server's private key (PEM)");
      }
      if (failIfNoPeerCert && !verifyPeer) {
        throw new IllegalArgumentException(
            "ssl_options.fail_if_no_peer_cert: true needs ssl_options.verify = verify_peer"
                + " (with verify_none no client certificate is asked for)");
      }
      if (verifyPeer && caCertFile == null) {
        throw new IllegalArgumentException(
            "ssl_options.verify: verify_peer needs ssl_options.cacertfile, the CA certificates"
                + " (PEM) that client certificates must chain to");
      }
      if (depth < 0 || depth > MAX_DEPTH) {
        throw new IllegalArgumentException(
            "ssl_options.depth: must be between 0 and " + MAX_DEPTH + ", was " + depth);
      }
      for (int i = 0; i < versions.size(); i++) {
        String v = versions.get(i);
        String lower = Objects.requireNonNullElse(v, "").toLowerCase(Locale.ROOT);
        if (!VERSIONS.contains(lower)) {
          throw new IllegalArgumentException(
              "ssl_options.versions: '"
                  + v
                  + "' is not "
                  + String.join(" or ", VERSIONS)
                  + " (Java 17 disables TLS 1.0 and 1.1)");
        }
        versions.set(i, "TLSv" + lower.substring("tlsv".length())); // the JDK's spelling
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
