package io.warrenmq.serverconfig.defaults;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Test driver: {@code POST round-trip?queue=&body=} sends a text message to a JMS queue through the
 * Jakarta EE default connection factory (a {@code @Resource} without a name or lookup, which the
 * platform resolves to {@code java:comp/DefaultJMSConnectionFactory}, Jakarta EE 10 section
 * EE.5.21), receives it back (at most 10 s) and answers {@code <JMS provider name> <body>}, or
 * {@code <JMS provider name> nothing} when nothing arrived.
 */
@Path("/")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class DefaultJmsResource {
  @Resource private ConnectionFactory defaultFactory;

  @POST
  @Path("round-trip")
  public String roundTrip(@QueryParam("queue") String queueName, @QueryParam("body") String body)
      throws JMSException {
    try (JMSContext context = defaultFactory.createContext()) {
      Queue queue = context.createQueue(queueName);
      context.createProducer().send(queue, body);
      try (JMSConsumer consumer = context.createConsumer(queue)) {
        String received = consumer.receiveBody(String.class, 10_000);
        return context.getMetaData().getJMSProviderName()
            + " "
            + (received == null ? "nothing" : received);
      }
    }
  }
}
