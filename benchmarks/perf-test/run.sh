#!/usr/bin/env bash
# WarrenMQ's server against the RabbitMQ on 127.0.0.1:5672, side by side, both driven by RabbitMQ's
# own load tool (com.rabbitmq:perf-test from Maven Central), alternating broker by broker for each
# scenario (issue 16, "Performance"). 1 KB messages; the persistent rows use durable queues and
# publisher confirms, which both brokers send only after an fsync (WarrenMQ's default durability
# power_loss; RabbitMQ's classic queues fsync before confirming).
#
#   benchmarks/perf-test/run.sh            # every scenario, 20 s each per broker
#   SECONDS_PER_RUN=30 ROUNDS=2 benchmarks/perf-test/run.sh
#   SCENARIOS="transient fanout" benchmarks/perf-test/run.sh
#
# Needs: the server distribution (mvn -B -DskipTests package builds
# broker-server/target/warrenmq-server) and RabbitMQ listening on 127.0.0.1:5672 (guest/guest).
# Results: benchmarks/target/perf-test-<time>/{*.log,summary.md}; summary.md is the table of
# docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
ROUNDS=${ROUNDS:-1}
SCENARIOS=${SCENARIOS:-"transient persistent1 persistent4 fanout backlog"}
BACKLOG=${BACKLOG:-200000}
OUT="$ROOT/benchmarks/target/perf-test-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

SERVER="$ROOT/broker-server/target/warrenmq-server"
[ -x "$SERVER/bin/warrenmq-server" ] || { echo "no server distribution at $SERVER: run mvn -B -DskipTests package" >&2; exit 2; }
mvn -B -q -ntp -f benchmarks/perf-test/pom.xml dependency:build-classpath -Dmdep.outputFile="$OUT/perf-test.cp" >/dev/null
PERF="java -Xmx1g -cp $(cat "$OUT/perf-test.cp") com.rabbitmq.perf.PerfTest"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
DATA="$OUT/warren-data"
cat > "$OUT/warrenmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$PORT
warrenmq.data_dir = $DATA
CONF
"$SERVER/bin/warrenmq-server" --config "$OUT/warrenmq.conf" > "$OUT/warrenmq-server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
  sleep 0.5
done
(exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null || { echo "WarrenMQ did not start; see $OUT/warrenmq-server.log" >&2; exit 1; }

uri() { case $1 in rabbitmq) echo "amqp://guest:guest@127.0.0.1:5672";; warrenmq) echo "amqp://guest:guest@127.0.0.1:$PORT";; esac; }

# One perf-test run; its log is kept; prints "send receive latency" from perf-test's summary.
run() { # broker scenario-name args...
  local broker=$1 name=$2; shift 2
  local log="$OUT/$name-$broker-r$ROUND.log"
  echo "== $name on $broker: perf-test $*" >> "$OUT/commands.txt"
  $PERF -h "$(uri "$broker")" "$@" > "$log" 2>&1 || echo "perf-test exited $? ($log)" >&2
}

summary() { # log -> "send|receive|latency"
  local log=$1
  local s r l
  s=$(grep -oP 'sending rate avg: \K[0-9]+' "$log" | tail -1 || true)
  r=$(grep -oP 'receiving rate avg: \K[0-9]+' "$log" | tail -1 || true)
  l=$(grep -oP '(consumer|confirm) latency min/median/75th/95th/99th \K[0-9/]+ µs' "$log" | head -1 || true)
  echo "${s:--}|${r:--}|${l:--}"
}

delete_queue() { # broker queue: with pika (Debian python3-pika), as any client would
  /usr/bin/python3 - "$(uri "$1")" "$2" <<'PY' || echo "could not delete queue $2 on $1" >&2
import sys, pika
c = pika.BlockingConnection(pika.URLParameters(sys.argv[1]))
c.channel().queue_delete(sys.argv[2])
c.close()
PY
}

scenario() { # name broker
  local name=$1 b=$2 q="pt-$1-$RANDOM"
  case $name in
    transient)   run "$b" "$name" -x 1 -y 1 -s 1000 -a -u "$q" -ad true -z "$SECONDS_PER_RUN" ;;
    persistent1) run "$b" "$name" -x 1 -y 1 -s 1000 -f persistent -c 1000 -q 1000 -u "$q" -ad true -z "$SECONDS_PER_RUN" ;;
    persistent4) run "$b" "$name" -x 4 -y 4 -s 1000 -f persistent -c 1000 -q 1000 -u "$q" -ad true -z "$SECONDS_PER_RUN" ;;
    fanout)      run "$b" "$name" -x 1 -y 10 -s 1000 -a -t fanout -e "pt-fanout-$RANDOM" -z "$SECONDS_PER_RUN" ;;
    backlog)
      run "$b" "backlog-publish" -x 1 -y 0 -s 1000 -f persistent -c 1000 -u "$q" -ad false -C "$BACKLOG"
      run "$b" "backlog-drain" -x 0 -y 1 -q 1000 -f persistent -u "$q" -ad false -D "$BACKLOG"
      delete_queue "$b" "$q" ;;
  esac
}

echo "commit $(git rev-parse --short HEAD), $(date -u), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/summary.md"
for ROUND in $(seq 1 "$ROUNDS"); do
  for s in $SCENARIOS; do
    for b in rabbitmq warrenmq; do
      echo "round $ROUND: $s on $b" >&2
      scenario "$s" "$b"
    done
  done
done
{
  echo
  echo "| scenario | round | broker | sent msg/s | received msg/s | latency min/median/75th/95th/99th |"
  echo "| --- | ---: | --- | ---: | ---: | --- |"
  for s in $SCENARIOS; do
    names=$s; [ "$s" = backlog ] && names="backlog-publish backlog-drain"
    for n in $names; do
      for r in $(seq 1 "$ROUNDS"); do
        for b in rabbitmq warrenmq; do
          IFS='|' read -r sr rr lat <<< "$(summary "$OUT/$n-$b-r$r.log")"
          echo "| $n | $r | $b | $sr | $rr | $lat |"
        done
      done
    done
  done
  echo
  echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$OUT/summary.md"
