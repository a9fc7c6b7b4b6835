package io.warrenmq.bench.mdb;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

/**
 * The benchmark's producer: one call is one container-managed JTA transaction (REQUIRED, started
 * by the container because the caller has none) that sends a number of messages. The connection
 * factory and the queue are named only by JNDI name, so the EAR deploys unchanged over WarrenMQ's
 * adapter and over WildFly's built-in Artemis (messaging-activemq, pooled connection factory
 * activemq-ra): the benchmark's server configurations bind both names.
 *
 * <p>Thread-safety: a stateless session bean; the container gives each call its own instance.
 */
@Stateless
public class BenchProducer {
  /** JNDI name of the connection factory in both server configurations. */
  public static final String CONNECTION_FACTORY = "java:/jms/bench/ConnectionFactory";

  /** JNDI name of the queue in both server configurations. */
  public static final String QUEUE = "java:/jms/bench/queue/benchq";

  @Resource(lookup = CONNECTION_FACTORY)
  private ConnectionFactory factory;

  @Resource(lookup = QUEUE)
  private Queue queue;

  /**
   * Sends {@code messages} BytesMessages carrying {@code body} to the queue in the caller's
   * transaction (a new one: the benchmark calls from threads without a transaction).
   *
   * @param messages messages to send, at least 1
   * @param persistent delivery mode PERSISTENT if true, NON_PERSISTENT otherwise
   * @param body the body of every message (the benchmark uses 1,024 bytes)
   * @throws JMSException as the provider throws it; the container then rolls the transaction back
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRED)
  public void send(int messages, boolean persistent, byte[] body) throws JMSException {
    try (Connection connection = factory.createConnection()) {
      // In a JTA transaction the arguments are ignored (Jakarta Messaging 3.1, 12.3).
      Session session = connection.createSession();
      MessageProducer producer = session.createProducer(queue);
      producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
      for (int i = 0; i < messages; i++) {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(body);
        producer.send(message);
      }
    }
  }
}
