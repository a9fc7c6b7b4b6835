#!/usr/bin/env bash
# The cost of shared-store HA (issue 19, "Performance"): WarrenMQ's server on PostgreSQL without HA
# and with warrenmq.ha.mode = shared-store, driven by RabbitMQ's load tool (com.rabbitmq:perf-test,
# as run.sh), alternating plain / HA for each scenario in the same run. Each server start gets a
# fresh database on the same PostgreSQL server, so both sides start from the same empty store.
# Scenarios: persistent 1 KB messages to a durable queue with publisher confirms (at most 1000
# unconfirmed per producer, prefetch 1000), 1 producer -> 1 consumer and 4 -> 4.
# With HA the live broker renews its lease and carries its epoch in every group commit; by default
# a backup node runs too (HA_BACKUP=0: the live node alone), as in a real deployment.
#
#   benchmarks/perf-test/ha-cost.sh                      # 20 s per row, 1 round
#   SECONDS_PER_RUN=30 ROUNDS=3 benchmarks/perf-test/ha-cost.sh
#   SECONDS_PER_RUN=3 benchmarks/perf-test/ha-cost.sh     # a smoke run
#   PGHOST=db PGPORT=5432 PGUSER=postgres benchmarks/perf-test/ha-cost.sh
#
# Needs: the server distribution (mvn -B -pl broker-server -am -DskipTests package builds
# broker-server/target/warrenmq-server), psql, and a PostgreSQL server on which PGUSER may create
# databases (default 127.0.0.1:5432, user postgres without a password). Results:
# benchmarks/target/ha-cost-<time>/{*.log,summary.md}.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
ROUNDS=${ROUNDS:-1}
SCENARIOS=${SCENARIOS:-"persistent1 persistent4"}
HA_BACKUP=${HA_BACKUP:-1}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
OUT="$ROOT/benchmarks/target/ha-cost-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

SERVER="$ROOT/broker-server/target/warrenmq-server"
[ -x "$SERVER/bin/warrenmq-server" ] || { echo "no server distribution at $SERVER: run mvn -B -pl broker-server -am -DskipTests package" >&2; exit 2; }
psql -X -q -d postgres -c 'SELECT 1' >/dev/null || { echo "cannot reach PostgreSQL at $PGHOST:$PGPORT as $PGUSER" >&2; exit 2; }
mvn -B -q -ntp -f benchmarks/perf-test/pom.xml dependency:build-classpath -Dmdep.outputFile="$OUT/perf-test.cp" >/dev/null
PERF="java -Xmx1g -cp $(cat "$OUT/perf-test.cp") com.rabbitmq.perf.PerfTest"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

PIDS=()
DB=""
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
  if [ -n "$DB" ]; then psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true; DB=""; fi
}
trap cleanup EXIT

# Starts a node; waits for its log line (is live / is backup / startup complete).
start_node() { # name port variant role log
  local name=$1 port=$2 variant=$3 role=$4 log=$5
  {
    echo "listeners.tcp.default = 127.0.0.1:$port"
    echo "warrenmq.store.jdbc_url = jdbc:postgresql://$PGHOST:$PGPORT/$DB?ApplicationName=warrenmq-$name"
    echo "warrenmq.store.jdbc_user = $PGUSER"
    [ -n "${PGPASSWORD:-}" ] && echo "warrenmq.store.jdbc_password = $PGPASSWORD"
    if [ "$variant" = ha ]; then
      echo "warrenmq.ha.mode = shared-store"
      echo "warrenmq.ha.node_name = $name"
    fi
  } > "$OUT/$name.conf"
  "$SERVER/bin/warrenmq-server" --config "$OUT/$name.conf" > "$log" 2>&1 &
  PIDS+=($!)
  local want="Server startup complete"
  [ "$variant" = ha ] && want="HA: node $name is $role"
  for _ in $(seq 1 240); do
    grep -qs "$want" "$log" && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 0.5
  done
  echo "node $name did not log '$want'; see $log" >&2
  exit 1
}

summary() { # log -> "send|receive|latency"
  local log=$1 s r l
  s=$(grep -oP 'sending rate avg: \K[0-9]+' "$log" | tail -1 || true)
  r=$(grep -oP 'receiving rate avg: \K[0-9]+' "$log" | tail -1 || true)
  l=$(grep -oP 'confirm latency min/median/75th/95th/99th \K[0-9/]+ µs' "$log" | head -1 || true)
  echo "${s:--}|${r:--}|${l:--}"
}

run() { # scenario variant round
  local name=$1 variant=$2 round=$3
  DB="warren_ha_cost_$(date +%s%N | tail -c 9)"
  psql -X -q -d postgres -c "CREATE DATABASE $DB" >/dev/null
  local port; port=$(free_port)
  start_node "live-$variant" "$port" "$variant" live "$OUT/$name-$variant-r$round.server.log"
  if [ "$variant" = ha ] && [ "$HA_BACKUP" = 1 ]; then
    start_node "backup-$variant" "$(free_port)" "$variant" backup "$OUT/$name-$variant-r$round.backup.log"
  fi
  local args=(-s 1000 -f persistent -c 1000 -q 1000 -u "q-$name" -ad true -z "$SECONDS_PER_RUN")
  case $name in
    persistent1) args=(-x 1 -y 1 "${args[@]}") ;;
    persistent4) args=(-x 4 -y 4 "${args[@]}") ;;
    *) echo "unknown scenario $name" >&2; exit 2 ;;
  esac
  echo "== $name $variant r$round: perf-test ${args[*]}" >> "$OUT/commands.txt"
  $PERF -h "amqp://guest:guest@127.0.0.1:$port" "${args[@]}" > "$OUT/$name-$variant-r$round.log" 2>&1 \
    || echo "perf-test exited $? ($OUT/$name-$variant-r$round.log)" >&2
  cleanup
}

echo "commit $(git rev-parse --short HEAD), $(date -u), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), PostgreSQL $PGHOST:$PGPORT $(psql -X -At -d postgres -c 'SHOW server_version'), ${SECONDS_PER_RUN} s per row, HA backup node: $HA_BACKUP" | tee "$OUT/summary.md"
for ROUND in $(seq 1 "$ROUNDS"); do
  for s in $SCENARIOS; do
    for v in plain ha; do
      echo "round $ROUND: $s $v" >&2
      run "$s" "$v" "$ROUND"
    done
  done
done
{
  echo
  echo "| scenario | round | store | sent msg/s | received msg/s | confirm latency min/median/75th/95th/99th | HA / plain (received) |"
  echo "| --- | ---: | --- | ---: | ---: | --- | ---: |"
  for s in $SCENARIOS; do
    for r in $(seq 1 "$ROUNDS"); do
      IFS='|' read -r ps pr pl <<< "$(summary "$OUT/$s-plain-r$r.log")"
      IFS='|' read -r hs hr hl <<< "$(summary "$OUT/$s-ha-r$r.log")"
      ratio=-
      if [[ $pr =~ ^[0-9]+$ && $hr =~ ^[0-9]+$ && $pr -gt 0 ]]; then
        ratio=$(awk -v h="$hr" -v p="$pr" 'BEGIN { printf "%.2f", h / p }')
      fi
      echo "| $s | $r | PostgreSQL | $ps | $pr | $pl | |"
      echo "| $s | $r | PostgreSQL + HA shared-store | $hs | $hr | $hl | $ratio |"
    done
  done
  echo
  echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$OUT/summary.md"
