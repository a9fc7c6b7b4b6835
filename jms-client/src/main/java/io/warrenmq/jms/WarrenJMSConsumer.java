package io.warrenmq.jms;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * The simplified API's {@link JMSConsumer} (Jakarta Messaging 3.1, 8.6): a {@link
 * WarrenMessageConsumer} with unchecked exceptions and {@code receiveBody}.
 *
 * <p>Thread-safety: for the context's thread, as the spec says; {@link #close()} may be called from
 * any thread.
 */
public final class WarrenJMSConsumer implements JMSConsumer {

  private final WarrenMessageConsumer consumer;

  WarrenJMSConsumer(WarrenMessageConsumer consumer) {
    this.consumer = consumer;
  }

  private interface Call<T> {
    T apply() throws JMSException;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.apply();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public String getMessageSelector() {
    return call(consumer::getMessageSelector);
  }

  @Override
  public MessageListener getMessageListener() {
    return call(consumer::getMessageListener);
  }

  @Override
  public void setMessageListener(MessageListener listener) {
    call(
        () -> {
          consumer.setMessageListener(listener);
          return null;
        });
  }

  @Override
  public Message receive() {
    return call(consumer::receive);
  }

  /** Waits up to {@code timeout} ms (0 = forever). */
  @Override
  public Message receive(long timeout) {
    return call(() -> consumer.receive(timeout));
  }

  @Override
  public Message receiveNoWait() {
    return call(consumer::receiveNoWait);
  }

  @Override
  public void close() {
    call(
        () -> {
          consumer.close();
          return null;
        });
  }

  /**
   * The next message's body (Jakarta Messaging 3.1, 8.6).
   *
   * @throws jakarta.jms.MessageFormatRuntimeException if the message is a plain Message or a
   *     StreamMessage, has no body, or its body cannot be returned as {@code c}; the message is
   *     then not acknowledged: in AUTO_ACKNOWLEDGE and DUPS_OK_ACKNOWLEDGE the next receive returns
   *     it, not marked redelivered, in the other modes it counts as delivered
   */
  @Override
  public <T> T receiveBody(Class<T> c) {
    return call(() -> consumer.receiveBody(c, 0));
  }

  /** Waits up to {@code timeout} ms (0 = forever). */
  @Override
  public <T> T receiveBody(Class<T> c, long timeout) {
    return call(() -> consumer.receiveBody(c, timeout));
  }

  @Override
  public <T> T receiveBodyNoWait(Class<T> c) {
    // A short wait: messages already pushed to the buffer are returned, none is awaited.
    return call(() -> consumer.receiveBody(c, 1));
  }
}
