package io.warrenmq.serverconfig.redelivery;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code JMSXDeliveryCount} of every delivery the MDBs saw, by message key. Thread-safe. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Attempts {
  private final Map<String, List<Integer>> counts = new ConcurrentHashMap<>();

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

  /** The delivery counts seen for {@code key}, in order; empty if none. */
  public List<Integer> of(String key) {
    List<Integer> list = counts.getOrDefault(key, List.of());
    synchronized (list) {
      return List.copyOf(list);
    }
  }
}
