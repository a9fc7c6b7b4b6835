package io.warrenmq.engine;

/**
 * Management of a {@link Broker} over JMX: what it hosts. Registered with the queues' MBeans (see
 * {@link QueueControlMXBean}) as {@code io.warrenmq:type=Broker,name=<broker quoted>} when {@link
 * BrokerConfig#jmx()} is on, and unregistered when the broker closes.
 *
 * <p>Concurrency: thread-safe; each call is a snapshot.
 */
public interface BrokerControlMXBean {
  /** The broker's name ({@link BrokerConfig#name()}). */
  String getName();

  /** The names of its virtual hosts, sorted. */
  String[] getVirtualHosts();

  /**
   * The names of the queues of a virtual host, sorted (as {@code rabbitmqctl list_queues -p}).
   *
   * @throws IllegalArgumentException if the virtual host does not exist
   */
  String[] listQueues(String virtualHost);
}
