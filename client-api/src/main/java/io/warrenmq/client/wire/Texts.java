package io.warrenmq.client.wire;

import java.nio.charset.StandardCharsets;

/** Reply texts cut to what a short string carries (255 UTF-8 bytes), as RabbitMQ truncates. */
final class Texts {
  private Texts() {}

  /** {@code text}, shortened at a character boundary to at most 255 UTF-8 bytes. */
  static String shortText(String text) {
    if (text == null) {
      return "";
    }
    if (text.length() <= 63 || text.getBytes(StandardCharsets.UTF_8).length <= 255) {
      return text;
    }
    int end = Math.min(text.length(), 255);
    while (text.substring(0, end).getBytes(StandardCharsets.UTF_8).length > 255) {
      end--;
    }
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
