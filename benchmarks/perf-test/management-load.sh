#!/usr/bin/env bash
# The management API under load (issue 18, "Reliability and bad input"): with 10,000 queues
# declared, GET /api/queues is polled once a second while RabbitMQ's perf-test moves messages through
# another queue; the same on the RabbitMQ of 127.0.0.1:5672/15672 and on WarrenMQ's server, side by
# side. Reports each poll's time and the perf-test rate with and without the polling, alternating
# (without, with) per round, so that the slowdown the API costs the message path can be read.
#
#   benchmarks/perf-test/management-load.sh                  # 10,000 queues, 30 s per run, 2 rounds
#   QUEUES=1000 SECONDS_PER_RUN=10 ROUNDS=1 benchmarks/perf-test/management-load.sh   # smoke check
#   SCENARIO=persistent benchmarks/perf-test/management-load.sh   # the persistent perf-test row
#
# Needs: the server distribution (mvn -B -DskipTests package), RabbitMQ on 127.0.0.1:5672 with its
# management plugin on 15672 (guest/guest), python3. The queues are declared and deleted through
# each broker's management API (PUT/DELETE /api/queues/%2F/<name>), named mgmt-load-<n>.
# Results: benchmarks/target/management-load-<time>/{*.log,summary.md}.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
QUEUES=${QUEUES:-10000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
ROUNDS=${ROUNDS:-2}
SCENARIO=${SCENARIO:-transient}
OUT="$ROOT/benchmarks/target/management-load-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

SERVER="$ROOT/broker-server/target/warrenmq-server"
[ -x "$SERVER/bin/warrenmq-server" ] || { echo "no server distribution at $SERVER: run mvn -B -DskipTests package" >&2; exit 2; }
mvn -B -q -ntp -f benchmarks/perf-test/pom.xml dependency:build-classpath -Dmdep.outputFile="$OUT/perf-test.cp" >/dev/null
PERF="java -Xmx1g -cp $(cat "$OUT/perf-test.cp") com.rabbitmq.perf.PerfTest"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port)
HTTP_PORT=$(free_port)
cat > "$OUT/warrenmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$PORT
management.tcp.port = $HTTP_PORT
management.tcp.ip = 127.0.0.1
warrenmq.data_dir = $OUT/warren-data
CONF
"$SERVER/bin/warrenmq-server" --config "$OUT/warrenmq.conf" > "$OUT/warrenmq-server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -s -o /dev/null -u guest:guest "http://127.0.0.1:$HTTP_PORT/api/overview" && break
  sleep 0.5
done

amqp() { case $1 in rabbitmq) echo "amqp://guest:guest@127.0.0.1:5672";; warrenmq) echo "amqp://guest:guest@127.0.0.1:$PORT";; esac; }
http() { case $1 in rabbitmq) echo "http://127.0.0.1:15672";; warrenmq) echo "http://127.0.0.1:$HTTP_PORT";; esac; }

# declare (PUT) or delete (DELETE) mgmt-load-1..QUEUES through the management API, one kept-alive
# HTTP connection; prints the seconds it took
queues() { # broker PUT|DELETE
  python3 - "$(http "$1")" "$2" "$QUEUES" <<'PY'
import base64, http.client, sys, time, urllib.parse
base, method, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
u = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
auth = {"Authorization": "Basic " + base64.b64encode(b"guest:guest").decode(),
        "content-type": "application/json"}
t = time.time()
for i in range(1, n + 1):
    c.request(method, f"/api/queues/%2F/mgmt-load-{i}", body='{"durable":false}' if method == "PUT" else None, headers=auth)
    r = c.getresponse(); r.read()
    if r.status not in (201, 204, 404):
        sys.exit(f"{method} mgmt-load-{i}: HTTP {r.status}")
print(f"{time.time() - t:.1f}")
PY
}

# polls GET /api/queues once a second until killed; on SIGTERM prints "n p50 p95 max bytes" (ms)
poller() { # broker outfile
  python3 - "$(http "$1")" > "$2" <<'PY' &
import base64, http.client, signal, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
auth = {"Authorization": "Basic " + base64.b64encode(b"guest:guest").decode()}
times, size = [], 0
def done(*_):
    s = sorted(times) or [0]
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))]
    print(len(times), f"{pick(0.5):.0f}", f"{pick(0.95):.0f}", f"{s[-1]:.0f}", size)
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
while True:
    t = time.time()
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.request("GET", "/api/queues", headers=auth)
    r = c.getresponse(); body = r.read(); c.close()
    if r.status != 200:
        sys.exit(f"GET /api/queues: HTTP {r.status}")
    times.append((time.time() - t) * 1000); size = len(body)
    time.sleep(max(0, 1 - (time.time() - t)))
PY
  echo $!
}

run() { # broker label
  local log="$OUT/$SCENARIO-$1-$2-r$ROUND.log" q="mgmt-load-pt-$RANDOM"
  case $SCENARIO in
    transient)  $PERF -h "$(amqp "$1")" -x 1 -y 1 -s 1000 -a -u "$q" -ad true -z "$SECONDS_PER_RUN" > "$log" 2>&1 ;;
    persistent) $PERF -h "$(amqp "$1")" -x 1 -y 1 -s 1000 -f persistent -c 1000 -q 1000 -u "$q" -ad true -z "$SECONDS_PER_RUN" > "$log" 2>&1 ;;
  esac
  grep -oP 'receiving rate avg: \K[0-9]+' "$log" | tail -1
}

echo "commit $(git rev-parse --short HEAD), $(date -u), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $QUEUES queues, $SCENARIO, $SECONDS_PER_RUN s" | tee "$OUT/summary.md"
{
  echo
  echo "| broker | round | declare $QUEUES queues, s | perf-test msg/s, no polling | with polling | change | polls | GET /api/queues p50 / p95 / max ms | response bytes |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
} >> "$OUT/summary.md"
for b in rabbitmq warrenmq; do
  declared=$(queues "$b" PUT)
  for ROUND in $(seq 1 "$ROUNDS"); do
    quiet=$(run "$b" quiet)
    pid=$(poller "$b" "$OUT/poll-$b-r$ROUND.txt")
    polled=$(run "$b" polled)
    kill -TERM "$pid"
    # the poller is not this shell's child (started in a command substitution): wait for its line
    for _ in $(seq 1 600); do [ -s "$OUT/poll-$b-r$ROUND.txt" ] && break; sleep 0.1; done
    read -r n p50 p95 max bytes < "$OUT/poll-$b-r$ROUND.txt"
    change=$(python3 -c "print(f'{($polled - $quiet) / $quiet * 100:+.1f} %')")
    echo "| $b | $ROUND | $declared | $quiet | $polled | $change | $n | $p50 / $p95 / $max | $bytes |" | tee -a "$OUT/summary.md"
  done
  queues "$b" DELETE > /dev/null
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.md"
