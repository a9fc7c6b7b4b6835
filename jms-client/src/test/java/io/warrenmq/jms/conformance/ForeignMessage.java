package io.warrenmq.jms.conformance;

import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages of "another provider" (Jakarta Messaging 3.12): dynamic proxies over the {@code
 * jakarta.jms} interfaces that keep headers, properties and body in plain fields, so that nothing
 * of WarrenMQ's message classes is involved. Like the TCK's foreign {@code BytesMessage}, the bytes
 * message does not track its length: {@code getBodyLength()} returns 0, and the body can only be
 * read with the read methods.
 */
final class ForeignMessage implements InvocationHandler {

  final Map<String, Object> headers = new HashMap<>();
  final Map<String, Object> properties = new LinkedHashMap<>();
  private final Class<?> type;
  private String text;
  private java.io.Serializable object;
  private final Map<String, Object> map = new LinkedHashMap<>();
  private final List<Object> stream = new ArrayList<>();
  private int streamPosition;
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(written);
  private DataInputStream in;

  private ForeignMessage(Class<?> type) {
    this.type = type;
  }

  static <T extends Message> T create(Class<T> type, ForeignMessage[] handle) {
    ForeignMessage h = new ForeignMessage(type);
    if (handle != null) {
      handle[0] = h;
    }
    return type.cast(
        Proxy.newProxyInstance(ForeignMessage.class.getClassLoader(), new Class<?>[] {type}, h));
  }

  static <T extends Message> T create(Class<T> type) {
    return create(type, null);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    try {
      return dispatch(name, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private Object dispatch(String name, Object[] args) throws Exception {
    switch (name) {
      case "getPropertyNames":
        return Collections.enumeration(new ArrayList<>(properties.keySet()));
      case "getObjectProperty":
        return properties.get((String) args[0]);
      case "propertyExists":
        return properties.containsKey((String) args[0]);
      case "setObjectProperty":
      case "setStringProperty":
      case "setIntProperty":
      case "setLongProperty":
      case "setBooleanProperty":
        properties.put((String) args[0], args[1]);
        return null;
      case "toString":
        return "foreign " + type.getSimpleName();
      case "hashCode":
        return System.identityHashCode(this);
      case "equals":
        return false;
      default:
        break;
    }
    if (name.startsWith("setJMS")) {
      headers.put(name.substring(3), args[0]);
      return null;
    }
    if (name.startsWith("getJMS")) {
      Object v = headers.get(name.substring(3));
      if (v == null && (name.equals("getJMSPriority") || name.equals("getJMSDeliveryMode"))) {
        return 4;
      }
      if (v == null
          && (name.endsWith("Time") || name.endsWith("Expiration") || name.endsWith("Timestamp"))) {
        return 0L;
      }
      if (v == null && name.equals("getJMSRedelivered")) {
        return false;
      }
      return v;
    }
    switch (name) {
      case "getText":
        return text;
      case "setText":
        text = (String) args[0];
        return null;
      case "getObject":
        return args == null ? object : map.get((String) args[0]);
      case "setObject":
        if (args.length == 2) {
          map.put((String) args[0], args[1]);
        } else {
          object = (java.io.Serializable) args[0];
        }
        return null;
      case "getMapNames":
        return Collections.enumeration(new ArrayList<>(map.keySet()));
      case "setString":
      case "setInt":
      case "setBytes":
      case "setBoolean":
      case "setDouble":
        map.put((String) args[0], args[1]);
        return null;
      default:
        break;
    }
    if (type == StreamMessage.class) {
      switch (name) {
        case "writeObject":
        case "writeString":
        case "writeInt":
        case "writeBoolean":
        case "writeBytes":
          stream.add(args[0]);
          return null;
        case "reset":
          streamPosition = 0;
          return null;
        case "readObject":
          if (streamPosition >= stream.size()) {
            throw new MessageEOFException("end of the foreign stream");
          }
          return stream.get(streamPosition++);
        default:
          break;
      }
    }
    if (type == BytesMessage.class) {
      switch (name) {
        case "writeBytes":
          out.write((byte[]) args[0]);
          return null;
        case "writeInt":
          out.writeInt((Integer) args[0]);
          return null;
        case "writeUTF":
          out.writeUTF((String) args[0]);
          return null;
        case "reset":
          in = new DataInputStream(new ByteArrayInputStream(written.toByteArray()));
          return null;
        case "getBodyLength":
          return 0L; // as the TCK's foreign BytesMessage: not tracked
        case "readBytes":
          return args.length == 1
              ? in.read((byte[]) args[0])
              : in.read((byte[]) args[0], 0, (Integer) args[1]);
        case "readInt":
          try {
            return in.readInt();
          } catch (EOFException e) {
            throw new MessageEOFException("end");
          }
        default:
          break;
      }
    }
    throw new UnsupportedOperationException(type.getSimpleName() + "." + name);
  }

  static boolean isForeign(Object o) {
    return Proxy.isProxyClass(o.getClass());
  }

  static TextMessage text(String body) {
    TextMessage m = create(TextMessage.class);
    try {
      m.setText(body);
    } catch (jakarta.jms.JMSException e) {
      throw new AssertionError(e);
    }
    return m;
  }

  static ObjectMessage object(java.io.Serializable body) throws jakarta.jms.JMSException {
    ObjectMessage m = create(ObjectMessage.class);
    m.setObject(body);
    return m;
  }
}
