package io.warrenmq.engine.internal;

import io.warrenmq.engine.BrokerControlMXBean;
import io.warrenmq.engine.QueueControlMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A broker's MBeans in the platform MBean server (see {@link QueueControlMXBean} for the names):
 * the broker's own, and one {@link QueueControl} per queue, registered as virtual hosts create
 * queues and unregistered as they delete them, and all at {@link #close()}.
 *
 * <p>A name already taken (another broker of the same name in this JVM) is logged and skipped:
 * management must never fail a queue declaration. Only names this object registered are ever
 * unregistered by it.
 *
 * <p>Thread-safe. Virtual hosts call {@link #queueCreated} and {@link #queueDeleted} under their
 * topology lock, so the two are ordered per queue; registration takes no broker lock.
 */
public final class ManagementBeans {
  private static final System.Logger LOG = System.getLogger(ManagementBeans.class.getName());

  /** The JMX domain of WarrenMQ's MBeans. */
  public static final String DOMAIN = "io.warrenmq";

  private final String brokerName;
  private final Supplier<? extends Collection<ServerConnection>> connections;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final Map<Queue, ObjectName> registered = new ConcurrentHashMap<>();
  private ObjectName brokerBean; // guarded by this
  private boolean closed; // guarded by this

  /**
   * Registers the broker's MBean.
   *
   * @param connections the broker's open connections (for the unacked counts)
   */
  public ManagementBeans(
      String brokerName,
      BrokerControlMXBean broker,
      Supplier<? extends Collection<ServerConnection>> connections) {
    this.brokerName = brokerName;
    this.connections = connections;
    try {
      ObjectName n = brokerName(brokerName);
      server.registerMBean(broker, n);
      brokerBean = n;
    } catch (JMException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "broker ''{0}'': its JMX MBean was not registered: {1}",
          brokerName,
          e.toString());
    }
  }

  /** The name of a broker's MBean. */
  public static ObjectName brokerName(String broker) {
    return name("type=Broker,name=" + ObjectName.quote(broker));
  }

  /** The name of a queue's MBean. */
  public static ObjectName queueName(String broker, String vhost, String queue) {
    return name(
        "type=Queue,broker="
            + ObjectName.quote(broker)
            + ",vhost="
            + ObjectName.quote(vhost)
            + ",name="
            + ObjectName.quote(queue));
  }

  private static ObjectName name(String properties) {
    try {
      return new ObjectName(DOMAIN + ":" + properties);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e.getMessage(), e); // cannot happen: values are quoted
    }
  }

  /** Registers the MBean of a queue just created (declared or recovered). */
  void queueCreated(Queue q) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    ObjectName n = queueName(brokerName, q.virtualHost().name(), q.name());
    try {
      server.registerMBean(new QueueControl(q, connections), n);
      registered.put(q, n);
    } catch (JMException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "broker ''{0}'': the JMX MBean of queue ''{1}'' in vhost ''{2}'' was not registered: {3}",
          brokerName,
          q.name(),
          q.virtualHost().name(),
          e.toString());
    }
  }

  /** Unregisters the MBean of a queue just deleted. */
  void queueDeleted(Queue q) {
    ObjectName n = registered.remove(q);
    if (n != null) {
      unregister(n);
    }
  }

  /** Unregisters every MBean of the broker; later queues are not registered. Idempotent. */
  public void close() {
    ObjectName b;
    synchronized (this) {
      closed = true;
      b = brokerBean;
      brokerBean = null;
    }
    List<Queue> all = new ArrayList<>(registered.keySet());
    for (Queue q : all) {
      queueDeleted(q);
    }
    if (b != null) {
      unregister(b);
    }
  }

  private void unregister(ObjectName n) {
    try {
      server.unregisterMBean(n);
    } catch (JMException e) {
      LOG.log(System.Logger.Level.DEBUG, "MBean {0} was already unregistered", n);
    }
  }
}
