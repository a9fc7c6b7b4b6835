package io.warrenmq.engine.internal;

import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.BrokerControlMXBean;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** The {@link BrokerControlMXBean} of a broker. Thread-safe: every call reads a snapshot. */
public final class BrokerControl implements BrokerControlMXBean {
  private final String name;
  private final Supplier<List<String>> virtualHosts;
  private final Function<String, ServerVirtualHost> lookup;

  /**
   * @param virtualHosts the broker's virtual host names
   * @param lookup a virtual host by name, null if it does not exist
   */
  public BrokerControl(
      String name,
      Supplier<List<String>> virtualHosts,
      Function<String, ServerVirtualHost> lookup) {
    this.name = name;
    this.virtualHosts = virtualHosts;
    this.lookup = lookup;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String[] getVirtualHosts() {
    return virtualHosts.get().stream().sorted().toArray(String[]::new);
  }

  @Override
  public String[] listQueues(String virtualHost) {
    ServerVirtualHost v = virtualHost == null ? null : lookup.apply(virtualHost);
    if (v == null) {
      throw new IllegalArgumentException("no vhost '" + virtualHost + "'");
    }
    return v.queueSpecs().stream().map(QueueSpec::name).sorted().toArray(String[]::new);
  }
}
