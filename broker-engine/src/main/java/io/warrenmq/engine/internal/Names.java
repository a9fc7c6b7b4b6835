package io.warrenmq.engine.internal;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generated names, in RabbitMQ's forms: {@code amq.gen-<22 chars>} for server-named queues and
 * {@code amq.ctag-<22 chars>} for consumer tags. Random, not secret (no {@code SecureRandom}).
 */
public final class Names {
  private Names() {}

  /** A new server-generated queue name, {@code amq.gen-...}. */
  public static String queueName() {
    return "amq.gen-" + random();
  }

  /** A new server-generated consumer tag, {@code amq.ctag-...}. */
  public static String consumerTag() {
    return "amq.ctag-" + random();
  }

  private static String random() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
