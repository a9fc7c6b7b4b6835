package io.warrenmq.client;

import io.warrenmq.client.internal.selector.SelectorExpression;
import io.warrenmq.client.internal.selector.SelectorParser;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A JMS message selector (Jakarta Messaging 3.1, section 3.8.1 "Message selector": SQL-92
 * conditional expressions over message headers and properties, with three-valued logic), evaluated
 * by the broker against a message's AMQP properties. Used for the {@code x-jms-selector} argument
 * of consumers and topic subscriptions (DESIGN.md, JMS mapping).
 *
 * <p>Header fields (3.8.1.1 restricts selectors to these six) read the AMQP properties that the JMS
 * client writes them to, with the values a JMS consumer of the message reads: {@code
 * JMSDeliveryMode} is {@code 'PERSISTENT'} when {@code delivery-mode} is 2, else {@code
 * 'NON_PERSISTENT'} (3.8.1.3); {@code JMSPriority} is {@code priority} limited to 0-9 (0 when
 * absent); {@code JMSTimestamp} is {@code timestamp} in ms since the epoch (0 when absent, as
 * {@code getJMSTimestamp()}), or the header {@code x-jms-timestamp} (ms) when present, since the
 * wire carries {@code timestamp} in seconds; {@code JMSMessageID}, {@code JMSCorrelationID} and
 * {@code JMSType} are {@code message-id}, {@code correlation-id} and {@code type}, NULL when
 * absent. {@code JMSXDeliveryCount} is {@code x-delivery-count} + 1. Every other identifier, {@code
 * JMSX*} and {@code JMS_*} included, reads the application header of that name (the JMS
 * properties). Integral header values (byte, short, int, long) act as {@code long}, floating ones
 * (float, double) as {@code double}, which is what Java numeric promotion gives when they meet a
 * {@code long} literal or each other; header values of other types and absent headers are NULL.
 *
 * <p>Thread-safety: immutable; {@link #matches} may be called from any thread.
 */
public final class MessageSelector {

  private final String text;
  private final SelectorExpression expression;

  private MessageSelector(String text, SelectorExpression expression) {
    this.text = text;
    this.expression = expression;
  }

  /**
   * Parses a selector.
   *
   * @param selector the selector text, not null
   * @return the parsed selector
   * @throws IllegalArgumentException with a message naming what is wrong and its position (0-based)
   *     when the text is not a valid selector: it breaks the grammar of 3.8.1.1, or compares or
   *     computes with operands whose types are known when parsing and do not fit (a string or a
   *     boolean with {@code < <= > >=}, arithmetic or BETWEEN; operands of unlike types such as
   *     {@code 'a' = TRUE} or {@code TRUE = 0}; NULL outside {@code IS [NOT] NULL})
   */
  public static MessageSelector parse(String selector) {
    Objects.requireNonNull(selector, "selector");
    return new MessageSelector(selector, SelectorParser.parse(selector));
  }

  /** The selector's text as given to {@link #parse}. */
  public String text() {
    return text;
  }

  /**
   * Whether a message with these properties is selected: the expression is TRUE (FALSE and UNKNOWN
   * are not selected).
   */
  public boolean matches(BasicProperties properties) {
    return Boolean.TRUE.equals(expression.eval(identifiers(properties)));
  }

  private static Function<String, Object> identifiers(BasicProperties p) {
    return name ->
        switch (name) {
          case "JMSDeliveryMode" -> p.isPersistent() ? "PERSISTENT" : "NON_PERSISTENT";
          case "JMSPriority" -> (long) Math.min(9, Math.max(0, p.priorityOrZero()));
          case "JMSMessageID" -> p.messageId();
          case "JMSTimestamp" -> timestamp(p);
          case "JMSCorrelationID" -> p.correlationId();
          case "JMSType" -> p.type();
          case "JMSXDeliveryCount" -> deliveryCount(p.headers());
          default -> normalize(p.headers().get(name));
        };
  }

  /**
   * The header {@code x-jms-timestamp} (ms) when the JMS client sent one: the AMQP {@code
   * timestamp} property crosses the wire in seconds, so a message published over a socket keeps its
   * milliseconds there; else {@code timestamp}.
   */
  private static long timestamp(BasicProperties p) {
    if (p.headers().get("x-jms-timestamp") instanceof Number ms) {
      return ms.longValue();
    }
    return p.timestamp() == null ? 0L : p.timestamp();
  }

  private static Object deliveryCount(Map<String, Object> headers) {
    Object count = headers.get("x-delivery-count");
    return count instanceof Number n ? n.longValue() + 1 : 1L;
  }

  private static Object normalize(Object v) {
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof String || v instanceof Boolean) {
      return v;
    }
    return null;
  }

  @Override
  public String toString() {
    return text;
  }
}
