package io.warrenmq.serverconfig.recovery;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.jms.JMSException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;

/**
 * Test driver, outside any JTA transaction. {@code POST send?id=} sends the order message and
 * commits; {@code POST send-then-halt?id=} and {@code POST consume-then-halt?id=} never answer (the
 * server halts; a 500 says the transaction completed instead); {@code POST send-then-hold?id=}
 * never answers either (its commit holds until the server halts) and {@code GET holding} answers
 * how many commits are held so. {@code GET state?id=} answers {@code rows=R messages=M h2InDoubt=D
 * halterBranches=B}: the order's committed rows, its ready messages in the queue, H2's prepared
 * transactions and the halter's prepared branches.
 */
@Path("/")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class RecoveryResource {
  @EJB private RecoveryOrders orders;

  @POST
  @Path("send")
  public String send(@QueryParam("id") String id) throws JMSException, SQLException {
    orders.createTable();
    orders.send(id);
    return "sent " + id;
  }

  @POST
  @Path("send-then-halt")
  public Response sendThenHalt(@QueryParam("id") String id) throws JMSException, SQLException {
    orders.createTable();
    orders.sendThen(id, Halter.OnCommit.HALT);
    return completed(id);
  }

  @POST
  @Path("send-then-hold")
  public Response sendThenHold(@QueryParam("id") String id) throws JMSException, SQLException {
    orders.createTable();
    orders.sendThen(id, Halter.OnCommit.HOLD);
    return completed(id);
  }

  @GET
  @Path("holding")
  public String holding() {
    return Integer.toString(Halter.holding());
  }

  @POST
  @Path("consume-then-halt")
  public Response consumeThenHalt(@QueryParam("id") String id) throws JMSException, SQLException {
    orders.createTable();
    orders.consumeThenHalt(id);
    return completed(id);
  }

  @GET
  @Path("state")
  public String state(@QueryParam("id") String id) throws JMSException, SQLException {
    return "rows="
        + orders.rows(id)
        + " messages="
        + orders.messages(id)
        + " h2InDoubt="
        + orders.inDoubt()
        + " halterBranches="
        + Halter.preparedBranches().size();
  }

  /** The answer of a request whose transaction should never have completed: a 500 saying so. */
  private static Response completed(String id) {
    return Response.serverError().entity("the transaction of " + id + " completed").build();
  }
}
