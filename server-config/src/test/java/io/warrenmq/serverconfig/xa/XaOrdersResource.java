package io.warrenmq.serverconfig.xa;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Test driver, outside any JTA transaction: {@code POST place?id=&fail=} answers 200 when the
 * transaction committed and 409 when it rolled back; {@code GET rows?id=} counts the order's rows;
 * {@code GET message?id=&waitMs=} receives the order's message (selector on {@code orderId}) or
 * answers 404.
 */
@Path("/")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class XaOrdersResource {
  @EJB private XaOrders orders;

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

  @POST
  @Path("place")
  public Response place(@QueryParam("id") String id, @QueryParam("fail") boolean fail)
      throws SQLException {
    orders.createTable();
    try {
      orders.place(id, fail);
      return Response.ok("committed " + id).build();
    } catch (EJBException e) {
      return Response.status(409).entity("rolled back " + id + ": " + e.getMessage()).build();
    } catch (JMSException e) {
      return Response.status(500).entity("JMS failure: " + e).build();
    }
  }

  @GET
  @Path("rows")
  public String rows(@QueryParam("id") String id) throws SQLException {
    orders.createTable();
    return String.valueOf(orders.rows(id));
  }

  @GET
  @Path("message")
  public Response message(@QueryParam("id") String id, @QueryParam("waitMs") long waitMs)
      throws JMSException {
    try (Connection c = connectionFactory.createConnection();
        Session s = c.createSession()) {
      c.start();
      Message m =
          s.createConsumer(
                  s.createQueue(XaOrders.QUEUE), "orderId = '" + id.replace("'", "''") + "'")
              .receive(Math.max(1, waitMs));
      return m == null
          ? Response.status(404).entity("no message for " + id).build()
          : Response.ok(m.getStringProperty("orderId")).build();
    }
  }
}
