package io.warrenmq.sample.web;

import io.warrenmq.sample.OrderLedger;
import io.warrenmq.sample.OrderService;
import io.warrenmq.sample.OrderStats;
import io.warrenmq.sample.PlacedOrders;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /ear-sample/api/orders}: places orders through {@link OrderService} and reports the {@link
 * OrderLedger} counters.
 *
 * <p>Thread-safety: request scoped; the beans it calls are container-managed.
 */
@Path("/orders")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

  @EJB private OrderService orderService;

  @EJB private OrderLedger ledger;

  @EJB private io.warrenmq.sample.OrderRows orderRows;

  /**
   * Places one order marked {@code fail}: its row and messages are written and sent, then its
   * transaction rolls back.
   *
   * @return 200 with {@code {"orderId", "rolledBack": true}}
   */
  @POST
  @Path("/fail")
  public JsonObject placeFailingOrder() {
    String orderId = "order-fail-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    boolean rolledBack = false;
    try {
      orderService.placeFailingOrder(orderId);
    } catch (io.warrenmq.sample.OrderFailedOnPurpose expected) {
      rolledBack = true;
    }
    return Json.createObjectBuilder().add("orderId", orderId).add("rolledBack", rolledBack).build();
  }

  /**
   * What exists of one order: its row, and whether the order MDB received its message.
   *
   * @return {@code {"orderId", "row", "messageProcessed"}}
   */
  @GET
  @Path("/check")
  public JsonObject check(@QueryParam("orderId") String orderId) {
    return Json.createObjectBuilder()
        .add("orderId", orderId)
        .add("row", orderRows.exists(orderId))
        .add("messageProcessed", ledger.isProcessed(orderId))
        .build();
  }

  /**
   * Places {@code count} orders and answers once they are all sent (not yet processed).
   *
   * @param count how many orders, 1 to {@value OrderService#MAX_ORDERS_PER_CALL}; default 1
   * @return 200 with {@code {"runId", "sent", "elapsedMillis"}}, or 400 with {@code {"error"}} if
   *     {@code count} is out of range
   */
  @POST
  public Response placeOrders(@QueryParam("count") @DefaultValue("1") int count) {
    if (count < 1 || count > OrderService.MAX_ORDERS_PER_CALL) {
      JsonObject error =
          Json.createObjectBuilder()
              .add(
                  "error",
                  "count must be between 1 and "
                      + OrderService.MAX_ORDERS_PER_CALL
                      + ", was "
                      + count)
              .build();
      return Response.status(Response.Status.BAD_REQUEST).entity(error).build();
    }
    PlacedOrders placed = orderService.placeOrders(count);
    JsonObject body =
        Json.createObjectBuilder()
            .add("runId", placed.runId())
            .add("sent", placed.sent())
            .add("elapsedMillis", placed.elapsedMillis())
            .build();
    return Response.ok(body).build();
  }

  /**
   * Reads the counters.
   *
   * @return {@code {"ordersSent", "ordersProcessed", "duplicateDeliveries", "auditEvents",
   *     "notificationEvents"}}
   */
  @GET
  @Path("/stats")
  public JsonObject stats() {
    OrderStats stats = ledger.stats();
    return Json.createObjectBuilder()
        .add("ordersSent", stats.ordersSent())
        .add("ordersProcessed", stats.ordersProcessed())
        .add("duplicateDeliveries", stats.duplicateDeliveries())
        .add("auditEvents", stats.auditEvents())
        .add("notificationEvents", stats.notificationEvents())
        .build();
  }

  /**
   * Sets every counter back to zero. Call it only while no orders are in flight.
   *
   * @return the counters after the reset, all zero
   */
  @POST
  @Path("/reset")
  public JsonObject reset() {
    ledger.reset();
    return stats();
  }
}
