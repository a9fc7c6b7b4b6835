package io.warrenmq.engine;

import io.warrenmq.client.BasicProperties;
import java.util.List;
import java.util.Objects;

/**
 * A prepared XA branch as the {@link MessageStore} keeps it between {@code dtx.prepare} and {@code
 * dtx.commit}/{@code dtx.rollback} (DESIGN.md "Transactions": prepared publishes and acks are
 * written in the broker's own tables with a local store transaction).
 *
 * @param formatId the Xid's format id
 * @param globalTransactionId the Xid's global transaction id (at most 64 bytes)
 * @param branchQualifier the Xid's branch qualifier (at most 64 bytes)
 * @param publishes the branch's publishes, in order, each with the queues it was routed to
 * @param acks the messages the branch acked or rejected without requeue (removed from their queues
 *     at commit, the rejected ones dead-lettered)
 */
public record PreparedBranch(
    int formatId,
    byte[] globalTransactionId,
    byte[] branchQualifier,
    List<Publish> publishes,
    List<Ack> acks) {

  public PreparedBranch {
    Objects.requireNonNull(globalTransactionId, "globalTransactionId");
    Objects.requireNonNull(branchQualifier, "branchQualifier");
    publishes = List.copyOf(publishes);
    acks = List.copyOf(acks);
  }

  /**
   * A publish of the branch, routed at prepare time.
   *
   * @param virtualHost the publishing channel's virtual host
   * @param exchange the exchange it was published to
   * @param routingKey its routing key
   * @param properties its properties
   * @param body its body
   * @param queues the queues of {@code virtualHost} it goes to at commit (routing done at prepare)
   */
  public record Publish(
      String virtualHost,
      String exchange,
      String routingKey,
      BasicProperties properties,
      byte[] body,
      List<String> queues) {
    public Publish {
      queues = List.copyOf(queues);
    }
  }

  /**
   * How the branch settled a message; both remove it from its queue at commit and give it back
   * (redelivered) at rollback.
   */
  public enum AckKind {
    /** {@code basic.ack}: the message leaves the broker at commit. */
    ACK,
    /**
     * {@code basic.reject} or {@code basic.nack} without requeue: at commit the message is
     * dead-lettered through its queue's {@code x-dead-letter-exchange} with reason {@code rejected}
     * (RabbitMQ's DLX doc), or dropped if the queue has none, as outside a transaction.
     */
    REJECT
  }

  /**
   * A message the branch acked or rejected.
   *
   * @param virtualHost its queue's virtual host
   * @param queue its queue
   * @param messageId its store id (0 for a message the store does not hold: transient, or in a
   *     queue that is not written; such acks are not recoverable and are not written)
   * @param kind how it was settled; not null
   */
  public record Ack(String virtualHost, String queue, long messageId, AckKind kind) {
    public Ack {
      Objects.requireNonNull(kind, "kind");
    }
  }
}
