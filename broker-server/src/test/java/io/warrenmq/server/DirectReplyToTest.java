package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.RpcClient;
import com.rabbitmq.client.RpcClientParams;
import com.rabbitmq.client.StringRpcServer;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RPC over direct reply-to (https://www.rabbitmq.com/docs/direct-reply-to, RabbitMQ tutorial 6)
 * with RabbitMQ's Java client's own {@code RpcClient}, which uses {@code amq.rabbitmq.reply-to} by
 * default, and {@code StringRpcServer}, unchanged. The error cases and the reply's fields are
 * compared with RabbitMQ's in {@link RabbitMqInteropTest}.
 */
@Timeout(60)
class DirectReplyToTest {
  private Broker broker;
  private WarrenServer server;
  private Connection serverSide;
  private Connection clientSide;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws Exception {
    broker = new Broker(BrokerConfig.named("direct-reply-to"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setAutomaticRecoveryEnabled(false);
    serverSide = f.newConnection();
    clientSide = f.newConnection();
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
    serverSide.abort();
    clientSide.abort();
    server.close();
    broker.close();
  }

  /** Serves "rpc_queue" in the background: answers each call with its argument upper-cased. */
  private StringRpcServer serve() throws Exception {
    Channel ch = serverSide.createChannel();
    ch.queueDeclare("rpc_queue", false, false, false, null);
    ch.basicQos(1);
    StringRpcServer rpc =
        new StringRpcServer(ch, "rpc_queue") {
          @Override
          public String handleStringCall(String request) {
            return request.toUpperCase(java.util.Locale.ROOT);
          }
        };
    threads.submit(rpc::mainloop);
    return rpc;
  }

  private RpcClient client(Channel ch) throws Exception {
    return new RpcClient(
        new RpcClientParams().channel(ch).exchange("").routingKey("rpc_queue").timeout(10_000));
  }

  @Test
  void rabbitMqsRpcClientGetsEachReplyThroughTheReplyToPseudoQueue() throws Exception {
    serve();
    RpcClient rpc = client(clientSide.createChannel());
    for (int i = 0; i < 50; i++) {
      assertEquals("CALL-" + i, rpc.stringCall("call-" + i));
    }
    assertEquals(
        List.of("rpc_queue"),
        broker.virtualHost("/").queues().stream().map(q -> q.name()).toList(),
        "no reply queue was declared");
  }

  @Test
  void requestersOnSeveralChannelsEachGetOnlyTheirOwnReplies() throws Exception {
    serve();
    List<Future<List<String>>> results = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      int requester = r;
      RpcClient rpc = client(clientSide.createChannel());
      results.add(
          threads.submit(
              () -> {
                List<String> replies = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                  replies.add(rpc.stringCall("r" + requester + "-" + i));
                }
                return replies;
              }));
    }
    for (int r = 0; r < 4; r++) {
      List<String> replies = results.get(r).get();
      for (int i = 0; i < 25; i++) {
        assertEquals("R" + r + "-" + i, replies.get(i));
      }
    }
  }

  @Test
  void eachRequesterChannelHasItsOwnReplyName() throws Exception {
    Channel responder = serverSide.createChannel();
    String requests = responder.queueDeclare().getQueue();
    List<String> names = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Channel ch = clientSide.createChannel();
      ch.basicConsume("amq.rabbitmq.reply-to", true, (t, d) -> {}, t -> {});
      ch.basicPublish(
          "",
          requests,
          new com.rabbitmq.client.AMQP.BasicProperties.Builder()
              .replyTo("amq.rabbitmq.reply-to")
              .build(),
          null);
      com.rabbitmq.client.GetResponse got = null;
      for (long deadline = System.nanoTime() + 5_000_000_000L;
          got == null && System.nanoTime() < deadline; ) {
        got = responder.basicGet(requests, true);
      }
      names.add(got.getProps().getReplyTo());
    }
    assertNotEquals(names.get(0), names.get(1));
  }
}
