#!/usr/bin/env bash
# A soak of the standalone server on PostgreSQL (issue 20): one durable queue keeps a backlog of
# persistent 1 KB messages while a producer (publisher confirms, at most 1,000 unconfirmed) and a
# consumer (prefetch 200, an ack per message) each move --rate messages a second through it, so
# that its tail is paged through the store all along. Run it on demand, not in CI (the 2-minute
# version is broker-server's PostgresSoakTest).
#
#   benchmarks/soak.sh                           # 30 minutes, 1,000 msg/s, backlog 100,000
#   benchmarks/soak.sh --minutes 5 --rate max    # the maximum: the producer unpaced (confirm window
#                                                # 1,000), the consumer following it so the backlog stays
#   benchmarks/soak.sh --minutes 30 --rate 2500  # then soak at half of it
#   benchmarks/soak.sh --seconds 60 --rate 200 --backlog 5000 --slice-seconds 20   # a smoke check
#   PG_PASSWORD=... benchmarks/soak.sh --pg-server jdbc:postgresql://db:5432/ --pg-user bench
#
# Other options: --backlog N (100000), --slice-seconds N (60: the report's period), --heap SIZE
# (the server JVM's -Xmx, 1g). The PostgreSQL server defaults to jdbc:postgresql://127.0.0.1:5432/
# as user postgres; the user must be allowed to create databases.
#
# What it does: builds broker-server's classes and test classes (no mvn install), creates a database
# warren_soak_<random> on the server, starts a WarrenMQ server JVM on it (broker-server's test
# launcher TestServerMain: the engine, the JDBC store at its default durability POWER_LOSS, the
# AMQP listener on 127.0.0.1 and a free port; its log: broker-server/target/soak-server.log),
# fills the backlog, then runs the steady phase. Every slice it prints the messages published and
# consumed per second, the publish-to-confirm latency (p50, p99, max), the backlog, the server's
# heap after a full GC and the size of the store's queue entry tables (warren_message and
# warren_queue_entry with their indexes); at the end the totals, the final backlog (queue.declare)
# against the one expected from the counts, and the heap and table sizes at start and end. Then it
# stops the server cleanly and drops the database. Output: broker-server/target/soak-<time>.log.
# Table sizes stay bounded only if autovacuum runs (README, "PostgreSQL settings").
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl broker-server -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/soak.cp -Dmdep.includeScope=test
cd broker-server
CP="target/test-classes:target/classes:$(cat target/soak.cp)"
OUT="target/soak-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u), $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT"
java -cp "$CP" io.warrenmq.server.Soak "$@" 2>&1 | tee -a "$OUT"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
