package io.warrenmq.serverconfig.redelivery;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code JMSXDeliveryCount} of every delivery the MDBs saw, by message key, and for MDBs that
 * report them, when each delivery started and when the first one failed ({@link System#nanoTime()}
 * of this JVM). Thread-safe.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Attempts {
  private final Map<String, List<Integer>> counts = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> starts = new ConcurrentHashMap<>();
  private final Map<String, Long> firstFailure = new ConcurrentHashMap<>();

  /**
   * Records one delivery.
   *
   * @return how many deliveries of {@code key} were recorded, this one included
   */
  public int record(String key, int deliveryCount) {
    List<Integer> list = counts.computeIfAbsent(key, k -> new ArrayList<>());
    synchronized (list) {
      list.add(deliveryCount);
      return list.size();
    }
  }

  /**
   * Records one delivery and when it started.
   *
   * @param startedNanos {@link System#nanoTime()} when onMessage was entered
   * @return how many deliveries of {@code key} were recorded, this one included
   */
  public int record(String key, int deliveryCount, long startedNanos) {
    List<Long> list = starts.computeIfAbsent(key, k -> new ArrayList<>());
    synchronized (list) {
      list.add(startedNanos);
    }
    return record(key, deliveryCount);
  }

  /** Records when the first delivery of {@code key} failed ({@link System#nanoTime()}). */
  public void failed(String key, long failedNanos) {
    firstFailure.putIfAbsent(key, failedNanos);
  }

  /**
   * Ms from the first failure of {@code key} to the start of its second delivery, or -1 if either
   * was not recorded.
   */
  public long millisFromFailureToRetry(String key) {
    Long failed = firstFailure.get(key);
    List<Long> list = starts.getOrDefault(key, List.of());
    synchronized (list) {
      if (failed == null || list.size() < 2) {
        return -1;
      }
      return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(list.get(1) - failed);
    }
  }

  /** The delivery counts seen for {@code key}, in order; empty if none. */
  public List<Integer> of(String key) {
    List<Integer> list = counts.getOrDefault(key, List.of());
    synchronized (list) {
      return List.copyOf(list);
    }
  }
}
