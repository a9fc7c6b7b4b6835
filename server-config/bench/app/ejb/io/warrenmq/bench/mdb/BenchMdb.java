package io.warrenmq.bench.mdb;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * The benchmark's consumer: reads each message's body and counts it in {@link Received}. XA
 * delivery: container-managed transaction REQUIRED, so every delivery is one JTA transaction that
 * the adapter's XAResource joins; 15 sessions in parallel. The queue is named by JNDI name only
 * (destinationLookup); the resource adapter is the ejb3 subsystem's default-resource-adapter-name,
 * which the benchmark's server configurations set to warren-ra.rar or activemq-ra.rar.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(
          propertyName = "destinationLookup",
          propertyValue = BenchProducer.QUEUE),
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Queue"),
      @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "15")
    })
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class BenchMdb implements MessageListener {
  @Override
  public void onMessage(Message message) {
    try {
      Received.add(message.getBody(byte[].class).length);
    } catch (JMSException e) {
      throw new IllegalStateException("cannot read the body of a benchmark message", e);
    }
  }
}
