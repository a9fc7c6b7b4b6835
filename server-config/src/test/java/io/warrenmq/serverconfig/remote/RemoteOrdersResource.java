package io.warrenmq.serverconfig.remote;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.jms.JMSException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Test driver: {@code POST orders?run=&count=&workMillis=} places the orders {@code <run>-0} to
 * {@code <run>-<count - 1>} in transactions of {@value #BATCH} and answers the number placed once
 * all have committed; {@code GET handled} answers this server's {@link Tally}.
 */
@Path("/")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class RemoteOrdersResource {
  /** Orders per JTA transaction. */
  static final int BATCH = 100;

  @EJB private RemoteOrders orders;
  @EJB private Tally tally;

  @POST
  @Path("orders")
  public String place(
      @QueryParam("run") String run,
      @QueryParam("count") int count,
      @QueryParam("workMillis") int workMillis)
      throws JMSException {
    for (int from = 0; from < count; from += BATCH) {
      orders.place(run, from, Math.min(BATCH, count - from), workMillis);
    }
    return Integer.toString(count);
  }

  @GET
  @Path("handled")
  public String handled() {
    return Long.toString(tally.handled());
  }
}
