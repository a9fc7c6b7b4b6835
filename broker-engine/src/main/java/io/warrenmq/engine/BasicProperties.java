package io.warrenmq.engine;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The content header properties of AMQP 0-9-1 class {@code basic} (spec 1.8, "basic" properties).
 * Every field is optional (null when absent). Header values are the AMQP field-table types as Java
 * objects: {@code String}, {@code Boolean}, {@code Byte}, {@code Short}, {@code Integer}, {@code
 * Long}, {@code Float}, {@code Double}, {@code java.math.BigDecimal}, {@code java.util.Date},
 * {@code byte[]}, {@code List} and {@code Map}.
 *
 * @param contentType MIME type of the body
 * @param contentEncoding MIME encoding of the body
 * @param headers application headers; never null (empty when absent), unmodifiable
 * @param deliveryMode 1 transient, 2 persistent, null unspecified (transient)
 * @param priority 0-255; queues without {@code x-max-priority} ignore it
 * @param correlationId application correlation id
 * @param replyTo address to reply to
 * @param expiration per-message TTL in ms, as a decimal string (RabbitMQ convention)
 * @param messageId application message id
 * @param timestamp ms since the epoch (AMQP carries seconds; the engine keeps ms in-VM)
 * @param type message type name
 * @param userId creating user id
 * @param appId creating application id
 */
public record BasicProperties(
    String contentType,
    String contentEncoding,
    Map<String, Object> headers,
    Integer deliveryMode,
    Integer priority,
    String correlationId,
    String replyTo,
    String expiration,
    String messageId,
    Long timestamp,
    String type,
    String userId,
    String appId) {

  /** Properties with every field absent. */
  public static final BasicProperties EMPTY = builder().build();

  /** Delivery mode of a persistent message. */
  public static final int PERSISTENT = 2;

  /** Delivery mode of a transient message. */
  public static final int TRANSIENT = 1;

  public BasicProperties {
    headers =
        headers == null || headers.isEmpty()
            ? Map.of()
            : headers instanceof FrozenHeaders
                ? headers
                : new FrozenHeaders(new LinkedHashMap<>(headers));
  }

  /**
   * The unmodifiable headers of a record: a view of a map nobody else changes. A {@link Builder}
   * hands its map over as one (no copy, the publishing thread's hot path) and copies it before any
   * later change; every other map is copied into one.
   */
  private static final class FrozenHeaders extends AbstractMap<String, Object> {
    private final Map<String, Object> owned;
    private Map<String, Object> view; // the unmodifiable view for keySet/values/entrySet, on use

    private FrozenHeaders(Map<String, Object> owned) {
      this.owned = owned;
    }

    private Map<String, Object> view() {
      Map<String, Object> v = view;
      if (v == null) {
        v = Collections.unmodifiableMap(owned); // a benign race: any thread's view will do
        view = v;
      }
      return v;
    }

    @Override
    public int size() {
      return owned.size();
    }

    @Override
    public boolean isEmpty() {
      return owned.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
      return owned.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
      return owned.containsValue(value);
    }

    @Override
    public Object get(Object key) {
      return owned.get(key);
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
      return owned.getOrDefault(key, defaultValue);
    }

    @Override
    public Set<String> keySet() {
      return view().keySet();
    }

    @Override
    public Collection<Object> values() {
      return view().values();
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
      return view().entrySet();
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
      owned.forEach(action);
    }
  }

  /** Whether {@link #deliveryMode()} is 2 (persistent). */
  public boolean isPersistent() {
    return deliveryMode != null && deliveryMode == PERSISTENT;
  }

  /** The priority, or 0 when absent. */
  public int priorityOrZero() {
    return priority == null ? 0 : priority;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this record's fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.contentType = contentType;
    b.contentEncoding = contentEncoding;
    if (headers instanceof FrozenHeaders f) {
      b.headers = f.owned; // shared until the builder's first change copies it
      b.headersBuilt = true;
    }
    b.deliveryMode = deliveryMode;
    b.priority = priority;
    b.correlationId = correlationId;
    b.replyTo = replyTo;
    b.expiration = expiration;
    b.messageId = messageId;
    b.timestamp = timestamp;
    b.type = type;
    b.userId = userId;
    b.appId = appId;
    return b;
  }

  /** Mutable builder of {@link BasicProperties}. Not thread-safe. */
  public static final class Builder {
    private String contentType;
    private String contentEncoding;
    // made by the first header; handed to the last build() as is (headersBuilt), then copied on
    // change
    private Map<String, Object> headers;
    private boolean headersBuilt;
    private Integer deliveryMode;
    private Integer priority;
    private String correlationId;
    private String replyTo;
    private String expiration;
    private String messageId;
    private Long timestamp;
    private String type;
    private String userId;
    private String appId;

    private Builder() {}

    public Builder contentType(String v) {
      contentType = v;
      return this;
    }

    public Builder contentEncoding(String v) {
      contentEncoding = v;
      return this;
    }

    /** Replaces all headers with a copy of {@code v} (null clears them). */
    public Builder headers(Map<String, Object> v) {
      headers = v == null || v.isEmpty() ? null : new LinkedHashMap<>(v);
      headersBuilt = false;
      return this;
    }

    /** Sets one header; a null value removes it. */
    public Builder header(String name, Object value) {
      if (value == null) {
        if (headers != null && headers.containsKey(name)) {
          changeableHeaders().remove(name);
        }
      } else {
        changeableHeaders().put(name, value);
      }
      return this;
    }

    /** The header map, made or (after a build that holds it) copied before a change. */
    private Map<String, Object> changeableHeaders() {
      if (headers == null) {
        headers = new LinkedHashMap<>(8);
      } else if (headersBuilt) {
        headers = new LinkedHashMap<>(headers);
      }
      headersBuilt = false;
      return headers;
    }

    public Builder deliveryMode(Integer v) {
      deliveryMode = v;
      return this;
    }

    public Builder priority(Integer v) {
      priority = v;
      return this;
    }

    public Builder correlationId(String v) {
      correlationId = v;
      return this;
    }

    public Builder replyTo(String v) {
      replyTo = v;
      return this;
    }

    public Builder expiration(String v) {
      expiration = v;
      return this;
    }

    public Builder messageId(String v) {
      messageId = v;
      return this;
    }

    public Builder timestamp(Long v) {
      timestamp = v;
      return this;
    }

    public Builder type(String v) {
      type = v;
      return this;
    }

    public Builder userId(String v) {
      userId = v;
      return this;
    }

    public Builder appId(String v) {
      appId = v;
      return this;
    }

    public BasicProperties build() {
      Map<String, Object> h = null;
      if (headers != null && !headers.isEmpty()) {
        h = new FrozenHeaders(headers); // no copy: this builder copies before its next change
        headersBuilt = true;
      }
      return new BasicProperties(
          contentType,
          contentEncoding,
          h,
          deliveryMode,
          priority,
          correlationId,
          replyTo,
          expiration,
          messageId,
          timestamp,
          type,
          userId,
          appId);
    }
  }
}
