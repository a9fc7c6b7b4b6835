package io.warrenmq.management;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A node's shared-store high-availability state as {@code GET /api/nodes} ({@code ha_mode}, {@code
 * ha_role}, {@code ha_epoch}, {@code ha_lease_age_ms}) and the {@code warrenmq_ha_*} metrics show
 * it (README.md, "High availability").
 *
 * @param mode {@code "none"} or {@code "shared-store"}
 * @param role {@code "live"}, {@code "backup"}, or {@code "none"} without HA
 * @param epoch the live node's lease epoch (this node's when live, the one it watches when backup);
 *     0 without HA or before a lease was seen
 * @param leaseAgeMs ms since the lease was last renewed as this node saw it (its own clock); null
 *     without HA
 * @param takeovers how often this node became live in this run
 */
public record HaStatus(String mode, String role, long epoch, Long leaseAgeMs, long takeovers) {
  /** A broker without HA ({@code warrenmq.ha.mode = none}, the resource adapter). */
  public static final HaStatus NONE = new HaStatus("none", "none", 0, null, 0);

  public HaStatus {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(role, "role");
  }

  /** Whether the node serves clients: live, or a broker without HA. */
  public boolean serving() {
    return !role.equals("backup");
  }

  /** The {@code ha_*} fields of a node in {@code /api/nodes}. */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ha_mode", mode);
    m.put("ha_role", role);
    m.put("ha_epoch", epoch);
    m.put("ha_lease_age_ms", leaseAgeMs);
    return m;
  }
}
