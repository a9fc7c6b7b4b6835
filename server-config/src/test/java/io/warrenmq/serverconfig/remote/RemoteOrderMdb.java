package io.warrenmq.serverconfig.remote;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.transaction.TransactionSynchronizationRegistry;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Consumes {@value RemoteOrders#QUEUE} on the adapter's (remote) broker and, in the same
 * container-managed JTA transaction, sends a record of the order to {@value #PROCESSED}: the order
 * id as the text body and the property {@value #INSTANCE}, the system property {@code
 * warren.it.instance} of this server (set by {@code wildfly/provision-remote.sh}). Before sending
 * it works {@value RemoteOrders#WORK_MILLIS} ms on the order, so that a run lasts long enough for
 * the test to crash something in the middle of it.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "destination", propertyValue = RemoteOrders.QUEUE),
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Queue"),
      @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "8")
    })
public class RemoteOrderMdb implements MessageListener {
  /** The queue of the records. */
  public static final String PROCESSED = "remote-processed";

  /** The record's property naming the instance that processed the order. */
  public static final String INSTANCE = "instance";

  /**
   * The record's property describing the order's delivery (redelivered flag, delivery count,
   * message id) and its processing (the time, and the JTA transaction's key: for Narayana the
   * transaction's uid, which the {@code ARJUNA} lines of the server log name), for the failure
   * messages of the tests.
   */
  public static final String DELIVERY = "delivery";

  @EJB private Tally tally;

  /** Names the transaction in the record (Narayana's key carries the transaction's uid). */
  @Resource private TransactionSynchronizationRegistry transactions;

  /** {@code java:comp/env/jms/warren/ConnectionFactory}: declared in WEB-INF/web.xml. */
  private ConnectionFactory connectionFactory;

  @PostConstruct
  void lookUpResources() {
    try {
      connectionFactory = InitialContext.doLookup("java:comp/env/jms/warren/ConnectionFactory");
    } catch (NamingException e) {
      throw new IllegalStateException("a resource reference of WEB-INF/web.xml is not mapped", e);
    }
  }

  @Override
  public void onMessage(Message message) {
    try {
      String orderId = ((TextMessage) message).getText();
      Thread.sleep(message.getIntProperty(RemoteOrders.WORK_MILLIS));
      try (Connection c = connectionFactory.createConnection();
          Session s = c.createSession()) {
        TextMessage record = s.createTextMessage(orderId);
        record.setStringProperty(INSTANCE, System.getProperty("warren.it.instance", "?"));
        record.setStringProperty(
            DELIVERY,
            "redelivered="
                + message.getJMSRedelivered()
                + " JMSXDeliveryCount="
                + message.getObjectProperty("JMSXDeliveryCount")
                + " JMSMessageID="
                + message.getJMSMessageID()
                + " at="
                + java.time.Instant.now()
                + " tx="
                + transactions.getTransactionKey());
        s.createProducer(s.createQueue(PROCESSED)).send(record);
      }
      tally.increment();
    } catch (JMSException e) {
      throw new EJBException("cannot process or record the order", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EJBException("interrupted while working on the order", e);
    }
  }
}
