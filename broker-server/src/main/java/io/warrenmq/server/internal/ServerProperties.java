package io.warrenmq.server.internal;

import io.warrenmq.client.Capabilities;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code server-properties} table of {@code connection.start}: product, version, platform and
 * the RabbitMQ {@code capabilities} a client reads to decide what it may use (RabbitMQ doc
 * "Connection capabilities"; pika, for one, refuses {@code confirm_delivery} without {@code
 * publisher_confirms}), plus {@code warrenmq.dtx} for WarrenMQ's XA extension
 * (docs/protocol-dtx.md) and {@code warrenmq.dtx_start_no_wait} for its pipelined start, {@code
 * warrenmq.selectors} for broker-side JMS selectors, {@code warrenmq.browse}
 * (docs/protocol-browse.md), {@code warrenmq.release} (docs/protocol-release.md) and {@code
 * warrenmq.prefetch_size} (docs/protocol-prefetch-size.md). Only what this server does is
 * advertised, which is RabbitMQ 3.x's list but for {@code consumer_priorities}.
 */
final class ServerProperties {
  /**
   * The system property that, set to {@code false}, keeps {@link Capabilities#DTX_START_NO_WAIT}
   * out of the table (default true).
   */
  static final String START_NO_WAIT_PROPERTY = "warrenmq.dtx.startNoWait";

  private ServerProperties() {}

  static Map<String, Object> table(String version) {
    Map<String, Object> capabilities = new LinkedHashMap<>();
    capabilities.put("publisher_confirms", true);
    capabilities.put("exchange_exchange_bindings", true);
    capabilities.put("basic.nack", true);
    capabilities.put("consumer_cancel_notify", true);
    capabilities.put("per_consumer_qos", true);
    capabilities.put("authentication_failure_close", true);
    capabilities.put("connection.blocked", true);
    capabilities.put("direct_reply_to", true);
    // WarrenMQ's XA extension, class dtx (docs/protocol-dtx.md); RabbitMQ drops the connection
    // on a method of an unknown class, so a client checks this before its first dtx.select
    capabilities.put(Capabilities.DTX, true);
    // dtx.start's no-wait bit (docs/protocol-dtx.md, "Pipelined dtx.start"): an older server
    // would close the connection on the extra octet, so a client checks this before it sets it.
    // -Dwarrenmq.dtx.startNoWait=false withholds it: clients then wait for every dtx.start, and
    // xa_start reports its errors itself (XAER_DUPID) instead of the calls after it
    if (Boolean.parseBoolean(System.getProperty(START_NO_WAIT_PROPERTY, "true"))) {
      capabilities.put(Capabilities.DTX_START_NO_WAIT, true);
    }
    // JMS selectors evaluated by the broker (x-jms-selector on basic.consume and queue.bind);
    // RabbitMQ ignores that argument, so a client checks this rather than lose the filter
    capabilities.put(Capabilities.SELECTORS, true);
    // queue browsing (docs/protocol-browse.md): RabbitMQ ignores x-warrenmq-browse and would
    // consume the messages, so a client checks this before it asks for a browse
    capabilities.put(Capabilities.BROWSE, true);
    // basic.release (docs/protocol-release.md): RabbitMQ drops the connection on an unknown method
    capabilities.put(Capabilities.RELEASE, true);
    // basic.qos prefetch-size, a byte window (docs/protocol-prefetch-size.md): RabbitMQ closes
    // the connection with 540 for a non-zero size, so a client checks this before it sends one
    capabilities.put(Capabilities.PREFETCH_SIZE, true);
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("product", "WarrenMQ");
    props.put("version", version);
    props.put("platform", "Java " + Runtime.version().feature());
    props.put("copyright", "WarrenMQ");
    props.put("information", "AMQP 0-9-1 broker for Jakarta EE and RabbitMQ clients");
    props.put("capabilities", capabilities);
    return props;
  }
}
