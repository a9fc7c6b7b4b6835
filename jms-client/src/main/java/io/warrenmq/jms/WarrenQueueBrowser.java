package io.warrenmq.jms;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.MessageSelector;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A {@link QueueBrowser} (Jakarta Messaging 3.1, 8.9): each {@link #getEnumeration()} takes a
 * snapshot of the queue's ready messages in delivery order ({@code queueBrowse} on the session's
 * transport channel), filtered by the browser's selector, without consuming them. Messages held
 * unacknowledged by consumers are not shown; messages that arrive after the snapshot are not
 * either.
 *
 * <p>Thread-safety: for the session's thread, as the spec says.
 */
public final class WarrenQueueBrowser implements QueueBrowser {

  private final WarrenSession session;
  private final WarrenDestination queue;
  private final String selectorText;
  private final MessageSelector selector;
  private volatile boolean closed;

  WarrenQueueBrowser(WarrenSession session, WarrenDestination queue, String selectorText) {
    this.session = session;
    this.queue = queue;
    this.selectorText = selectorText;
    this.selector = selectorText == null ? null : MessageSelector.parse(selectorText);
  }

  private void checkOpen() throws IllegalStateException {
    if (closed || session.isClosed()) {
      throw new IllegalStateException("the queue browser is closed");
    }
  }

  @Override
  public Queue getQueue() throws JMSException {
    checkOpen();
    return (Queue) queue;
  }

  @Override
  public String getMessageSelector() throws JMSException {
    checkOpen();
    return selectorText;
  }

  /**
   * The queue's messages now, oldest (next to deliver) first.
   *
   * @throws jakarta.jms.InvalidDestinationException if the queue does not exist
   */
  @Override
  public Enumeration<Message> getEnumeration() throws JMSException {
    checkOpen();
    session.prepareToConsume();
    List<Delivery> snapshot;
    try {
      snapshot = session.channel().queueBrowse(queue.physicalName());
    } catch (AmqpException e) {
      throw JmsExceptions.from("browse " + queue.toUri(), e);
    }
    List<Message> messages = new ArrayList<>(snapshot.size());
    for (Delivery d : snapshot) {
      if (selector == null || selector.matches(d.properties())) {
        messages.add(MessageCodec.decode(d, null));
      }
    }
    return Collections.enumeration(messages);
  }

  @Override
  public void close() {
    closed = true;
  }
}
