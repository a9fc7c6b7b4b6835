package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;

/**
 * An {@link ObjectMessage}: the body is the Java serialization of the object, taken when {@link
 * #setObject} is called (later changes to the object are not sent). On receive, classes are
 * resolved with the thread context class loader first, so an application server's deployment sees
 * its own classes.
 *
 * <p>Security: only classes allowed by the connection's {@link DeserializationPolicy} are
 * deserialized (by default {@code java.lang}, {@code java.util}, {@code java.math}, {@code
 * java.time}, {@code java.net} and {@code io.warrenmq}); {@link #getObject()} throws {@link
 * MessageFormatException} naming any other class.
 *
 * <p>Thread-safety: not thread-safe (see {@link WarrenMessage}).
 */
public final class WarrenObjectMessage extends WarrenMessage implements ObjectMessage {

  private byte[] serialized;

  /** An empty object message (null object). */
  public WarrenObjectMessage() {}

  @Override
  String bodyKind() {
    return "object";
  }

  @Override
  byte[] bodyBytes() {
    return serialized;
  }

  @Override
  boolean hasNullBody() {
    return serialized == null;
  }

  @Override
  void readBody(byte[] body) {
    serialized = body == null || body.length == 0 ? null : body;
  }

  @Override
  public void setObject(Serializable object) throws JMSException {
    checkBodyWritable();
    if (object == null) {
      serialized = null;
      return;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    } catch (IOException e) {
      MessageFormatException jmse =
          new MessageFormatException(
              "cannot serialize " + object.getClass().getName() + ": " + e.getMessage());
      jmse.initCause(e);
      jmse.setLinkedException(e);
      throw jmse;
    }
    serialized = bytes.toByteArray();
  }

  @Override
  public Serializable getObject() throws JMSException {
    if (serialized == null) {
      return null;
    }
    DeserializationPolicy policy =
        session != null
            ? session.connection().deserializationPolicy()
            : DeserializationPolicy.fromSystem();
    try (ObjectInputStream in = new ContextClassLoaderObjectInputStream(serialized, policy)) {
      return (Serializable) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      MessageFormatException jmse =
          new MessageFormatException("cannot deserialize the ObjectMessage body: " + e);
      jmse.initCause(e);
      jmse.setLinkedException(e);
      throw jmse;
    }
  }

  @Override
  public void clearBody() throws JMSException {
    super.clearBody();
    serialized = null;
  }

  @Override
  public <T> T getBody(Class<T> c) throws JMSException {
    Serializable object = getObject();
    if (object == null) {
      return null;
    }
    if (!c.isInstance(object)) {
      throw new MessageFormatException(
          "the ObjectMessage body is a " + object.getClass().getName() + ", not a " + c.getName());
    }
    return c.cast(object);
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public boolean isBodyAssignableTo(Class c) {
    if (serialized == null) {
      return true;
    }
    try {
      return c.isInstance(getObject());
    } catch (JMSException e) {
      return false;
    }
  }

  private static final class ContextClassLoaderObjectInputStream extends ObjectInputStream {
    private final DeserializationPolicy policy;

    ContextClassLoaderObjectInputStream(byte[] bytes, DeserializationPolicy policy)
        throws IOException {
      super((InputStream) new ByteArrayInputStream(bytes));
      this.policy = policy;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      if (!policy.allows(desc.getName())) {
        throw new java.io.InvalidClassException(
            desc.getName(),
            "not in the ObjectMessage deserialization allow list "
                + policy.allowed()
                + " (system property "
                + DeserializationPolicy.PROPERTY
                + " or the connection factory's deserializationAllowList)");
      }
      ClassLoader tccl = Thread.currentThread().getContextClassLoader();
      if (tccl != null) {
        try {
          return Class.forName(desc.getName(), false, tccl);
        } catch (ClassNotFoundException e) {
          // fall back to the default resolution (primitives, JDK and provider classes)
        }
      }
      return super.resolveClass(desc);
    }
  }
}
