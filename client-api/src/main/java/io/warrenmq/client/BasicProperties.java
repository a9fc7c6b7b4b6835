package io.warrenmq.client;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
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
            : headers instanceof FrozenHeaders ? headers : FrozenHeaders.copyOf(headers);
  }

  /** Headers up to this many are kept in one array and looked up by scanning it. */
  private static final int SMALL = 8;

  /**
   * The unmodifiable headers of a record, in insertion order: up to {@link #SMALL} in one array of
   * alternating names and values, looked up by scanning (a message's few headers cost one array,
   * not a hash table with a node per entry, and a look-up touches one array), more in a {@link
   * LinkedHashMap}. A {@link Builder} hands its storage over as is (no copy, the publishing
   * thread's hot path) and copies it before any later change; every other map is copied.
   */
  private static final class FrozenHeaders extends AbstractMap<String, Object> {
    /** {@code [name0, value0, name1, value1, ...]}; null when {@link #large} holds them. */
    private final Object[] small;

    private final int size;
    private final Map<String, Object> large;
    private Set<Map.Entry<String, Object>> entries; // made on use; a benign race

    private FrozenHeaders(Object[] small, int size) {
      this.small = small;
      this.size = size;
      this.large = null;
    }

    private FrozenHeaders(Map<String, Object> large) {
      this.small = null;
      this.size = large.size();
      this.large = large;
    }

    static FrozenHeaders copyOf(Map<String, Object> headers) {
      if (headers.size() > SMALL) {
        return new FrozenHeaders(new LinkedHashMap<>(headers));
      }
      Object[] kv = new Object[headers.size() * 2];
      int[] i = {0};
      headers.forEach(
          (k, v) -> {
            kv[i[0]++] = k;
            kv[i[0]++] = v;
          });
      return new FrozenHeaders(kv, headers.size());
    }

    private int indexOf(Object key) {
      return indexOf(small, size, key);
    }

    /**
     * The index of {@code key}'s name in {@code kv} ({@code [name0, value0, ...]}, {@code size}
     * entries), -1 if absent.
     */
    static int indexOf(Object[] kv, int size, Object key) {
      for (int i = 0, n = size * 2; i < n; i += 2) {
        Object k = kv[i];
        if (k == key || k.equals(key)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public boolean isEmpty() {
      return size == 0;
    }

    @Override
    public boolean containsKey(Object key) {
      return large != null ? large.containsKey(key) : indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
      if (large != null) {
        return large.get(key);
      }
      int i = indexOf(key);
      return i < 0 ? null : small[i + 1];
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
      if (large != null) {
        return large.getOrDefault(key, defaultValue);
      }
      int i = indexOf(key);
      return i < 0 ? defaultValue : small[i + 1];
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
      Set<Map.Entry<String, Object>> e = entries;
      if (e == null) {
        e = large != null ? Collections.unmodifiableMap(large).entrySet() : new SmallEntries();
        entries = e;
      }
      return e;
    }

    @Override
    public Set<String> keySet() {
      return large != null ? Collections.unmodifiableMap(large).keySet() : super.keySet();
    }

    @Override
    public Collection<Object> values() {
      return large != null ? Collections.unmodifiableMap(large).values() : super.values();
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
      if (large != null) {
        large.forEach(action);
        return;
      }
      Object[] kv = small;
      for (int i = 0, n = size * 2; i < n; i += 2) {
        action.accept((String) kv[i], kv[i + 1]);
      }
    }

    /** The entries of {@link #small}, in order, unmodifiable. */
    private final class SmallEntries extends AbstractSet<Map.Entry<String, Object>> {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < size * 2;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (i >= size * 2) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, Object> e =
                new AbstractMap.SimpleImmutableEntry<>((String) small[i], small[i + 1]);
            i += 2;
            return e;
          }
        };
      }
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
      // shared until the builder's first change copies it
      b.small = f.small;
      b.smallSize = f.small == null ? 0 : f.size;
      b.large = f.large;
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
    // the headers: up to SMALL in small (alternating names and values), more in large; made by
    // the first header, handed to the last build() as is (headersBuilt), then copied on change
    private Object[] small;
    private int smallSize;
    private Map<String, Object> large;
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
      small = null;
      smallSize = 0;
      large = null;
      headersBuilt = false;
      if (v != null && !v.isEmpty()) {
        FrozenHeaders copy = FrozenHeaders.copyOf(v);
        small = copy.small;
        smallSize = copy.small == null ? 0 : copy.size;
        large = copy.large;
      }
      return this;
    }

    /** Sets one header; a null value removes it. */
    public Builder header(String name, Object value) {
      Objects.requireNonNull(name, "header name");
      if (large != null) {
        if (headersBuilt) {
          large = new LinkedHashMap<>(large);
          headersBuilt = false;
        }
        if (value == null) {
          large.remove(name);
        } else {
          large.put(name, value);
        }
        return this;
      }
      int i = FrozenHeaders.indexOf(small, smallSize, name);
      if (value == null) {
        if (i >= 0) {
          changeableSmall(0);
          System.arraycopy(small, i + 2, small, i, smallSize * 2 - i - 2);
          smallSize--;
          small[smallSize * 2] = null;
          small[smallSize * 2 + 1] = null;
        }
      } else if (i >= 0) {
        changeableSmall(0);
        small[i + 1] = value;
      } else if (smallSize < SMALL) {
        changeableSmall(1);
        small[smallSize * 2] = name;
        small[smallSize * 2 + 1] = value;
        smallSize++;
      } else {
        Map<String, Object> m = new LinkedHashMap<>(SMALL * 4);
        for (int k = 0; k < smallSize * 2; k += 2) {
          m.put((String) small[k], small[k + 1]);
        }
        m.put(name, value);
        large = m;
        small = null;
        smallSize = 0;
        headersBuilt = false;
      }
      return this;
    }

    /**
     * Makes {@link #small} this builder's own (a copy after a build that holds it) with room for
     * {@code more} entries.
     */
    private void changeableSmall(int more) {
      int need = (smallSize + more) * 2;
      if (small == null) {
        small = new Object[Math.max(4, need)];
      } else if (headersBuilt || need > small.length) {
        small =
            Arrays.copyOf(
                small,
                Math.max(small.length, Math.min(SMALL * 2, Math.max(need, small.length * 2))));
      }
      headersBuilt = false;
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
      // no copy: this builder copies before its next change
      if (large != null && !large.isEmpty()) {
        h = new FrozenHeaders(large);
        headersBuilt = true;
      } else if (smallSize > 0) {
        h = new FrozenHeaders(small, smallSize);
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
