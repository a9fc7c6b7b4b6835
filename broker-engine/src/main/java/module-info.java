/**
 * The WarrenMQ broker engine: RabbitMQ's AMQP 0-9-1 model (virtual hosts, exchanges, bindings,
 * queues, consumers, transactions, XA) behind {@link io.warrenmq.engine.Broker}. Only {@code
 * io.warrenmq.engine} is exported; {@code io.warrenmq.engine.internal} is the implementation.
 */
module io.warrenmq.engine {
  requires transitive io.warrenmq.client;
  requires transitive java.management; // the JMX MBeans (BrokerConfig.jmx)

  exports io.warrenmq.engine;
}
