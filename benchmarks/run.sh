#!/usr/bin/env bash
# WarrenMQ against ActiveMQ Artemis, side by side in one JMH run (issue 15, section 4).
#
#   benchmarks/run.sh                  # every scenario, both brokers, as in docs/performance.md
#   benchmarks/run.sh -p broker=warren # any extra JMH options go to org.openjdk.jmh.Main
#   BENCH=persistentSync benchmarks/run.sh   # a regex of scenarios instead of all
#   JMH_LAUNCHER_OPTS=-Djmh.ignoreLock=true benchmarks/run.sh   # while another JMH run holds
#                                      # /tmp/jmh.lock (a shared machine: the numbers get noisier)
#
# Builds the reactor's classes (no mvn install), then runs JMH from the class path. Every scenario
# runs once per broker, WarrenMQ then Artemis, each in a fresh JVM (-Xms2g -Xmx2g) on a fresh data
# directory under benchmarks/target/bench-data. Takes 20-30 minutes on 2 cores. Results:
# benchmarks/target/jmh-<time>.{log,csv,md}; the .md is the table of docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl benchmarks -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/jmh.cp -Dmdep.includeScope=runtime
cd benchmarks
rm -rf target/bench-data
CP="target/classes:$(cat target/jmh.cp)"
OUT="target/jmh-$(date -u +%Y%m%dT%H%M%SZ)"
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u), $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT.log"
java ${JMH_LAUNCHER_OPTS:-} -cp "$CP" org.openjdk.jmh.Main "io.warrenmq.benchmarks.JmsBrokerComparison.${BENCH:-}" \
    -rf csv -rff "$OUT.csv" "$@" 2>&1 | tee -a "$OUT.log"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT.log"
java -cp "$CP" io.warrenmq.benchmarks.Summary "$OUT.csv" "$OUT.log" | tee "$OUT.md"
rm -rf target/bench-data
