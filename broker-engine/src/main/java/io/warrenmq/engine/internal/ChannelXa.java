package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * A channel's XA side (the {@code dtx} methods of {@link io.warrenmq.engine.Channel}): its
 * association with a branch of the broker's {@link XaResourceManager}, and its branch timeout.
 * While associated, the channel's publishes are buffered in the branch ({@link #bufferPublish}) and
 * its acks, nacks and rejects move entries into it ({@link #settling}, {@link #settled}).
 *
 * <p>Concurrency: thread-safe. The association is guarded by the resource manager's monitor and
 * read without it ({@code volatile}) on the publish and ack paths; no lock is held while calling
 * into a queue.
 */
public final class ChannelXa {
  private final ServerChannel channel;
  private volatile XaBranch branch;
  private volatile int timeoutSeconds = XaResourceManager.DEFAULT_TIMEOUT_SECONDS;

  /** Branches whose association ended because the channel closed; guarded by the RM's monitor. */
  private final Set<XaBranch> closedWith = new HashSet<>();

  ChannelXa(ServerChannel channel) {
    this.channel = channel;
  }

  ServerChannel channel() {
    return channel;
  }

  private XaResourceManager rm() {
    return channel.vhost().durability().xa();
  }

  XaBranch branchLocked() {
    return branch;
  }

  void associateLocked(XaBranch b) {
    branch = b;
  }

  /** Whether the channel closed while associated with {@code b}; forgets that (end consumed it). */
  boolean closedWithLocked(XaBranch b) {
    return closedWith.remove(b);
  }

  void closedWithLocked(XaBranch b, boolean closed) {
    if (closed) {
      closedWith.add(b);
    }
  }

  /** Whether the channel is associated with a branch now. */
  boolean isAssociated() {
    return branch != null;
  }

  /**
   * Buffers a publish in the associated branch.
   *
   * @return false if the channel is not associated (the caller publishes as usual)
   */
  boolean bufferPublish(
      Exchange x, String routingKey, boolean mandatory, BasicProperties props, byte[] body) {
    XaBranch b = branch;
    if (b == null) {
      return false;
    }
    rm().publish(b, new XaBranch.Publish(channel, x, routingKey, mandatory, props, body));
    return true;
  }

  /** The branch an ack, nack or reject goes to now, or null (release is never part of one). */
  XaBranch settling(ServerChannel.Settle settle) {
    return settle == ServerChannel.Settle.RELEASE ? null : branch;
  }

  /** Hands entries removed from the unacked window to {@code b}; no lock held. */
  void settled(XaBranch b, List<QueueEntry> entries, ServerChannel.Settle settle) {
    rm().acked(b, entries, settle);
  }

  /** The channel closed: its associations end, the branches keep their work. */
  void channelClosed() {
    rm().channelClosed(this);
  }

  public void start(Xid xid, int flags) throws XAException {
    if (!channel.isOpen()) {
      throw XaResourceManager.error(XAException.XAER_RMFAIL, "channel is closed");
    }
    rm().start(this, xid, flags, timeoutSeconds);
  }

  public void end(Xid xid, int flags) throws XAException {
    rm().end(this, xid, flags);
  }

  public int prepare(Xid xid) throws XAException {
    return rm().prepare(xid);
  }

  public void commit(Xid xid, boolean onePhase) throws XAException {
    rm().commit(xid, onePhase);
  }

  /** {@link #commit} without waiting for the store: see {@link XaResourceManager#commitAsync}. */
  public java.util.concurrent.CompletionStage<Void> commitAsync(Xid xid, boolean onePhase)
      throws XAException {
    return rm().commitAsync(xid, onePhase);
  }

  public void rollback(Xid xid) throws XAException {
    rm().rollback(xid);
  }

  public Xid[] recover(int flags) throws XAException {
    return rm().recover(flags);
  }

  public void forget(Xid xid) throws XAException {
    rm().forget(xid);
  }

  public boolean setTimeout(int seconds) throws XAException {
    if (seconds < 0) {
      throw XaResourceManager.error(
          XAException.XAER_INVAL, "transaction timeout must be >= 0 s, was " + seconds);
    }
    timeoutSeconds = seconds == 0 ? XaResourceManager.DEFAULT_TIMEOUT_SECONDS : seconds;
    return true;
  }

  public int timeout() {
    return timeoutSeconds;
  }

  public String resourceManagerId() {
    return rm().id();
  }
}
