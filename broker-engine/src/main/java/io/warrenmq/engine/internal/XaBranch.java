package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.engine.PreparedBranch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One XA branch of the broker ({@link XaResourceManager}): its X/Open state, the channels
 * associated with it, and its work (buffered publishes, entries acked in it).
 *
 * <p>Not thread-safe: every field is guarded by the {@link XaResourceManager}'s monitor, except the
 * work lists once the branch is {@link State#COMPLETING} or {@link State#ROLLED_BACK} (then only
 * the thread that moved it there touches them).
 */
final class XaBranch {
  /** X/Open branch states; "active", "idle" and "suspended" are told by the association sets. */
  enum State {
    /** Started, not prepared: associated (active/suspended) or idle. */
    ACTIVE,
    /** {@code dtx.prepare} is writing it: no other call may touch it. */
    PREPARING,
    /** Prepared (and written, with a store). */
    PREPARED,
    /** {@code dtx.commit} or {@code dtx.rollback} is applying it. */
    COMPLETING,
    /** Rolled back by the broker (timeout, rollback-only at end); see {@link #rollbackCode}. */
    ROLLED_BACK
  }

  /** A publish made in the branch; its exchange was resolved and checked when it was made. */
  static final class Publish {
    final ServerChannel channel;
    final ServerVirtualHost vhost;
    final Exchange exchange;
    final String routingKey;
    final boolean mandatory;
    final BasicProperties properties;
    final byte[] body;

    /** The queues it was routed to at prepare (null before). */
    List<Queue> queues;

    /** The delayed exchanges that hold it at commit (routed at prepare; in memory only). */
    List<Exchange> delayed;

    Publish(
        ServerChannel channel,
        Exchange exchange,
        String routingKey,
        boolean mandatory,
        BasicProperties properties,
        byte[] body) {
      this.channel = channel;
      this.vhost = channel.vhost();
      this.exchange = exchange;
      this.routingKey = routingKey;
      this.mandatory = mandatory;
      this.properties = properties;
      this.body = body;
    }
  }

  /** An entry acked, nacked or rejected in the branch (out of its channel's unacked window). */
  record Acked(QueueEntry entry, ServerChannel.Settle settle) {}

  /** A message a recovered prepared branch acked, by its place in the store. */
  record Hold(String virtualHost, String queue, long messageId) {}

  final XaXid xid;
  State state = State.ACTIVE;
  boolean rollbackOnly;

  /** Whether it was prepared (and written, with a store): commit and rollback forget it there. */
  boolean prepared;

  /** The XA_RB* code once {@link State#ROLLED_BACK}. */
  int rollbackCode;

  /** Channels whose work goes to this branch now. */
  final Set<ChannelXa> active = new HashSet<>();

  /** Channels that suspended their association ({@code TMSUSPEND}). */
  final Set<ChannelXa> suspended = new HashSet<>();

  final List<Publish> publishes = new ArrayList<>();
  final List<Acked> acks = new ArrayList<>();

  /** The broker's rollback of the branch if not prepared in time; null without a timer. */
  ScheduledFuture<?> timeout;

  /** For a branch recovered from the store: what it holds; null otherwise. */
  PreparedBranch recovered;

  /** For a recovered branch: the virtual hosts its publishes and acks name. */
  Map<String, ServerVirtualHost> recoveredHosts;

  /**
   * For a recovered branch: the acked messages not yet paged in (still in their queues' store),
   * each with how it was settled ({@link ServerChannel.Settle#ACK} or {@link
   * ServerChannel.Settle#DISCARD}).
   */
  final Map<Hold, ServerChannel.Settle> holds = new HashMap<>();

  XaBranch(XaXid xid) {
    this.xid = xid;
  }

  boolean isAssociated() {
    return !active.isEmpty() || !suspended.isEmpty();
  }

  boolean isEmpty() {
    return publishes.isEmpty() && acks.isEmpty() && recovered == null;
  }
}
