package io.warrenmq.serverconfig.redelivery;

import jakarta.annotation.PostConstruct;
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
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Test driver, outside any JTA transaction: {@code POST send?queue=&key=} sends a text message with
 * String property {@code key}; {@code GET attempts?key=} lists the delivery counts the MDBs saw
 * ("1,2,3"); {@code GET retryGap?key=} gives the ms from the first failed delivery to the start of
 * the second (-1 if not recorded); {@code GET dead?queue=&waitMs=} receives one message from a
 * queue and shows its key, text, dead-letter reason and origin, and its JMSMessageID (in a
 * dead-letter queue: the copy's, which the adapter's dead-letter log record names), or answers 404.
 */
@Path("/")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class RedeliveryResource {
  /** {@code java:comp/env/jms/warren/ConnectionFactory}: declared in WEB-INF/web.xml (TestWars). */
  private ConnectionFactory connectionFactory;

  /**
   * Looks the references up by their logical names rather than by @Resource(name = ...): for a
   * ConnectionFactory or DataSource @Resource without a lookup, WildFly injects its own default
   * (Artemis, ExampleDS) and ignores the jboss-web.xml mapping.
   */
  @PostConstruct
  void lookUpResources() {
    try {
      connectionFactory = InitialContext.doLookup("java:comp/env/jms/warren/ConnectionFactory");
    } catch (NamingException e) {
      throw new IllegalStateException("a resource reference of WEB-INF/web.xml is not mapped", e);
    }
  }

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
                  + m.getStringProperty("WarrenDeadLetterOrigin")
                  + "\nid="
                  + m.getJMSMessageID())
          .build();
    }
  }
}
