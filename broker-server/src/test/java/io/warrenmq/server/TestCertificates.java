package io.warrenmq.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A throw-away PKI for TLS tests, made with the JDK's own {@code keytool} (no BouncyCastle, no
 * OpenSSL): a CA, a server certificate it signs (for {@code 127.0.0.1} and {@code localhost}), a
 * client certificate it signs, one signed by an intermediate CA it signs, and a self-signed "rogue"
 * client certificate no CA vouches for. The server side is written as RabbitMQ takes it, PEM files
 * ({@link #caPem}, {@link #serverCertPem}, {@link #serverKeyPem} in PKCS#8); the client side is JDK
 * {@link SSLContext}s for RabbitMQ's Java client, and PEM files for clients in other languages
 * (pika, amqplib: {@link #caPem}, {@link #clientCertPem}, {@link #clientKeyPem}), the files
 * RabbitMQ's TLS guide has every client load. EC P-256 keys, valid for two days.
 *
 * <p>Public for the tests of other packages (the standalone server's, {@code
 * io.warrenmq.server.clients}).
 */
public final class TestCertificates {
  private static final String PASS = "changeit";

  /** The directory the files are in. */
  public final Path dir;

  /** The CA's certificate (PEM): the trust anchor of both sides. */
  public final Path caPem;

  /** The server's certificate (PEM), for {@code 127.0.0.1} and {@code localhost}. */
  public final Path serverCertPem;

  /**
   * The server's certificate followed by the CA's (PEM): the chain RabbitMQ sends when its {@code
   * certfile} holds only the server's certificate, since Erlang completes the chain from {@code
   * cacertfile}; as WarrenMQ's {@code certfile} it makes the server send the same.
   */
  public final Path serverChainPem;

  /** The server's private key (unencrypted PKCS#8 PEM). */
  public final Path serverKeyPem;

  /** The client certificate the CA signed ({@code CN=app}, PEM). */
  public final Path clientCertPem;

  /** The private key of {@link #clientCertPem} (unencrypted PKCS#8 PEM). */
  public final Path clientKeyPem;

  /** The CA's certificate. */
  public final X509Certificate ca;

  private final KeyStore client;
  private final KeyStore rogue;
  private final KeyStore viaIntermediate;

  private TestCertificates(Path dir) throws IOException, GeneralSecurityException {
    this.dir = dir;
    // each identity in its own store, so that keytool runs side by side, in three rounds
    keytools(
        genkeypair("ca", "CN=WarrenMQ test CA", "-ext", "bc:c"),
        genkeypair("server", "CN=localhost"),
        genkeypair("client", "CN=app"),
        genkeypair("inter", "CN=WarrenMQ test intermediate CA"),
        genkeypair("deep", "CN=deep app"),
        genkeypair("rogue", "CN=rogue"));
    keytools(
        keytool("ca", "-exportcert", "-rfc", "-file", "ca.pem"),
        keytool("server", "-certreq", "-file", "server.csr"),
        keytool("client", "-certreq", "-file", "client.csr"),
        keytool("inter", "-certreq", "-file", "inter.csr"),
        keytool("deep", "-certreq", "-file", "deep.csr"));
    // the intermediate signs with its own key: the issuer name and key are the same whether its
    // certificate in inter.p12 is the self-signed one or the one the CA signs in this round
    keytools(
        gencert("ca", "server", "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth"),
        gencert("ca", "client", "-ext", "eku=clientAuth"),
        gencert("ca", "inter", "-ext", "bc:c=ca:true"),
        gencert("inter", "deep", "-ext", "eku=clientAuth"));
    caPem = dir.resolve("ca.pem");
    ca = readCertificates(caPem).get(0);
    serverCertPem = dir.resolve("server.pem");
    serverKeyPem = dir.resolve("server.key");
    serverChainPem = dir.resolve("server-chain.pem");
    Files.writeString(
        serverChainPem, Files.readString(serverCertPem) + "\n" + Files.readString(caPem));
    writePkcs8Pem(key("server"), serverKeyPem);
    clientCertPem = dir.resolve("client.pem");
    clientKeyPem = dir.resolve("client.key");
    writePkcs8Pem(key("client"), clientKeyPem);
    client = keyStore(key("client"), readCertificates(clientCertPem).get(0), ca);
    X509Certificate inter = readCertificates(dir.resolve("inter.pem")).get(0);
    viaIntermediate =
        keyStore(key("deep"), readCertificates(dir.resolve("deep.pem")).get(0), inter);
    rogue =
        keyStore(
            key("rogue"),
            (X509Certificate) store("rogue").getCertificate("rogue"),
            (X509Certificate) null);
  }

  /** Makes the PKI in {@code dir} (fifteen keytool runs, in three rounds run side by side). */
  public static TestCertificates create(Path dir) throws IOException, GeneralSecurityException {
    return new TestCertificates(dir);
  }

  /** TLS for a client that trusts the CA and presents no certificate. */
  public SSLContext clientWithoutCertificate() throws GeneralSecurityException, IOException {
    return context(null);
  }

  /** TLS for a client that trusts the CA and presents the certificate the CA signed. */
  public SSLContext clientWithTrustedCertificate() throws GeneralSecurityException, IOException {
    return context(client);
  }

  /**
   * TLS for a client that trusts the CA and presents a certificate signed by an intermediate CA
   * that the CA signed (one intermediate: Erlang's {@code depth} 1).
   */
  public SSLContext clientWithCertificateViaIntermediate()
      throws GeneralSecurityException, IOException {
    return context(viaIntermediate);
  }

  /** TLS for a client that trusts the CA and presents a self-signed certificate. */
  public SSLContext clientWithRogueCertificate() throws GeneralSecurityException, IOException {
    return context(rogue);
  }

  private SSLContext context(KeyStore identity) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManager[] keys = null;
    if (identity != null) {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      kmf.init(identity, PASS.toCharArray());
      keys = new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keys, tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * Presents the client's certificate whatever CAs the server names in its certificate request: the
   * JDK's key manager would otherwise keep a certificate no named CA issued to itself, and a test
   * of the server's verification would test nothing.
   */
  private static final class AlwaysPresent extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;

    AlwaysPresent(X509ExtendedKeyManager keys) {
      this.keys = keys;
    }

    private String alias() {
      return keys.getClientAliases("EC", null)[0];
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return alias();
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return alias();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return keys.getClientAliases(keyType, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return keys.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return keys.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys.getPrivateKey(alias);
    }
  }

  /** Writes {@code key} as an unencrypted PKCS#8 PEM file ("BEGIN PRIVATE KEY"). */
  static void writePkcs8Pem(PrivateKey key, Path file) throws IOException {
    writePem("PRIVATE KEY", key.getEncoded(), file);
  }

  /**
   * Writes {@code key} as an encrypted PKCS#8 PEM file ("BEGIN ENCRYPTED PRIVATE KEY"), PBES2 with
   * PBKDF2-HMAC-SHA256 and AES-256-CBC, what {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes.
   */
  static void writeEncryptedPkcs8(PrivateKey key, String password, Path file)
      throws IOException, GeneralSecurityException {
    String alg = "PBEWithHmacSHA256AndAES_256";
    SecureRandom random = new SecureRandom();
    byte[] salt = new byte[16];
    byte[] iv = new byte[16];
    random.nextBytes(salt);
    random.nextBytes(iv);
    SecretKey secret =
        SecretKeyFactory.getInstance(alg).generateSecret(new PBEKeySpec(password.toCharArray()));
    Cipher cipher = Cipher.getInstance(alg);
    cipher.init(
        Cipher.ENCRYPT_MODE, secret, new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
    byte[] encrypted = cipher.doFinal(key.getEncoded());
    // EncryptedPrivateKeyInfo(AlgorithmParameters, byte[]) of Java 17 cannot name PBES2, so the
    // DER is put together here: SEQUENCE { SEQUENCE { OID pkcs5PBES2, PBES2-params }, OCTET
    // STRING encrypted } (RFC 5958, RFC 8018)
    byte[] pbes2 = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 5, 13};
    byte[] algorithm = der(0x30, concat(pbes2, cipher.getParameters().getEncoded()));
    byte[] info = der(0x30, concat(algorithm, der(0x04, encrypted)));
    new EncryptedPrivateKeyInfo(info); // parses: the JDK reads what Netty will read
    writePem("ENCRYPTED PRIVATE KEY", info, file);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] length =
        n < 0x80
            ? new byte[] {(byte) n}
            : n < 0x100
                ? new byte[] {(byte) 0x81, (byte) n}
                : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    return concat(new byte[] {(byte) tag}, concat(length, content));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static void writePem(String type, byte[] der, Path file) throws IOException {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    Files.writeString(
        file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }

  /** The private key of {@code alias}, from its keytool store. */
  PrivateKey key(String alias) throws IOException, GeneralSecurityException {
    return (PrivateKey) store(alias).getKey(alias, PASS.toCharArray());
  }

  private KeyStore store(String alias) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
      ks.load(in, PASS.toCharArray());
    }
    return ks;
  }

  private static KeyStore keyStore(PrivateKey key, X509Certificate cert, X509Certificate issuer)
      throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    Certificate[] chain =
        issuer == null ? new Certificate[] {cert} : new Certificate[] {cert, issuer};
    ks.setKeyEntry("me", key, PASS.toCharArray(), chain);
    return ks;
  }

  static List<X509Certificate> readCertificates(Path pem)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(pem))) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
    }
    return out;
  }

  private static List<String> genkeypair(String alias, String dname, String... more) {
    List<String> c = keytool(alias, "-genkeypair", "-dname", dname);
    c.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    c.addAll(List.of(more));
    return c;
  }

  /** {@code issuer} signs the request {@code subject}.csr into {@code subject}.pem. */
  private static List<String> gencert(String issuer, String subject, String... more) {
    List<String> c = keytool(issuer, "-gencert", "-rfc", "-validity", "2");
    c.addAll(List.of("-infile", subject + ".csr", "-outfile", subject + ".pem"));
    c.addAll(List.of(more));
    return c;
  }

  /** A keytool command on the store {@code alias}.p12 and its entry {@code alias}. */
  private static List<String> keytool(String alias, String... args) {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    c.addAll(List.of(args));
    c.addAll(List.of("-alias", alias, "-keystore", alias + ".p12", "-storetype", "PKCS12"));
    c.addAll(List.of("-storepass", PASS, "-noprompt"));
    return c;
  }

  /** Runs the JDK's keytool commands side by side in {@link #dir}; fails with the output. */
  @SafeVarargs
  private void keytools(List<String>... commands) throws IOException {
    List<Process> running = new ArrayList<>();
    for (List<String> c : commands) {
      running.add(new ProcessBuilder(c).directory(dir.toFile()).redirectErrorStream(true).start());
    }
    for (int i = 0; i < commands.length; i++) {
      Process p = running.get(i);
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IOException(String.join(" ", commands[i]) + " failed: " + output);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted running keytool", e);
      }
    }
  }
}
