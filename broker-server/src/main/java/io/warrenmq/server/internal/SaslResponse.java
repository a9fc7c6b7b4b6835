package io.warrenmq.server.internal;

import io.netty.buffer.Unpooled;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.wire.WireFormatException;
import io.warrenmq.client.wire.WireReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The user name and password in a {@code connection.start-ok} response, for the two mechanisms
 * RabbitMQ offers by default: {@code PLAIN} (RFC 4616: authzid NUL authcid NUL passwd) and {@code
 * AMQPLAIN} (a field table without its size prefix, with {@code LOGIN} and {@code PASSWORD}).
 *
 * @param user the user name
 * @param password the password; never logged, never in {@link #toString()}
 */
public record SaslResponse(String user, String password) {
  /** The mechanisms offered in {@code connection.start}, space-separated as the spec wants. */
  public static final String MECHANISMS = "PLAIN AMQPLAIN";

  /**
   * Parses a response.
   *
   * @throws AmqpException 403 ACCESS_REFUSED for an unknown mechanism or a malformed response, as
   *     RabbitMQ
   */
  public static SaslResponse parse(String mechanism, byte[] response) {
    if ("PLAIN".equals(mechanism)) {
      String s = new String(response, StandardCharsets.UTF_8);
      int first = s.indexOf('\0');
      int second = first < 0 ? -1 : s.indexOf('\0', first + 1);
      if (second < 0) {
        throw refused("PLAIN", "response is not authzid NUL user NUL password");
      }
      return new SaslResponse(s.substring(first + 1, second), s.substring(second + 1));
    }
    if ("AMQPLAIN".equals(mechanism)) {
      byte[] sized = new byte[response.length + 4];
      sized[0] = (byte) (response.length >>> 24);
      sized[1] = (byte) (response.length >>> 16);
      sized[2] = (byte) (response.length >>> 8);
      sized[3] = (byte) response.length;
      System.arraycopy(response, 0, sized, 4, response.length);
      Map<String, Object> table;
      try {
        table = WireReader.readTable(Unpooled.wrappedBuffer(sized), "AMQPLAIN response");
      } catch (WireFormatException e) {
        throw refused("AMQPLAIN", e.getMessage());
      }
      if (!(table.get("LOGIN") instanceof String user)
          || !(table.get("PASSWORD") instanceof String password)) {
        throw refused("AMQPLAIN", "response has no LOGIN and PASSWORD strings");
      }
      return new SaslResponse(user, password);
    }
    throw new AmqpException(
        ReplyCode.ACCESS_REFUSED,
        "unsupported authentication mechanism '" + mechanism + "', offered: " + MECHANISMS);
  }

  private static AmqpException refused(String mechanism, String why) {
    return new AmqpException(
        ReplyCode.ACCESS_REFUSED, "malformed " + mechanism + " response: " + why);
  }

  @Override
  public String toString() {
    return "SaslResponse[user=" + user + "]";
  }
}
