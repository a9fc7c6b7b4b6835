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

  /** The longest name or key AMQP 0-9-1 can carry: a {@code shortstr} holds 255 bytes. */
  public static final int MAX_SHORTSTR_BYTES = 255;

  /**
   * Checks that a name or key fits an AMQP {@code shortstr} (spec 4.2.5.3): at most 255 bytes of
   * UTF-8. RabbitMQ accepts any characters in exchange and queue names (checked against RabbitMQ
   * 3.x/4.x: {@code "a b"}, {@code "é"} and {@code "a/b"} are accepted), so only the length is
   * checked. The wire cannot carry a longer string (the RabbitMQ client refuses to send it); in-VM
   * it is refused with a soft error.
   *
   * @param what e.g. {@code "exchange name"}, for the reply text
   * @throws io.warrenmq.client.AmqpException 406 PRECONDITION_FAILED if longer than 255 bytes
   */
  public static void checkShortString(String what, String value) {
    if (value == null || value.length() * 3 <= MAX_SHORTSTR_BYTES) {
      return; // fast path: even 3 bytes per char fits
    }
    int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > MAX_SHORTSTR_BYTES) {
      throw Errors.precondition(
          what
              + " '"
              + value.substring(0, 32)
              + "...' is "
              + bytes
              + " bytes long; the maximum is "
              + MAX_SHORTSTR_BYTES
              + " bytes");
    }
  }

  private static String random() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
