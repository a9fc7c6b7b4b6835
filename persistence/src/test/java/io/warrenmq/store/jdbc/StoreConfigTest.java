package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class StoreConfigTest {
  @TempDir Path dataDir;

  private static String refused(JdbcStoreConfig config) {
    return assertThrows(IllegalArgumentException.class, () -> JdbcMessageStore.open(config))
        .getMessage();
  }

  @Test
  void theDefaultsAreValidAndSurviveAPowerLoss() {
    JdbcStoreConfig c = JdbcStoreConfig.h2(dataDir);
    c.validate();
    assertEquals(JdbcStoreConfig.Durability.POWER_LOSS, c.durability());
    assertEquals(JdbcStoreConfig.DEFAULT_MAX_BATCH_OPERATIONS, c.maxBatchOperations());
    assertEquals(JdbcStoreConfig.DEFAULT_MAX_BATCH_BYTES, c.maxBatchBytes());
    assertTrue(c.effectiveUrl().startsWith("jdbc:h2:warrenbarrier:"), c.effectiveUrl());
    String processCrash = c.withDurability(JdbcStoreConfig.Durability.PROCESS_CRASH).effectiveUrl();
    assertTrue(processCrash.startsWith("jdbc:h2:file:"), processCrash);
    assertFalse(processCrash.contains("RETENTION_TIME"), processCrash);
  }

  @Test
  void defaultDurabilityIsPowerLoss() {
    assertEquals(JdbcStoreConfig.Durability.POWER_LOSS, JdbcStoreConfig.h2(dataDir).durability());
    assertEquals(
        JdbcStoreConfig.Durability.POWER_LOSS,
        JdbcStoreConfig.jdbc("jdbc:postgresql://127.0.0.1/x", "u", null).durability());
  }

  @Test
  void defaultDurabilityIsPowerLossForTheProviderWithNoSetting() {
    assertEquals(
        JdbcStoreConfig.Durability.POWER_LOSS,
        JdbcMessageStoreProvider.config(java.util.Map.of("dataDir", dataDir.toString()))
            .durability());
    assertEquals(
        JdbcStoreConfig.Durability.POWER_LOSS,
        JdbcMessageStoreProvider.config(
                java.util.Map.of("jdbcUrl", "jdbc:postgresql://127.0.0.1/x", "durability", " "))
            .durability());
    assertEquals(
        JdbcStoreConfig.Durability.PROCESS_CRASH,
        JdbcMessageStoreProvider.config(
                java.util.Map.of("dataDir", dataDir.toString(), "durability", "process_crash"))
            .durability(),
        "PROCESS_CRASH is an explicit opt-in");
  }

  @Test
  void anH2UserWithoutTheAdminRightIsRefusedAtOpenNamingTheFsync() throws Exception {
    String url = "jdbc:h2:file:" + dataDir.resolve("other") + ";DB_CLOSE_ON_EXIT=FALSE";
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE USER plain PASSWORD 'pw'");
      s.execute("GRANT ALL ON SCHEMA PUBLIC TO plain");
      String m = refused(JdbcStoreConfig.jdbc(url, "plain", "pw"));
      assertTrue(m.contains("CHECKPOINT SYNC needs the ADMIN right"), m);
    }
  }

  @Test
  void neitherDataDirNorJdbcUrlIsRefusedNamingBoth() {
    String m = refused(new JdbcStoreConfig(null, null, null, null, null, 1, 1 << 20));
    assertTrue(m.contains("dataDir") && m.contains("jdbcUrl"), m);
  }

  @Test
  void bothDataDirAndJdbcUrlAreRefused() {
    String m =
        refused(
            new JdbcStoreConfig(
                dataDir,
                "jdbc:h2:mem:x",
                null,
                null,
                JdbcStoreConfig.Durability.PROCESS_CRASH,
                1,
                1 << 20));
    assertTrue(m.contains("exactly one of dataDir"), m);
  }

  @Test
  void anUnsupportedJdbcUrlIsRefusedNamingTheKnob() {
    String m = refused(JdbcStoreConfig.jdbc("jdbc:mysql://localhost/x", "u", "p"));
    assertTrue(m.startsWith("store jdbcUrl must start with"), m);
  }

  @Test
  void aMissingDurabilityIsRefusedNamingTheKnob() {
    String m = refused(JdbcStoreConfig.h2(dataDir).withDurability(null));
    assertTrue(m.startsWith("store durability"), m);
  }

  @Test
  void batchLimitsOutOfRangeAreRefusedNamingTheKnob() {
    assertTrue(
        refused(JdbcStoreConfig.h2(dataDir).withBatchLimits(0, 1 << 20))
            .startsWith("store maxBatchOperations must be between 1 and 100000, was 0"));
    assertTrue(
        refused(JdbcStoreConfig.h2(dataDir).withBatchLimits(100_001, 1 << 20))
            .startsWith("store maxBatchOperations"));
    assertTrue(
        refused(JdbcStoreConfig.h2(dataDir).withBatchLimits(10, 1000))
            .startsWith("store maxBatchBytes must be between 65536"));
  }

  @Test
  void toStringNeverShowsThePassword() {
    String s = JdbcStoreConfig.jdbc("jdbc:postgresql://h/db", "me", "secret").toString();
    assertFalse(s.contains("secret"), s);
    assertTrue(s.contains("user=me"), s);
  }

  @Test
  void anUnreachableDatabaseFailsWithTheUrlInTheMessage() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                JdbcMessageStore.open(
                    JdbcStoreConfig.jdbc("jdbc:postgresql://127.0.0.1:1/none", "u", null)));
    assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:1/none"), e.getMessage());
  }
}
