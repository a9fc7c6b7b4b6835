package io.warrenmq.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
            : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
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
    b.headers = new LinkedHashMap<>(headers);
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
    private Map<String, Object> headers = new LinkedHashMap<>();
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
      headers = v == null ? new LinkedHashMap<>() : new LinkedHashMap<>(v);
      return this;
    }

    /** Sets one header; a null value removes it. */
    public Builder header(String name, Object value) {
      if (value == null) {
        headers.remove(name);
      } else {
        headers.put(name, value);
      }
      return this;
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
      return new BasicProperties(
          contentType,
          contentEncoding,
          headers,
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
