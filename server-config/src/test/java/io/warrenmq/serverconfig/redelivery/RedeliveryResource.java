package io.warrenmq.serverconfig.redelivery;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;

/**
 * Test driver, outside any JTA transaction: {@code POST send?queue=&key=} sends a text message with
 * String property {@code key}; {@code GET attempts?key=} lists the delivery counts the MDBs saw
 * ("1,2,3"); {@code GET retryGap?key=} gives the ms from the first failed delivery to the start of
 * the second (-1 if not recorded); {@code GET dead?queue=&waitMs=} receives one message from a
 * queue and shows its key, text and dead-letter reason, or answers 404.
 */
@Path("/")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class RedeliveryResource {
  @Resource(lookup = "java:/jms/warren/ConnectionFactory")
  private ConnectionFactory connectionFactory;

  @EJB private Attempts attempts;

  @POST
  @Path("send")
  public String send(@QueryParam("queue") String queue, @QueryParam("key") String key)
      throws JMSException {
    try (Connection c = connectionFactory.createConnection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      TextMessage m = s.createTextMessage("payload of " + key);
      m.setStringProperty("key", key);
      s.createProducer(s.createQueue(queue)).send(m);
      return m.getJMSMessageID();
    }
  }

  @GET
  @Path("attempts")
  public String attempts(@QueryParam("key") String key) {
    return attempts.of(key).stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  @GET
  @Path("retryGap")
  public String retryGap(@QueryParam("key") String key) {
    return Long.toString(attempts.millisFromFailureToRetry(key));
  }

  @GET
  @Path("dead")
  public Response dead(@QueryParam("queue") String queue, @QueryParam("waitMs") long waitMs)
      throws JMSException {
    try (Connection c = connectionFactory.createConnection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      c.start();
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      Message m = consumer.receive(Math.max(1, waitMs));
      if (m == null) {
        return Response.status(404).entity("nothing in " + queue).build();
      }
      return Response.ok(
              "key="
                  + m.getStringProperty("key")
                  + "\ntext="
                  + ((TextMessage) m).getText()
                  + "\nreason="
                  + m.getStringProperty("WarrenDeadLetterReason")
                  + "\norigin="
                  + m.getStringProperty("WarrenDeadLetterOrigin"))
          .build();
    }
  }
}
