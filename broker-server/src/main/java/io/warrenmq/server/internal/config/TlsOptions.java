package io.warrenmq.server.internal.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ssl_options.*} keys of RabbitMQ's TLS listeners (https://www.rabbitmq.com/docs/ssl),
 * read and validated. WarrenMQ has no TLS listener yet: a configured {@code listeners.ssl.*} is
 * refused at start-up, and these options wait for it.
 *
 * <p>Thread-safety: immutable.
 */
public final class TlsOptions {
  /** The TLS versions the JDK's TLS offers by default (1.0 and 1.1 are disabled in Java 17). */
  public static final List<String> VERSIONS = List.of("tlsv1.2", "tlsv1.3");

  private final Path caCertFile;
  private final Path certFile;
  private final Path keyFile;
  private final String password;
  private final boolean verifyPeer;
  private final boolean failIfNoPeerCert;
  private final int depth;
  private final List<String> versions;
  private final List<String> ciphers;
  private final boolean honorCipherOrder;

  private TlsOptions(Builder b) {
    caCertFile = b.caCertFile;
    certFile = b.certFile;
    keyFile = b.keyFile;
    password = b.password;
    verifyPeer = b.verifyPeer;
    failIfNoPeerCert = b.failIfNoPeerCert;
    depth = b.depth;
    versions = List.copyOf(b.versions);
    ciphers = List.copyOf(b.ciphers);
    honorCipherOrder = b.honorCipherOrder;
  }

  /** {@code ssl_options.cacertfile}: the CA certificates (PEM) that verify peers, or null. */
  public Path caCertFile() {
    return caCertFile;
  }

  /** {@code ssl_options.certfile}: the server's certificate chain (PEM), or null. */
  public Path certFile() {
    return certFile;
  }

  /** {@code ssl_options.keyfile}: the server's private key (PEM), or null. */
  public Path keyFile() {
    return keyFile;
  }

  /** {@code ssl_options.password}: the private key's password, or null. Never print it. */
  public String password() {
    return password;
  }

  /** {@code ssl_options.verify = verify_peer} (default {@code verify_none}). */
  public boolean verifyPeer() {
    return verifyPeer;
  }

  /** {@code ssl_options.fail_if_no_peer_cert} (default false). */
  public boolean failIfNoPeerCert() {
    return failIfNoPeerCert;
  }

  /** {@code ssl_options.depth}: the longest certificate chain accepted (default 1). */
  public int depth() {
    return depth;
  }

  /** {@code ssl_options.versions.*}; empty means the JDK's defaults. */
  public List<String> versions() {
    return versions;
  }

  /** {@code ssl_options.ciphers.*}; empty means the JDK's defaults. */
  public List<String> ciphers() {
    return ciphers;
  }

  /** {@code ssl_options.honor_cipher_order} (default false). */
  public boolean honorCipherOrder() {
    return honorCipherOrder;
  }

  @Override
  public String toString() {
    return "TlsOptions[cacertfile="
        + caCertFile
        + ", certfile="
        + certFile
        + ", keyfile="
        + keyFile
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
        + "]";
  }

  /** Collects the options while a file is read. Not thread-safe. */
  static final class Builder {
    Path caCertFile;
    Path certFile;
    Path keyFile;
    String password;
    boolean verifyPeer;
    boolean failIfNoPeerCert;
    int depth = 1;
    final List<String> versions = new ArrayList<>();
    final List<String> ciphers = new ArrayList<>();
    boolean honorCipherOrder;

    TlsOptions build() {
      return new TlsOptions(this);
    }
  }
}
