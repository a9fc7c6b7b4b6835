package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;

/**
 * A {@link TextMessage}: the body travels as UTF-8 bytes with content type {@code text/plain}.
 *
 * <p>Thread-safety: not thread-safe (see {@link WarrenMessage}).
 */
public final class WarrenTextMessage extends WarrenMessage implements TextMessage {

  private String text;

  /** An empty text message (null text). */
  public WarrenTextMessage() {}

  /** A text message with this text, which may be null. */
  public WarrenTextMessage(String text) {
    this.text = text;
  }

  @Override
  String bodyKind() {
    return "text";
  }

  @Override
  byte[] bodyBytes() {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  boolean hasNullBody() {
    return text == null;
  }

  @Override
  void readBody(byte[] body) {
    text = body == null ? null : new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public void setText(String text) throws JMSException {
    checkBodyWritable();
    this.text = text;
  }

  @Override
  public String getText() {
    return text;
  }

  @Override
  public void clearBody() throws JMSException {
    super.clearBody();
    text = null;
  }

  @Override
  public <T> T getBody(Class<T> c) throws JMSException {
    if (text == null) {
      return null;
    }
    if (!c.isAssignableFrom(String.class)) {
      throw new MessageFormatException(
          "a TextMessage body cannot be returned as " + c.getName() + " (Jakarta Messaging 3.11)");
    }
    return c.cast(text);
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public boolean isBodyAssignableTo(Class c) {
    return text == null || c.isAssignableFrom(String.class);
  }
}
