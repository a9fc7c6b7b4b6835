#!/usr/bin/env bash
# WarrenMQ against ActiveMQ Artemis, side by side in one JMH run (issue 15, section 4).
#
#   benchmarks/run.sh                  # every scenario, both brokers, as in docs/performance.md
#   benchmarks/run.sh -p broker=warren # any extra JMH options go to org.openjdk.jmh.Main
#   BENCH=persistentSync benchmarks/run.sh   # a regex of scenarios instead of all
#   JMH_LAUNCHER_OPTS=-Djmh.ignoreLock=true benchmarks/run.sh   # while another JMH run holds
#                                      # /tmp/jmh.lock (a shared machine: the numbers get noisier)
#   benchmarks/run.sh -p store=postgres  # both brokers on PostgreSQL (issue 20): WarrenMQ's JDBC
#                                      # store and Artemis's JDBC store, each trial on a fresh
#                                      # database of its own on the same server
#   benchmarks/run.sh -p transport=wire # both brokers remote (issue 17): each in a JVM of its own on
#                                      # 127.0.0.1, WarrenMQ's server distribution over amqp://,
#                                      # Artemis over its core protocol (tcp://, Netty); logs in
#                                      # benchmarks/target/bench-logs
#   JMH_LAUNCHER_OPTS=-Dwarren.bench.wireOptions=?prefetch=1000 benchmarks/run.sh -p transport=wire
#                                      # options appended to WarrenMQ's amqp:// URL (the forks
#                                      # inherit the launcher's -D options)
#   JMH_LAUNCHER_OPTS="-Dwarren.bench.brokerJvmArgs=-XX:StartFlightRecording=filename=target/b.jfr,settings=profile" \
#       benchmarks/run.sh -p transport=wire -p broker=warren
#                                      # JVM options added to each broker JVM of transport=wire
#                                      # (here a JFR profile of the broker; the forks inherit it)
#   JMH_LAUNCHER_OPTS="-Dwarren.bench.brokerConf=warrenmq.queue_window=512MiB" \
#       benchmarks/run.sh -p transport=wire -p broker=warren
#                                      # settings (';'-separated) appended to the warrenmq.conf of
#                                      # each WarrenMQ server of transport=wire
#   PG_SERVER=jdbc:postgresql://db:5432/ PG_USER=bench PG_PASSWORD=... benchmarks/run.sh -p store=postgres
#                                      # another PostgreSQL server (default: the JDBC URL
#                                      # jdbc:postgresql://127.0.0.1:5432/, user postgres, no password)
#
# Builds the reactor's classes (no mvn install), then runs JMH from the class path. Every scenario
# runs once per broker, WarrenMQ then Artemis, each in a fresh JVM (-Xms2g -Xmx2g) on a fresh data
# directory under benchmarks/target/bench-data, after 8 warm-up iterations (the backlog: 12 rounds).
# Takes about 21 minutes on 2 idle cores (in-VM or wire). Results:
# benchmarks/target/jmh-<time>.{log,csv,md}; the .md is the table of docs/performance.md.
#
# With -p store=postgres (store=file is the default: WarrenMQ's H2 file, Artemis's journal) the
# script first checks that the server answers and that the user may create databases; each trial then
# creates a database warren_bench_<broker>_<random> (from the server's postgres database), runs its
# broker's JDBC store on it and drops it at its end; when the run ends (or is interrupted) the
# script drops any warren_bench_* database a killed trial left behind, so run one benchmark at a
# time per PostgreSQL server. Results: benchmarks/target/jmh-<time>-postgres.{log,csv,md}.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=file
TRANSPORT=invm
prev=""
for a in "$@"; do
  case "$prev$a" in
    -pstore=*postgres*) STORE=postgres ;;
    -ptransport=*wire*) TRANSPORT=wire ;;
  esac
  prev=$([ "$a" = "-p" ] && echo "-p" || echo "")
done
mvn -B -ntp -q -pl benchmarks -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/jmh.cp -Dmdep.includeScope=runtime
# -p transport=wire runs WarrenMQ's server distribution (BrokerProcess); assemble it
if [ "$TRANSPORT" = wire ]; then
  mvn -B -ntp -q -pl broker-server -am package -DskipTests
fi
cd benchmarks
rm -rf target/bench-data
CP="target/classes:$(cat target/jmh.cp)"
OUT="target/jmh-$(date -u +%Y%m%dT%H%M%SZ)"
PG_OPTS=()
if [ "$TRANSPORT" = wire ]; then
  OUT="$OUT-wire"
fi
if [ "$STORE" = postgres ]; then
  OUT="$OUT-postgres"
  PG_OPTS=(-Dwarren.bench.pgServer="${PG_SERVER:-jdbc:postgresql://127.0.0.1:5432/}"
           -Dwarren.bench.pgUser="${PG_USER:-postgres}")
  if [ -n "${PG_PASSWORD:-}" ]; then
    PG_OPTS+=(-Dwarren.bench.pgPassword="$PG_PASSWORD")
  fi
  java "${PG_OPTS[@]}" -cp "$CP" io.warrenmq.benchmarks.BenchDatabases check
  trap 'java "${PG_OPTS[@]}" -cp "$CP" io.warrenmq.benchmarks.BenchDatabases drop-leftovers' EXIT
fi
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u), $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg), store $STORE, transport $TRANSPORT" | tee "$OUT.log"
# the JMH forks inherit the launcher's -D options (the PostgreSQL server of store=postgres)
java ${JMH_LAUNCHER_OPTS:-} "${PG_OPTS[@]}" -cp "$CP" org.openjdk.jmh.Main \
    "io.warrenmq.benchmarks.JmsBrokerComparison.${BENCH:-}" \
    -rf csv -rff "$OUT.csv" "$@" 2>&1 | tee -a "$OUT.log"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT.log"
java -cp "$CP" io.warrenmq.benchmarks.Summary "$OUT.csv" "$OUT.log" | tee "$OUT.md"
rm -rf target/bench-data
