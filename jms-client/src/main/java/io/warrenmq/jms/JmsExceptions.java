package io.warrenmq.jms;

import io.warrenmq.client.AmqpException;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;

/**
 * The one place where engine errors ({@link AmqpException} with its AMQP reply code) become Jakarta
 * Messaging exceptions (STYLE.md rule 6). The JMS exception's error code is the AMQP reply code,
 * its message says what was being done, and the engine exception is both cause and linked
 * exception.
 */
final class JmsExceptions {

  private JmsExceptions() {}

  /**
   * @param doing what the provider was doing, e.g. "send to queue://orders"
   * @param e the engine's error
   */
  static JMSException from(String doing, AmqpException e) {
    String text = "cannot " + doing + ": " + e.getMessage();
    String code = Integer.toString(e.replyCode().code());
    JMSException jmse =
        switch (e.replyCode()) {
          case NOT_FOUND -> new InvalidDestinationException(text, code);
          case ACCESS_REFUSED -> new JMSSecurityException(text, code);
          case RESOURCE_LOCKED, CHANNEL_ERROR, CONNECTION_FORCED, PRECONDITION_FAILED ->
              new IllegalStateException(text, code);
          default -> new JMSException(text, code);
        };
    jmse.initCause(e);
    jmse.setLinkedException(e);
    return jmse;
  }

  /**
   * The unchecked form for the simplified API (Jakarta Messaging 3.1, 7.4: each checked exception
   * has a runtime twin), keeping message, error code and cause.
   */
  static JMSRuntimeException unchecked(JMSException e) {
    String m = e.getMessage();
    String c = e.getErrorCode();
    JMSRuntimeException r;
    if (e instanceof jakarta.jms.IllegalStateException) {
      r = new jakarta.jms.IllegalStateRuntimeException(m, c, e);
    } else if (e instanceof jakarta.jms.InvalidClientIDException) {
      r = new jakarta.jms.InvalidClientIDRuntimeException(m, c, e);
    } else if (e instanceof InvalidDestinationException) {
      r = new jakarta.jms.InvalidDestinationRuntimeException(m, c, e);
    } else if (e instanceof jakarta.jms.InvalidSelectorException) {
      r = new jakarta.jms.InvalidSelectorRuntimeException(m, c, e);
    } else if (e instanceof JMSSecurityException) {
      r = new jakarta.jms.JMSSecurityRuntimeException(m, c, e);
    } else if (e instanceof jakarta.jms.MessageFormatException) {
      r = new jakarta.jms.MessageFormatRuntimeException(m, c, e);
    } else if (e instanceof jakarta.jms.MessageNotWriteableException) {
      r = new jakarta.jms.MessageNotWriteableRuntimeException(m, c, e);
    } else if (e instanceof jakarta.jms.ResourceAllocationException) {
      r = new jakarta.jms.ResourceAllocationRuntimeException(m, c, e);
    } else if (e instanceof jakarta.jms.TransactionInProgressException) {
      r = new jakarta.jms.TransactionInProgressRuntimeException(m, c, e);
    } else if (e instanceof jakarta.jms.TransactionRolledBackException) {
      r = new jakarta.jms.TransactionRolledBackRuntimeException(m, c, e);
    } else {
      r = new JMSRuntimeException(m, c, e);
    }
    return r;
  }

  /** A JMSException for a feature this provider does not offer yet, naming it. */
  static JMSException notSupported(String feature) {
    return new JMSException(
        feature + " is not supported by this version of the WarrenMQ JMS provider");
  }
}
