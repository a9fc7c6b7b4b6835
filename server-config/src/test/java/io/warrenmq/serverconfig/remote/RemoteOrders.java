package io.warrenmq.serverconfig.remote;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Places orders on the broker of the resource adapter: each call sends its orders in one
 * container-managed JTA transaction, so they are all on the queue {@value #QUEUE} when it returns,
 * or none is.
 */
@Stateless
public class RemoteOrders {
  /** The queue the orders go to; {@link RemoteOrderMdb} consumes it. */
  public static final String QUEUE = "remote-orders";

  /** The message property with the milliseconds {@link RemoteOrderMdb} works on the order. */
  public static final String WORK_MILLIS = "workMillis";

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

  /**
   * Sends the orders {@code <run>-<from>} to {@code <run>-<from + count - 1>} (the text body is the
   * order id) with {@code workMillis}, in the caller's transaction.
   */
  public void place(String run, int from, int count, int workMillis) throws JMSException {
    try (Connection c = connectionFactory.createConnection();
        Session s = c.createSession()) {
      MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
      for (int i = from; i < from + count; i++) {
        TextMessage m = s.createTextMessage(run + "-" + i);
        m.setIntProperty(WORK_MILLIS, workMillis);
        producer.send(m);
      }
    }
  }
}
