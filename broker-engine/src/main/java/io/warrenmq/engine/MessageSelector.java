package io.warrenmq.engine;

import io.warrenmq.engine.internal.selector.SelectorExpression;
import io.warrenmq.engine.internal.selector.SelectorParser;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A JMS message selector (Jakarta Messaging 3.1, section 3.8.1: SQL-92 conditional expressions over
 * message headers and properties, with three-valued logic), evaluated by the broker against a
 * message's AMQP properties. Used for the {@code x-jms-selector} argument of consumers and topic
 * subscriptions (DESIGN.md, JMS mapping).
 *
 * <p>Identifiers: {@code JMSDeliveryMode} ({@code 'PERSISTENT'} or {@code 'NON_PERSISTENT'}),
 * {@code JMSPriority}, {@code JMSMessageID}, {@code JMSTimestamp}, {@code JMSCorrelationID} and
 * {@code JMSType} read the AMQP properties {@code delivery-mode}, {@code priority}, {@code
 * message-id}, {@code timestamp}, {@code correlation-id} and {@code type}; {@code
 * JMSXDeliveryCount} is {@code x-delivery-count} + 1; every other identifier reads the header of
 * that name. Integral header values compare as {@code long}, floating ones as {@code double};
 * values of other types and absent headers are NULL.
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
   *     when the text is not a valid selector
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
          case "JMSPriority" -> (long) (p.priority() == null ? 4 : p.priority());
          case "JMSMessageID" -> p.messageId();
          case "JMSTimestamp" -> p.timestamp();
          case "JMSCorrelationID" -> p.correlationId();
          case "JMSType" -> p.type();
          case "JMSXDeliveryCount" -> deliveryCount(p.headers());
          default -> normalize(p.headers().get(name));
        };
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
