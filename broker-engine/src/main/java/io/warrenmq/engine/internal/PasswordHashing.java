package io.warrenmq.engine.internal;

import io.warrenmq.engine.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * RabbitMQ's password hashing (https://www.rabbitmq.com/docs/passwords, "Computing a password
 * hash"): base64 of a 4-byte random salt followed by digest(salt ‖ UTF-8 password). The digest is
 * SHA-256 for {@code rabbit_password_hashing_sha256}, SHA-512 and MD5 for the other two names.
 *
 * <p>Thread-safety: stateless ({@link SecureRandom} is thread-safe).
 */
public final class PasswordHashing {
  private static final int SALT_BYTES = 4;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHashing() {}

  /** A new salted SHA-256 hash of a password, in RabbitMQ's format. */
  public static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return Base64.getEncoder().encodeToString(saltedDigest(UserInfo.SHA256, salt, password));
  }

  /**
   * Whether a password matches a stored hash, in constant time for a given hash length. An empty
   * hash (a passwordless user) matches nothing.
   */
  public static boolean matches(String algorithm, String hash, String password) {
    if (hash == null || hash.isEmpty() || password == null || validate(algorithm, hash) != null) {
      return false;
    }
    byte[] stored = Base64.getDecoder().decode(hash);
    byte[] salt = java.util.Arrays.copyOf(stored, SALT_BYTES);
    return MessageDigest.isEqual(stored, saltedDigest(algorithm, salt, password));
  }

  /**
   * Why a hash cannot be used with an algorithm, or null when it can: the algorithm must be one of
   * RabbitMQ's three, the hash base64 of a 4-byte salt and a digest of that algorithm's length. An
   * empty hash is valid (passwordless user).
   */
  public static String validate(String algorithm, String hash) {
    String digest = digestName(algorithm);
    if (digest == null) {
      return "unsupported hashing algorithm '" + algorithm + "'";
    }
    if (hash.isEmpty()) {
      return null;
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(hash);
    } catch (IllegalArgumentException e) {
      return "password hash is not base64";
    }
    int expected = SALT_BYTES + digest(digest).getDigestLength();
    if (raw.length != expected) {
      return "password hash has " + raw.length + " bytes, " + algorithm + " needs " + expected;
    }
    return null;
  }

  private static byte[] saltedDigest(String algorithm, byte[] salt, String password) {
    MessageDigest md = digest(digestName(algorithm));
    md.update(salt);
    md.update(password.getBytes(StandardCharsets.UTF_8));
    byte[] d = md.digest();
    byte[] out = new byte[SALT_BYTES + d.length];
    System.arraycopy(salt, 0, out, 0, SALT_BYTES);
    System.arraycopy(d, 0, out, SALT_BYTES, d.length);
    return out;
  }

  private static String digestName(String algorithm) {
    if (algorithm == null) {
      return null;
    }
    return switch (algorithm) {
      case UserInfo.SHA256 -> "SHA-256";
      case UserInfo.SHA512 -> "SHA-512";
      case UserInfo.MD5 -> "MD5";
      default -> null;
    };
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + name, e); // every JDK has all three
    }
  }
}
