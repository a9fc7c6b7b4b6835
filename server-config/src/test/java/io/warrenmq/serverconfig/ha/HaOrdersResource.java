package io.warrenmq.serverconfig.ha;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;

/**
 * Test driver, outside any JTA transaction. {@code POST place?id=&fail=&workMillis=} places one
 * order in one transaction ({@link HaOrders#place}) and answers 200 when it committed, 409 when it
 * was refused on purpose ({@link OrderRefused}) and 500 with the exception chain when a resource
 * failed; {@code GET rows?prefix=} lists the order rows with that prefix, one per line; {@code GET
 * inDoubt} counts the XA datasource's prepared transactions.
 */
@Path("/")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class HaOrdersResource {
  @EJB private HaOrders orders;

  @POST
  @Path("place")
  public Response place(
      @QueryParam("id") String id,
      @QueryParam("fail") boolean fail,
      @QueryParam("workMillis") int workMillis)
      throws SQLException {
    orders.createTable();
    try {
      orders.place(id, fail, workMillis);
      return Response.ok("committed " + id).build();
    } catch (OrderRefused e) {
      return Response.status(409).entity("rolled back " + id + ": " + e.getMessage()).build();
    } catch (EJBException e) {
      StringBuilder chain = new StringBuilder("failed " + id);
      for (Throwable t = e; t != null; t = t.getCause()) {
        chain.append(": ").append(t);
      }
      return Response.status(500).entity(chain.toString()).build();
    }
  }

  @GET
  @Path("rows")
  public String rows(@QueryParam("prefix") String prefix) throws SQLException {
    orders.createTable();
    return String.join("\n", orders.rows(prefix));
  }

  @GET
  @Path("inDoubt")
  public String inDoubt() throws SQLException {
    return Integer.toString(orders.inDoubt());
  }
}
