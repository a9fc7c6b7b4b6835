package io.warrenmq.engine.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.MessageSelector;
import io.warrenmq.client.ReplyCode;
import java.util.Map;

/** Reads the {@code x-jms-selector} argument of consumers and bindings (DESIGN.md, JMS mapping). */
final class Selectors {

  /** The argument naming a JMS selector on {@code basic.consume} and {@code queue.bind}. */
  static final String ARGUMENT = "x-jms-selector";

  private Selectors() {}

  /**
   * The selector in {@code arguments}, or null when there is none (absent or blank).
   *
   * @throws AmqpException 406 PRECONDITION_FAILED naming the argument and what is wrong with it
   */
  static MessageSelector fromArguments(Map<String, Object> arguments) {
    Object value = arguments == null ? null : arguments.get(ARGUMENT);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "invalid arg '"
              + ARGUMENT
              + "': expected a string, got "
              + value.getClass().getSimpleName());
    }
    if (text.isBlank()) {
      return null;
    }
    try {
      return MessageSelector.parse(text);
    } catch (IllegalArgumentException e) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "invalid arg '"
              + ARGUMENT
              + "': '"
              + text
              + "' is not a JMS selector: "
              + e.getMessage());
    }
  }
}
