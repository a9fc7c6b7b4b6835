package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.UUID;

/**
 * What {@code xa-orders.war} ({@link TestWars#xaOrders()}) must show on any server: one JTA
 * transaction writes an order row through the H2 XA datasource and sends the order message through
 * WarrenMQ; a commit leaves both, a rollback neither. Run by {@code XaOrderIT} (WildFly) and {@code
 * PayaraXaOrderIT}.
 */
public final class XaOrderScenarios {
  private final TestApi api;

  public XaOrderScenarios(TestApi api) {
    this.api = api;
  }

  /** A committed transaction leaves exactly its row and its message. */
  public void aCommittedTransactionLeavesBothTheOrderRowAndTheOrderMessage() throws Exception {
    String id = "ok-" + UUID.randomUUID();

    HttpResponse<String> placed = api.call("POST", "place?fail=false&id=" + id);

    assertEquals(200, placed.statusCode(), placed::body);
    assertEquals("1", api.call("GET", "rows?id=" + id).body());
    HttpResponse<String> message = api.call("GET", "message?waitMs=5000&id=" + id);
    assertEquals(200, message.statusCode(), message::body);
    assertEquals(id, message.body());
  }

  /** A rolled-back transaction leaves neither its row nor its message. */
  public void aRolledBackTransactionLeavesNeitherTheOrderRowNorTheOrderMessage() throws Exception {
    String id = "fail-" + UUID.randomUUID();

    HttpResponse<String> placed = api.call("POST", "place?fail=true&id=" + id);

    assertEquals(409, placed.statusCode(), placed::body);
    assertEquals("0", api.call("GET", "rows?id=" + id).body());
    HttpResponse<String> message = api.call("GET", "message?waitMs=1000&id=" + id);
    assertEquals(404, message.statusCode(), message::body);
  }
}
