package io.warrenmq.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.util.Enumeration;

/**
 * Sends messages created by another provider (Jakarta Messaging 3.1, section 3.12: a provider must
 * accept any {@link Message} implementation): copies the foreign message into one of ours before
 * sending and writes the headers set by {@code send} back onto it.
 */
final class ForeignMessages {

  private ForeignMessages() {}

  /** A copy of a foreign message, body and properties included. */
  static WarrenMessage copyOf(Message foreign) throws JMSException {
    WarrenMessage copy;
    if (foreign instanceof TextMessage t) {
      copy = new WarrenTextMessage(t.getText());
    } else if (foreign instanceof ObjectMessage o) {
      WarrenObjectMessage m = new WarrenObjectMessage();
      m.setObject(o.getObject());
      copy = m;
    } else if (foreign instanceof BytesMessage b) {
      WarrenBytesMessage m = new WarrenBytesMessage();
      b.reset();
      // Read to the end (-1) rather than trusting getBodyLength(): another provider's message may
      // not know its length (the TCK's foreign BytesMessage reports 0).
      byte[] chunk = new byte[8192];
      for (int n; (n = b.readBytes(chunk)) > 0; ) {
        m.writeBytes(chunk, 0, n);
      }
      copy = m;
    } else if (foreign instanceof MapMessage mm) {
      WarrenMapMessage m = new WarrenMapMessage();
      for (Enumeration<?> names = mm.getMapNames(); names.hasMoreElements(); ) {
        String name = (String) names.nextElement();
        m.setObject(name, mm.getObject(name));
      }
      copy = m;
    } else if (foreign instanceof StreamMessage sm) {
      WarrenStreamMessage m = new WarrenStreamMessage();
      sm.reset();
      while (true) {
        try {
          m.writeObject(sm.readObject());
        } catch (MessageEOFException end) {
          break;
        }
      }
      copy = m;
    } else {
      copy = new WarrenMessage();
    }
    for (Enumeration<?> names = foreign.getPropertyNames(); names.hasMoreElements(); ) {
      String name = (String) names.nextElement();
      copy.setObjectProperty(name, foreign.getObjectProperty(name));
    }
    copy.setJMSCorrelationID(foreign.getJMSCorrelationID());
    copy.setJMSType(foreign.getJMSType());
    if (foreign.getJMSReplyTo() instanceof WarrenDestination replyTo) {
      copy.setJMSReplyTo(replyTo);
    }
    return copy;
  }

  /** Writes the headers that {@code send} set on the copy back onto the foreign message. */
  static void copyHeadersBack(WarrenMessage sent, Message foreign) throws JMSException {
    foreign.setJMSMessageID(sent.getJMSMessageID());
    foreign.setJMSDestination(sent.getJMSDestination());
    foreign.setJMSDeliveryMode(sent.getJMSDeliveryMode());
    foreign.setJMSPriority(sent.getJMSPriority());
    foreign.setJMSExpiration(sent.getJMSExpiration());
    foreign.setJMSTimestamp(sent.getJMSTimestamp());
    foreign.setJMSDeliveryTime(sent.getJMSDeliveryTime());
  }
}
