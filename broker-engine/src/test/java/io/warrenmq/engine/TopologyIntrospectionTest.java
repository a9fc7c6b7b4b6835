package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.newBroker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TopologyIntrospectionTest {
  private final Broker broker = newBroker();

  @AfterEach
  void close() {
    broker.close();
  }

  @Test
  void aFreshVirtualHostListsNoExchangesQueuesOrBindings() {
    VirtualHost vhost = broker.virtualHost("/");
    assertEquals(List.of(), vhost.exchanges(), "default and amq.* exchanges are not listed");
    assertEquals(List.of(), vhost.queues());
    assertEquals(List.of(), vhost.bindings());
  }

  @Test
  void declaredExchangesAreListedSortedByNameWithTheirDeclaration() {
    try (Connection c = broker.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ExchangeSpec orders =
          new ExchangeSpec(
              "orders", "topic", true, false, false, Map.of("alternate-exchange", "unrouted"));
      ExchangeSpec unrouted = new ExchangeSpec("unrouted", "fanout", false, true, true, Map.of());
      ch.exchangeDeclare(unrouted);
      ch.exchangeDeclare(orders);
      assertEquals(List.of(orders, unrouted), broker.virtualHost("/").exchanges());
    }
  }

  @Test
  void queuesAreListedSortedByNameIncludingServerNamedAndExclusiveOnes() {
    try (Connection c = broker.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      QueueSpec b = new QueueSpec("b", true, false, false, Map.of("x-max-priority", 9));
      ch.queueDeclare(b);
      ch.queueDeclare(QueueSpec.durable("a"));
      String generated = ch.queueDeclare(QueueSpec.exclusiveAutoDelete("")).queue();
      List<QueueSpec> queues = broker.virtualHost("/").queues();
      assertEquals(3, queues.size());
      assertEquals(QueueSpec.durable("a"), queues.get(0));
      assertEquals(QueueSpec.exclusiveAutoDelete(generated), queues.get(1), "amq.gen-... < b");
      assertEquals(b, queues.get(2));
    }
    assertEquals(2, broker.virtualHost("/").queues().size(), "the exclusive queue went");
  }

  @Test
  void queueAndExchangeBindingsAreListedWithKeysAndArguments() {
    try (Connection c = broker.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare(ExchangeSpec.durable("orders", "topic"));
      ch.exchangeDeclare(ExchangeSpec.durable("hdr", "headers"));
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.queueBind("q", "orders", "order.*.created", null);
      ch.queueBind("q", "hdr", "", Map.of("x-match", "any", "kind", "bulk"));
      ch.queueBind("q", "amq.topic", "#", null);
      ch.exchangeBind("hdr", "orders", "bulk.#", null);
      assertEquals(
          List.of(
              new BindingInfo("amq.topic", "q", "queue", "#", Map.of()),
              new BindingInfo("hdr", "q", "queue", "", Map.of("x-match", "any", "kind", "bulk")),
              new BindingInfo("orders", "hdr", "exchange", "bulk.#", Map.of()),
              new BindingInfo("orders", "q", "queue", "order.*.created", Map.of())),
          broker.virtualHost("/").bindings());
      ch.queueUnbind("q", "orders", "order.*.created", null);
      assertEquals(3, broker.virtualHost("/").bindings().size());
    }
  }

  @Test
  void bindingsThatDifferOnlyInArgumentsAreOrderedByTheirSortedArguments() {
    try (Connection c = broker.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.queueBind("q", "amq.headers", "", Map.of("x-match", "all", "b", 1));
      ch.queueBind("q", "amq.headers", "", Map.of("x-match", "all", "a", 1));
      assertEquals(
          List.of(Map.of("x-match", "all", "a", 1), Map.of("x-match", "all", "b", 1)),
          broker.virtualHost("/").bindings().stream().map(BindingInfo::arguments).toList());
    }
  }

  @Test
  void bindingInfoRefusesAnUnknownDestinationType() {
    assertThrows(
        IllegalArgumentException.class, () -> new BindingInfo("x", "q", "topic", "", Map.of()));
  }

  @Test
  void virtualHostNamesListsTheDefaultAndCreatedHostsSorted() {
    assertEquals(List.of("/"), broker.virtualHostNames());
    broker.virtualHost("b");
    broker.virtualHost("a");
    assertEquals(List.of("/", "a", "b"), broker.virtualHostNames());
    assertTrue(broker.virtualHostExists("a"));
    assertFalse(broker.virtualHostExists("c"), "asking does not create");
    assertEquals(List.of("/", "a", "b"), broker.virtualHostNames());
  }

  @Test
  @Timeout(10)
  void deletingAVirtualHostClosesItsConnectionsAndDropsItsTopologyAndPermissions()
      throws InterruptedException {
    broker.virtualHost("v");
    broker.users().setPermissions(PermissionInfo.full("guest", "v"));
    Connection c = broker.newConnection("v", "t");
    Channel ch = c.createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
    CountDownLatch cancelled = new CountDownLatch(1);
    ch.basicConsume(
        "q",
        true,
        "",
        false,
        null,
        new Consumer() {
          @Override
          public void handleDelivery(Delivery delivery) {}

          @Override
          public void handleCancel(String consumerTag) {
            cancelled.countDown();
          }
        });

    assertTrue(broker.deleteVirtualHost("v"));

    assertTrue(cancelled.await(5, TimeUnit.SECONDS));
    assertFalse(c.isOpen());
    assertEquals(List.of("/"), broker.virtualHostNames());
    assertTrue(broker.users().permission("guest", "v").isEmpty());
    assertFalse(broker.deleteVirtualHost("v"), "already gone");
    assertAmqpError(ReplyCode.NOT_ALLOWED, () -> broker.newConnection("v", "t"));
    assertEquals(List.of(), broker.virtualHost("v").queues(), "re-created empty");
  }

  @Test
  void theDefaultVirtualHostCannotBeDeleted() {
    AmqpException e =
        assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> broker.deleteVirtualHost("/"));
    assertEquals("the default vhost '/' cannot be deleted", e.replyText());
    assertTrue(broker.virtualHostExists("/"));
  }
}
