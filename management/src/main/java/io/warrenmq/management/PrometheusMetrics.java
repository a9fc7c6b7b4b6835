package io.warrenmq.management;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerStats;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.QueueInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A broker's metrics in the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), with the names, types, HELP texts
 * and labels of RabbitMQ 3.10.8's {@code rabbitmq_prometheus} plugin
 * (https://www.rabbitmq.com/docs/prometheus) where RabbitMQ has the metric, and a {@code warrenmq_}
 * prefix for WarrenMQ's own (store group commit, fsync, paging, XA branches in doubt).
 *
 * <p>Built at each scrape from the engine's snapshots and counters ({@link Broker#stats()}, {@link
 * Broker#storeStats()}, {@link Broker#queues}, ...): nothing is registered per queue and nothing is
 * counted here. The model and the text writer are the Prometheus Java client's ({@code
 * io.prometheus:prometheus-metrics-model} and {@code -exposition-textformats}).
 *
 * <p>As RabbitMQ, {@link #scrape(boolean) scrape(false)} ({@code /metrics}) sums the queue metrics
 * over all queues, and {@code scrape(true)} ({@code /metrics/per-object}) gives one sample per
 * queue, labelled {@code vhost} and {@code queue}.
 *
 * <p>Known differences from RabbitMQ: {@code rabbitmq_build_info} and {@code
 * rabbitmq_identity_info} are written with {@code # TYPE ... gauge} (the client library's info
 * type) where RabbitMQ writes {@code untyped}; there is no free disk space alarm, so {@code
 * rabbitmq_alarms_free_disk_space_watermark} is absent; {@code
 * rabbitmq_process_resident_memory_bytes} is the JVM's resident set size, on Linux only.
 *
 * <p>Thread-safety: thread-safe; a scrape costs a pass over every queue and open channel.
 */
public final class PrometheusMetrics {
  /** The {@code Content-Type} of {@link #scrape}: Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final Labels NO_LABELS = Labels.EMPTY;

  private final Broker broker; // null: an HA backup, which has no broker yet
  private final String version;
  private final Supplier<HaStatus> ha;
  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

  /**
   * A broker without high availability ({@link HaStatus#NONE}).
   *
   * @param broker the broker to observe; not closed
   * @param version WarrenMQ's version for {@code rabbitmq_build_info}, e.g. {@code "0.1.0"}
   */
  public PrometheusMetrics(Broker broker, String version) {
    this(broker, version, () -> HaStatus.NONE);
  }

  /**
   * A broker with its high-availability state ({@code warrenmq_ha_*}).
   *
   * @param broker the broker to observe; not closed
   * @param version WarrenMQ's version for {@code rabbitmq_build_info}, e.g. {@code "0.1.0"}
   * @param ha read at each scrape
   */
  public PrometheusMetrics(Broker broker, String version, Supplier<HaStatus> ha) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.version = Objects.requireNonNull(version, "version");
    this.ha = Objects.requireNonNull(ha, "ha");
  }

  private PrometheusMetrics(String version, Supplier<HaStatus> ha) {
    this.broker = null;
    this.version = Objects.requireNonNull(version, "version");
    this.ha = Objects.requireNonNull(ha, "ha");
  }

  /**
   * The metrics of an HA backup, which has no broker while it waits: {@code rabbitmq_build_info}
   * and the {@code warrenmq_ha_*} metrics only.
   */
  public static PrometheusMetrics ofBackup(String version, Supplier<HaStatus> ha) {
    return new PrometheusMetrics(version, ha);
  }

  /** The {@code /metrics} endpoint for {@link ManagementConfig#withEndpoint}. */
  public ManagementConfig.TextEndpoint endpoint() {
    return new ManagementConfig.TextEndpoint(CONTENT_TYPE, () -> scrape(false));
  }

  /** The {@code /metrics/per-object} endpoint for {@link ManagementConfig#withEndpoint}. */
  public ManagementConfig.TextEndpoint perObjectEndpoint() {
    return new ManagementConfig.TextEndpoint(CONTENT_TYPE, () -> scrape(true));
  }

  /**
   * The metrics now, as Prometheus text.
   *
   * @param perObject one queue sample per queue (labels {@code vhost}, {@code queue}) instead of
   *     the sums
   * @return the exposition text
   */
  public String scrape(boolean perObject) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, snapshots(perObject));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private MetricSnapshots snapshots(boolean perObject) {
    List<MetricSnapshot> m = new ArrayList<>();
    if (broker == null) {
      m.add(buildInfo());
      addHa(m, ha.get());
      return new MetricSnapshots(m);
    }
    BrokerStats s = broker.stats();
    List<QueueInfo> queues = new ArrayList<>();
    for (String vhost : broker.virtualHostNames()) {
      queues.addAll(broker.queues(vhost));
    }
    // ---- rabbitmq_prometheus names (RabbitMQ 3.10.8 /metrics), its HELP texts ----
    m.add(gauge("rabbitmq_connections", "Connections currently open", broker.connections().size()));
    m.add(gauge("rabbitmq_channels", "Channels currently open", broker.channels().size()));
    m.add(gauge("rabbitmq_consumers", "Consumers currently connected", broker.consumers().size()));
    m.add(gauge("rabbitmq_queues", "Queues available", queues.size()));
    m.add(
        queueGauge(
            "rabbitmq_queue_messages_ready",
            "Messages ready to be delivered to consumers",
            queues,
            perObject,
            QueueInfo::messagesReady));
    m.add(
        queueGauge(
            "rabbitmq_queue_messages_unacked",
            "Messages delivered to consumers but not yet acknowledged",
            queues,
            perObject,
            QueueInfo::messagesUnacknowledged));
    m.add(
        queueGauge(
            "rabbitmq_queue_messages",
            "Sum of ready and unacknowledged messages - total queue depth",
            queues,
            perObject,
            QueueInfo::messages));
    m.add(
        queueGauge(
            "rabbitmq_queue_consumers",
            "Consumers on a queue",
            queues,
            perObject,
            q -> q.consumers()));
    m.add(
        counter(
            "rabbitmq_channel_messages_published",
            "Total number of messages published into an exchange on a channel",
            s.published()));
    m.add(
        counter(
            "rabbitmq_channel_messages_confirmed",
            "Total number of messages published into an exchange and confirmed on the channel",
            s.confirmed()));
    m.add(
        counter(
            "rabbitmq_channel_messages_delivered",
            "Total number of messages delivered to consumers in automatic acknowledgement mode",
            s.deliveredAutoAck()));
    m.add(
        counter(
            "rabbitmq_channel_messages_delivered_ack",
            "Total number of messages delivered to consumers in manual acknowledgement mode",
            s.deliveredManualAck()));
    m.add(
        counter(
            "rabbitmq_channel_get",
            "Total number of messages fetched with basic.get in automatic acknowledgement mode",
            s.getAutoAck()));
    m.add(
        counter(
            "rabbitmq_channel_get_ack",
            "Total number of messages fetched with basic.get in manual acknowledgement mode",
            s.getManualAck()));
    m.add(
        counter(
            "rabbitmq_channel_get_empty",
            "Total number of times basic.get operations fetched no message",
            s.getEmpty()));
    m.add(
        counter(
            "rabbitmq_channel_messages_acked",
            "Total number of messages acknowledged by consumers",
            s.acked()));
    m.add(
        counter(
            "rabbitmq_channel_messages_redelivered",
            "Total number of messages redelivered to consumers",
            s.redelivered()));
    m.add(
        counter(
            "rabbitmq_channel_messages_unroutable_dropped",
            "Total number of messages published as non-mandatory into an exchange and dropped as"
                + " unroutable",
            s.unroutableDropped()));
    m.add(
        counter(
            "rabbitmq_channel_messages_unroutable_returned",
            "Total number of messages published as mandatory into an exchange and returned to the"
                + " publisher as unroutable",
            s.unroutableReturned()));
    m.add(
        counter(
            "rabbitmq_connections_opened",
            "Total number of connections opened",
            s.connectionsOpened()));
    m.add(
        counter(
            "rabbitmq_connections_closed",
            "Total number of connections closed or terminated",
            s.connectionsClosed()));
    m.add(
        counter("rabbitmq_queues_declared", "Total number of queues declared", s.queuesDeclared()));
    m.add(counter("rabbitmq_queues_deleted", "Total number of queues deleted", s.queuesDeleted()));
    m.add(
        gauge(
            "rabbitmq_resident_memory_limit_bytes",
            "Memory high watermark in bytes",
            broker.memoryLimitBytes()));
    long rss = residentMemoryBytes();
    if (rss >= 0) {
      m.add(gauge("rabbitmq_process_resident_memory_bytes", "Memory used in bytes", rss));
    }
    m.add(
        UnknownSnapshot.builder()
            .name("rabbitmq_alarms_memory_used_watermark")
            .help("is 1 if VM memory watermark alarm is in effect")
            .dataPoint(
                UnknownDataPointSnapshot.builder().value(broker.memoryAlarm() ? 1 : 0).build())
            .build());
    m.add(
        UnknownSnapshot.builder()
            .name("rabbitmq_alarms_free_disk_space_watermark")
            .help("is 1 if free disk space watermark alarm is in effect")
            .dataPoint(UnknownDataPointSnapshot.builder().value(broker.diskAlarm() ? 1 : 0).build())
            .build());
    m.add(buildInfo());
    m.add(
        info(
            "rabbitmq_identity",
            "RabbitMQ node & cluster identity info",
            Labels.of("rabbitmq_node", broker.name(), "rabbitmq_cluster", broker.name())));
    // ---- WarrenMQ's own ----
    m.add(
        gauge(
            "warrenmq_memory_used_bytes",
            "Bytes of message bodies held in heap, the quantity the memory alarm watches",
            broker.memoryUsedBytes()));
    m.add(
        counter(
            "warrenmq_messages_paged_out",
            "Persistent messages whose body was dropped from heap once stored (queue past its"
                + " in-memory window)",
            s.pagedOut()));
    m.add(
        counter(
            "warrenmq_messages_paged_in",
            "Messages read back from the store into a queue's in-memory window",
            s.pagedIn()));
    m.add(
        gauge(
            "warrenmq_xa_branches_in_doubt",
            "XA branches prepared and not yet committed or rolled back",
            s.xaBranchesInDoubt()));
    addStore(m, broker.storeStats());
    broker
        .storeFileBytes()
        .ifPresent(
            bytes ->
                m.add(
                    gauge(
                        "warrenmq_store_file_bytes",
                        "Size of the embedded H2 store's file (warren.mv.db); absent when the store"
                            + " is given a JDBC URL (PostgreSQL)",
                        bytes)));
    addHa(m, ha.get());
    return new MetricSnapshots(m);
  }

  /**
   * The JVM process's resident set size, bytes, from Linux's {@code /proc/self/status} ({@code
   * VmRSS}, in kB); -1 elsewhere or if it cannot be read.
   */
  static long residentMemoryBytes() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
          return Long.parseLong(kb) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1; // not Linux as expected: the metric is left out
    }
    return -1;
  }

  private static void addStore(List<MetricSnapshot> m, MessageStore.StoreStats st) {
    m.add(
        counter(
            "warrenmq_store_commits", "Store transactions committed by the writer", st.commits()));
    m.add(
        summary(
            "warrenmq_store_sync_seconds",
            "Time making group commits durable (fsync on H2, synchronous commit on PostgreSQL),"
                + " one sample per sync",
            st.syncs(),
            st.syncNanos()));
    m.add(
        summary(
            "warrenmq_store_group_commit_seconds",
            "Time writing one group commit, statements to sync",
            st.batches(),
            st.batchNanos()));
    List<Long> sizes = st.batchSizeCounts();
    // size class i holds [2^i, 2^(i+1)) operations: upper bound 2^(i+1) - 1, the last one +Inf
    double[] bounds = new double[Math.max(sizes.size(), 1)];
    long[] counts = new long[bounds.length];
    for (int i = 0; i < sizes.size(); i++) {
      bounds[i] = i == sizes.size() - 1 ? Double.POSITIVE_INFINITY : (1L << (i + 1)) - 1;
      counts[i] = sizes.get(i);
    }
    if (sizes.isEmpty()) {
      bounds[0] = Double.POSITIVE_INFINITY;
    }
    m.add(
        HistogramSnapshot.builder()
            .name("warrenmq_store_group_commit_operations")
            .help("Operations (enqueues, acks, topology changes) written by one group commit")
            .dataPoint(
                HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                    .sum(st.operations())
                    .build())
            .build());
  }

  private MetricSnapshot buildInfo() {
    return info(
        "rabbitmq_build",
        "RabbitMQ & Erlang/OTP version info",
        Labels.of(
            "rabbitmq_version",
            version,
            "product",
            "WarrenMQ",
            "java_version",
            System.getProperty("java.version")));
  }

  /**
   * Shared-store high availability (README.md, "High availability"): whether this node serves
   * clients (1 also for a broker without HA), its lease epoch, the lease age it sees and its
   * takeovers.
   */
  private static void addHa(List<MetricSnapshot> m, HaStatus s) {
    m.add(
        gauge(
            "warrenmq_ha_live",
            "1 if this node is the live node of its HA group (or runs without HA), 0 if backup",
            s.serving() ? 1 : 0));
    m.add(
        gauge(
            "warrenmq_ha_epoch",
            "Lease epoch of the live node (this node's when live, the watched one when backup)",
            s.epoch()));
    m.add(
        gauge(
            "warrenmq_ha_lease_age_seconds",
            "Seconds since the lease was last renewed, as this node saw it (0 without HA)",
            s.leaseAgeMs() == null ? 0 : s.leaseAgeMs() / 1000.0));
    m.add(
        counter(
            "warrenmq_ha_takeovers",
            "Times this node became the live node of its HA group",
            s.takeovers()));
  }

  private static MetricSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).labels(NO_LABELS).build())
        .build();
  }

  private static MetricSnapshot queueGauge(
      String name,
      String help,
      List<QueueInfo> queues,
      boolean perObject,
      java.util.function.ToLongFunction<QueueInfo> value) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    if (perObject) {
      for (QueueInfo q : queues) {
        b.dataPoint(
            GaugeDataPointSnapshot.builder()
                .value(value.applyAsLong(q))
                .labels(Labels.of("vhost", q.virtualHost(), "queue", q.name()))
                .build());
      }
    } else {
      long sum = 0;
      for (QueueInfo q : queues) {
        sum += value.applyAsLong(q);
      }
      b.dataPoint(GaugeDataPointSnapshot.builder().value(sum).build());
    }
    return b.build();
  }

  /** A counter; the writer appends {@code _total}. */
  private static MetricSnapshot counter(String name, String help, long value) {
    return CounterSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(CounterDataPointSnapshot.builder().value(value).build())
        .build();
  }

  private static MetricSnapshot summary(String name, String help, long count, long sumNanos) {
    return SummarySnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(SummaryDataPointSnapshot.builder().count(count).sum(sumNanos / 1e9).build())
        .build();
  }

  /** An info metric; the writer appends {@code _info}. */
  private static MetricSnapshot info(String name, String help, Labels labels) {
    return InfoSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(InfoDataPointSnapshot.builder().labels(labels).build())
        .build();
  }
}
