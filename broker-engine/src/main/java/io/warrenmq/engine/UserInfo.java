package io.warrenmq.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A user of the broker as the {@link Users} registry keeps it: never the password, only its salted
 * hash in RabbitMQ's format (https://www.rabbitmq.com/docs/passwords), so that a definitions file
 * moves users between RabbitMQ and WarrenMQ in both directions.
 *
 * @param name the user name, not empty
 * @param passwordHash base64 of a 4-byte salt followed by the digest of salt ‖ UTF-8 password;
 *     empty for a user that cannot log in with a password (as RabbitMQ's passwordless users)
 * @param hashingAlgorithm RabbitMQ's name of the digest: {@link #SHA256} (what this broker writes),
 *     {@link #SHA512} or {@link #MD5} (accepted from imported definitions)
 * @param tags RabbitMQ user tags ({@code administrator}, {@code monitoring}, {@code management},
 *     {@code policymaker}, {@code impersonator}, or any other string), without duplicates, in the
 *     given order; never null, copied. The engine stores them for management tools and definitions;
 *     it does not interpret them.
 */
public record UserInfo(
    String name, String passwordHash, String hashingAlgorithm, List<String> tags) {

  /** {@code rabbit_password_hashing_sha256}: SHA-256, RabbitMQ's default since 3.6. */
  public static final String SHA256 = "rabbit_password_hashing_sha256";

  /** {@code rabbit_password_hashing_sha512}. */
  public static final String SHA512 = "rabbit_password_hashing_sha512";

  /** {@code rabbit_password_hashing_md5}: RabbitMQ before 3.6. */
  public static final String MD5 = "rabbit_password_hashing_md5";

  /**
   * @throws IllegalArgumentException if the name is empty
   */
  public UserInfo {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("user name must not be empty");
    }
    passwordHash = passwordHash == null ? "" : passwordHash;
    hashingAlgorithm = hashingAlgorithm == null ? SHA256 : hashingAlgorithm;
    tags = tags == null ? List.of() : List.copyOf(new LinkedHashSet<>(tags));
  }

  /**
   * Whether {@code password} matches this user's hash, as {@link Users#checkPassword} checks it
   * (for a reader of stored users without a broker, e.g. the management listener of an HA backup).
   * Never throws for bad input.
   *
   * @param password the clear-text password, may be null (then false)
   */
  public boolean passwordMatches(String password) {
    return io.warrenmq.engine.internal.PasswordHashing.matches(
        hashingAlgorithm, passwordHash, password);
  }
}
