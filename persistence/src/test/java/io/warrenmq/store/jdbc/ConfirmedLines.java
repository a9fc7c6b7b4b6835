package io.warrenmq.store.jdbc;

import io.warrenmq.client.ConfirmListener;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;

/**
 * The confirm side of a kill test's child JVM: prints {@code C <id>;} for every confirmed publish
 * (the parent counts what was confirmed before the kill) and frees a place in the publish window
 * for every ack or nack.
 */
final class ConfirmedLines implements ConfirmListener {
  private final ConcurrentSkipListMap<Long, String> unconfirmed;
  private final Semaphore window;
  private final PrintStream out;

  /**
   * @param unconfirmed publish sequence number to the id printed when it is confirmed; the
   *     publisher adds to it before each publish
   * @param window released once per settled publish
   * @param out the child's standard output, read by the parent
   */
  ConfirmedLines(
      ConcurrentSkipListMap<Long, String> unconfirmed, Semaphore window, PrintStream out) {
    this.unconfirmed = unconfirmed;
    this.window = window;
    this.out = out;
  }

  @Override
  public void handleAck(long tag, boolean multiple) {
    Map<Long, String> done =
        multiple ? unconfirmed.headMap(tag, true) : Map.of(tag, unconfirmed.get(tag));
    StringBuilder lines = new StringBuilder();
    for (String id : done.values()) {
      lines.append("C ").append(id).append(";\n");
    }
    int n = done.size();
    if (multiple) {
      done.clear();
    } else {
      unconfirmed.remove(tag);
    }
    out.print(lines);
    out.flush();
    window.release(n);
  }

  @Override
  public void handleNack(long tag, boolean multiple) {
    int n = multiple ? unconfirmed.headMap(tag, true).size() : 1;
    if (multiple) {
      unconfirmed.headMap(tag, true).clear();
    } else {
      unconfirmed.remove(tag);
    }
    window.release(n);
  }
}
