#!/usr/bin/env bash
# MDBs inside WildFly: WarrenMQ's adapter vs WildFly's built-in Artemis, in one run (issue 15,
# section 4), with each broker embedded in WildFly (MODE=embedded, the default) or each broker a
# server of its own on 127.0.0.1 that WildFly reaches over the network (MODE=remote, issue 17).
# Not a test: nothing in `mvn verify` runs it.
#
#   server-config/bench/mdb-bench.sh
#   MODE=remote server-config/bench/mdb-bench.sh
#
# MODE=remote: WarrenMQ is its standalone server (broker-server/target/warrenmq-server, built by
# the build; default durability POWER_LOSS: fsync before a confirm or a prepare returns), reached
# by warren-ra.rar's connectionURL (warren-remote.cli); Artemis is the Apache ActiveMQ Artemis
# distribution org.apache.activemq:apache-artemis:ARTEMIS_VERSION:tar.gz:bin from Maven Central,
# a broker instance made by `artemis create` with its defaults (journal sync on; AIO if libaio is
# there, else NIO; login required), reached by WildFly's messaging-activemq through a remote
# connector and a pooled connection factory, the queue an external-jms-queue (artemis-remote.cli).
# Both servers run with -Xmx1g, start fresh (empty store) before WildFly starts and stop after it.
# WarrenMQ's server also serves its management API on a free port of 127.0.0.1; after each measured
# row the script prints what its store did in that row, read from /metrics before and after:
# "store: <n> group commits of <m> operations on average, <s> syncs of <t> ms on average".
#
# 1. builds the project (mvn -B -ntp -q -DskipTests package; SKIP_BUILD=true reuses it) and the
#    benchmark's EAR (javac + jar from server-config/bench/app: an EJB jar with the producer EJB
#    and the MDB, a WAR with the JAX-RS trigger) into server-config/target/bench,
# 2. provisions WildFly with provision.sh into server-config/target/bench-wildfly (SKIP_PROVISION=true
#    reuses it) and writes two configurations next to standalone-full.xml:
#    standalone-bench-warren.xml (warren.cli: warren-ra.rar, durability POWER_LOSS) and
#    standalone-bench-artemis.xml (artemis.cli: messaging-activemq at its defaults, activemq-ra),
#    both binding java:/jms/bench/ConnectionFactory and java:/jms/bench/queue/benchq,
# 3. for each round and each broker (ORDER): starts WildFly with that configuration (port offset
#    400: HTTP 8480, management 10390), deploys (warren-ra.rar and) the same mdb-bench.ear, runs
#    the three rows as a warm-up, then the three rows measured, and stops the server,
# 4. prints one table per round: msg/s of each broker per row and the ratio WarrenMQ / Artemis.
# A row: MESSAGES 1 KB BytesMessages sent by PRODUCERS threads, each call of the producer EJB one
# container-managed transaction (REQUIRED) of 1 or 100 messages, consumed by an MDB (CMT REQUIRED,
# maxSession 15, XA delivery); msg/s = messages / (first send .. last message received by the MDB).
#
# Environment: MODE (embedded | remote), MESSAGES (20000), PRODUCERS (4), WARMUP (50000 messages
# through each of the three rows before the measured ones, the same for both brokers, so that a
# fresh server's JIT is done: after 10000, the default until 7 Dec 2026, the C2 compiler still took
# 30-36 % of the machine during the first measured row; see docs/performance.md), ROUNDS (1), ORDER ("warren artemis"), SKIP_BUILD, SKIP_PROVISION,
# MVN (mvn), ARTEMIS_VERSION (2.40.0, MODE=remote), WARREN_JAVA_OPTS (MODE=remote: more options of
# WarrenMQ's server JVM after -Xmx1g, for a diagnosis such as -XX:+PrintCompilation; not for results),
# PROFILE: "jfr" records a JFR profile (settings=profile, or the .jfc file JFR_SETTINGS names) of
# the app server during WarrenMQ's first measured PROFILE_ROW (persistent-1-per-tx, or
# persistent-100-per-tx, non-persistent-100-per-tx) into
# server-config/target/bench/warren-<row>.jfr (summarise it with jfr-summary.py); with MODE=remote
# also of WarrenMQ's server into warren-broker-<row>.jfr. To count a server's syncs during a row (as
# docs/performance.md did), attach perf from another shell: perf stat -e 'syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync'
# -p "$(cat server-config/target/bench/wildfly.pid)", stopped with Ctrl-C when the row ends.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MESSAGES=${MESSAGES:-20000}
PRODUCERS=${PRODUCERS:-4}
WARMUP=${WARMUP:-50000}
ROUNDS=${ROUNDS:-1}
ORDER=${ORDER:-warren artemis}
PROFILE=${PROFILE:-none}
PROFILE_ROW=${PROFILE_ROW:-persistent-1-per-tx}
case "$PROFILE_ROW" in
  persistent-1-per-tx | persistent-100-per-tx | non-persistent-100-per-tx) ;;
  *) echo "mdb-bench: PROFILE_ROW must name a row (persistent-1-per-tx, persistent-100-per-tx, non-persistent-100-per-tx), not '$PROFILE_ROW'" >&2; exit 2 ;;
esac
MVN=${MVN:-mvn}
MODE=${MODE:-embedded}
ARTEMIS_VERSION=${ARTEMIS_VERSION:-2.40.0}
case "$MODE" in
  embedded) CONFIG_SUFFIX="" ;;
  remote) CONFIG_SUFFIX="-remote" ;;
  *) echo "mdb-bench: MODE must be embedded or remote, not '$MODE'" >&2; exit 2 ;;
esac
PORT_OFFSET=400
HTTP_PORT=$((8080 + PORT_OFFSET))
MANAGEMENT_PORT=$((9990 + PORT_OFFSET))
WORK="$ROOT/server-config/target/bench"
WILDFLY_HOME="$ROOT/server-config/target/bench-wildfly"
RAR="$ROOT/server-config/target/deployments/warren-ra.rar"
EAR="$WORK/mdb-bench.ear"
SERVER_PID=""
BROKER_PID=""
DISTRIBUTION="$ROOT/broker-server/target/warrenmq-server"

# The rows: name, messages per transaction, persistent.
ROWS=("persistent-1-per-tx 1 true" "persistent-100-per-tx 100 true" "non-persistent-100-per-tx 100 false")

log() { echo "mdb-bench: $*" >&2; }

cli() {
  NOPAUSE=true "$WILDFLY_HOME/bin/jboss-cli.sh" --connect --controller="127.0.0.1:$MANAGEMENT_PORT" \
    --timeout=60000 "$@"
}

stop_server() {
  if [ -z "$SERVER_PID" ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
    SERVER_PID=""
    return 0
  fi
  log "stopping WildFly (pid $SERVER_PID)"
  cli --command=":shutdown(timeout=60)" >/dev/null 2>&1 || kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 90); do
    kill -0 "$SERVER_PID" 2>/dev/null || { SERVER_PID=""; return 0; }
    sleep 1
  done
  log "WildFly did not stop within 90 s; killing pid $SERVER_PID"
  kill -9 "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
# A free TCP port on 127.0.0.1 (the kernel's choice), for a remote broker.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_line FILE TEXT SECONDS: until FILE contains TEXT, while BROKER_PID lives.
wait_for_line() {
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$BROKER_PID" 2>/dev/null || { log "the broker exited during start-up; see $1"; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { log "no '$2' in $1 after $3 s"; exit 1; }
    sleep 0.5
  done
}

# start_remote_broker BROKER: starts WarrenMQ's server or the Artemis distribution on a free port of
# 127.0.0.1 with an empty store; sets BROKER_PID and SERVER_PROPERTY (WildFly's -D for the CLI's
# expression: the URL or the port).
start_remote_broker() {
  local port
  port=$(free_port)
  case "$1" in
    warren)
      rm -rf "$WORK/warren-broker" && mkdir -p "$WORK/warren-broker"
      BROKER_METRICS_PORT=$(free_port)
      printf '%s\n' "listeners.tcp.default = 127.0.0.1:$port" \
        "management.tcp.ip = 127.0.0.1" "management.tcp.port = $BROKER_METRICS_PORT" \
        "warrenmq.data_dir = $WORK/warren-broker/data" >"$WORK/warren-broker/warrenmq.conf"
      log "starting WarrenMQ's server on 127.0.0.1:$port (metrics: http://127.0.0.1:$BROKER_METRICS_PORT/metrics); output: $WORK/warren-broker/server.out"
      WARRENMQ_LOG_DIR="$WORK/warren-broker/log" JAVA_OPTS="-Xmx1g ${WARREN_JAVA_OPTS:-}" \
        "$DISTRIBUTION/bin/warrenmq-server" --config "$WORK/warren-broker/warrenmq.conf" \
        >"$WORK/warren-broker/server.out" 2>&1 &
      BROKER_PID=$!
      wait_for_line "$WORK/warren-broker/server.out" "Server startup complete" 120
      SERVER_PROPERTY="-Dwarren.bench.remote.url=amqp://guest:guest@127.0.0.1:$port"
      ;;
    artemis)
      rm -rf "$WORK/artemis-broker"
      log "creating an Artemis $ARTEMIS_VERSION broker instance (127.0.0.1:$port) in $WORK/artemis-broker"
      "$WORK/artemis-dist/bin/artemis" create "$WORK/artemis-broker" --silent --force \
        --user bench --password bench --require-login --no-web --java-memory 1G \
        --host 127.0.0.1 --default-port "$port" --queues benchq:anycast \
        --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
        >"$WORK/artemis-create.log" 2>&1 \
        || { log "artemis create failed; see $WORK/artemis-create.log"; exit 1; }
      log "starting Artemis; output: $WORK/artemis-broker/run.out"
      "$WORK/artemis-broker/bin/artemis" run >"$WORK/artemis-broker/run.out" 2>&1 &
      BROKER_PID=$!
      wait_for_line "$WORK/artemis-broker/run.out" "AMQ221007" 120
      grep -o 'AMQ2210[0-9]*: Using [A-Z]* Journal' "$WORK/artemis-broker/run.out" | head -n 1 >&2 || true
      SERVER_PROPERTY="-Dwarren.bench.artemis.port=$port"
      ;;
  esac
}

# Stops the remote broker (SIGTERM: a clean shutdown; SIGKILL after 60 s).
stop_remote_broker() {
  BROKER_METRICS_PORT=""
  if [ -z "$BROKER_PID" ] || ! kill -0 "$BROKER_PID" 2>/dev/null; then
    BROKER_PID=""
    return 0
  fi
  log "stopping the remote broker (pid $BROKER_PID)"
  # artemis run is a shell script whose java child is the broker: signal the whole process group
  pkill -TERM -P "$BROKER_PID" 2>/dev/null || true
  kill -TERM "$BROKER_PID" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$BROKER_PID" 2>/dev/null || { BROKER_PID=""; return 0; }
    sleep 1
  done
  pkill -KILL -P "$BROKER_PID" 2>/dev/null || true
  kill -KILL "$BROKER_PID" 2>/dev/null || true
  BROKER_PID=""
}

stop_all() {
  stop_server
  stop_remote_broker
}
SERVER_PROPERTY=""
trap stop_all EXIT
trap 'exit 130' INT TERM

# shellcheck source=../lib.sh
. "$ROOT/server-config/lib.sh"

# --- 1. build -------------------------------------------------------------------------------------
if [ "${SKIP_BUILD:-false}" != "true" ]; then
  log "building: $MVN -B -ntp -q -DskipTests package"
  (cd "$ROOT" && "$MVN" -B -ntp -q -DskipTests package)
fi
[ -f "$RAR" ] || { log "$RAR is missing: build first (mvn -B -ntp -q -DskipTests package)"; exit 1; }
if [ "$MODE" = remote ]; then
  [ -x "$DISTRIBUTION/bin/warrenmq-server" ] \
    || { log "$DISTRIBUTION is missing: build first (mvn -B -ntp -q -DskipTests package)"; exit 1; }
  if [ ! -x "$WORK/artemis-dist/bin/artemis" ]; then
    log "fetching org.apache.activemq:apache-artemis:$ARTEMIS_VERSION:tar.gz:bin"
    "$MVN" -B -q -Dstyle.color=never -f "$ROOT/server-config/pom.xml" dependency:copy \
      -Dartifact="org.apache.activemq:apache-artemis:$ARTEMIS_VERSION:tar.gz:bin" -DoutputDirectory="$WORK/lib"
    rm -rf "$WORK/artemis-dist" "$WORK/artemis-unpack" && mkdir -p "$WORK/artemis-unpack"
    tar -xzf "$WORK/lib/apache-artemis-$ARTEMIS_VERSION-bin.tar.gz" -C "$WORK/artemis-unpack"
    mv "$WORK/artemis-unpack/apache-artemis-$ARTEMIS_VERSION" "$WORK/artemis-dist"
    rm -rf "$WORK/artemis-unpack"
  fi
fi

EE_VERSION=$(pom_property jakarta.ee.version)
API_JAR="$WORK/lib/jakarta.jakartaee-api-$EE_VERSION.jar"
if [ ! -f "$API_JAR" ]; then
  "$MVN" -B -q -Dstyle.color=never -f "$ROOT/server-config/pom.xml" dependency:copy \
    -Dartifact="jakarta.platform:jakarta.jakartaee-api:$EE_VERSION" -DoutputDirectory="$WORK/lib"
fi
log "building $EAR"
rm -rf "$WORK/ear-build"
mkdir -p "$WORK/ear-build/ejb" "$WORK/ear-build/web/WEB-INF/classes" "$WORK/ear-build/ear/META-INF"
javac --release 17 -nowarn -cp "$API_JAR" -d "$WORK/ear-build/ejb" \
  $(find "$HERE/app/ejb" -name '*.java')
javac --release 17 -nowarn -cp "$API_JAR:$WORK/ear-build/ejb" -d "$WORK/ear-build/web/WEB-INF/classes" \
  $(find "$HERE/app/web" -name '*.java')
jar --create --file "$WORK/ear-build/ear/mdb-bench-ejb.jar" -C "$WORK/ear-build/ejb" .
jar --create --file "$WORK/ear-build/ear/mdb-bench-web.war" -C "$WORK/ear-build/web" .
cp "$HERE/app/META-INF/application.xml" "$WORK/ear-build/ear/META-INF/"
rm -f "$EAR"
jar --create --file "$EAR" -C "$WORK/ear-build/ear" .

# --- 2. provision ---------------------------------------------------------------------------------
if [ "${SKIP_PROVISION:-false}" != "true" ] \
  || [ ! -f "$WILDFLY_HOME/standalone/configuration/standalone-bench-artemis-remote.xml" ]; then
  # KEEP_ARTEMIS: the Artemis configuration is made from this standalone-full.xml
  MVN="$MVN" KEEP_ARTEMIS=true bash "$ROOT/server-config/wildfly/provision.sh" "$WILDFLY_HOME"
  for b in warren artemis warren-remote artemis-remote; do
    cp "$WILDFLY_HOME/standalone/configuration/standalone-full.xml" \
      "$WILDFLY_HOME/standalone/configuration/standalone-bench-$b.xml"
    log "applying $HERE/$b.cli (offline)"
    NOPAUSE=true "$WILDFLY_HOME/bin/jboss-cli.sh" --file="$HERE/$b.cli" >/dev/null
  done
fi

# --- 3. run ---------------------------------------------------------------------------------------
start_server() {
  local broker=$1
  local config="standalone-bench-$broker$CONFIG_SUFFIX.xml"
  log "starting WildFly with $config; console: $WORK/console-$broker.log"
  # The configurations share the server's content repository: a deployment that one of them kept
  # (e.g. after an interrupted run) may name content another replaced, and boot would fail on it.
  # Every start deploys afresh, so the configuration starts without deployments.
  sed -i '/<deployments>/,/<\/deployments>/d' "$WILDFLY_HOME/standalone/configuration/$config"
  rm -f "$WILDFLY_HOME/standalone/log/server.log"
  rm -rf "$WILDFLY_HOME/standalone/data/tx-object-store" # no transaction log of another broker
  LAUNCH_JBOSS_IN_BACKGROUND=true JBOSS_PIDFILE="$WORK/wildfly.pid" \
    "$WILDFLY_HOME/bin/standalone.sh" -c "$config" ${SERVER_PROPERTY:+"$SERVER_PROPERTY"} \
    -Djboss.socket.binding.port-offset="$PORT_OFFSET" >"$WORK/console-$broker.log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 600))
  until cli --command=":read-attribute(name=server-state)" 2>/dev/null | grep -q '"result" => "running"'; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "WildFly exited during start-up"; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { log "WildFly not running after 600 s"; exit 1; }
    sleep 1
  done
  local archives=("$EAR")
  [ "$broker" != warren ] || archives=("$RAR" "$EAR")
  local a
  for a in "${archives[@]}"; do
    cli --command="deploy $a --force" >/dev/null \
      || { log "deploying $(basename "$a") failed; see $WILDFLY_HOME/standalone/log/server.log"; exit 1; }
  done
}

# store_counters: WarrenMQ's remote server's store counters from its Prometheus endpoint, as
# "syncs sync_seconds batches operations" (empty when there is no such server, or when /metrics
# could not be read or holds no store counters, so that store_delta prints nothing rather than a
# difference against zeros).
store_counters() {
  [ -n "${BROKER_METRICS_PORT:-}" ] || return 0
  { curl -sS --max-time 10 -u guest:guest "http://127.0.0.1:$BROKER_METRICS_PORT/metrics" || true; } | awk '
    /^warrenmq_store_sync_seconds_count/ {syncs=$2} /^warrenmq_store_sync_seconds_sum/ {secs=$2}
    /^warrenmq_store_group_commit_seconds_count/ {batches=$2}
    /^warrenmq_store_group_commit_operations_sum/ {ops=$2}
    END {if (syncs != "" && batches != "") printf "%d %.6f %d %d\n", syncs, secs, batches, ops}'
}

# store_delta BEFORE AFTER: what the store did between two store_counters readings.
store_delta() {
  [ -n "$1" ] && [ -n "$2" ] || return 0
  awk -v a="$1" -v b="$2" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    s = y[1] - x[1]; t = y[2] - x[2]; n = y[3] - x[3]; o = y[4] - x[4]
    printf "store: %d group commits of %.1f operations on average, %d syncs of %.2f ms on average\n",
      n, n ? o / n : 0, s, s ? 1000 * t / s : 0 }'
}

# run_row MESSAGES PER_TX PERSISTENT: prints the server's answer line.
run_row() {
  curl -sS --fail-with-body --max-time 1000 -X POST \
    "http://127.0.0.1:$HTTP_PORT/mdb-bench/api/rows?messages=$1&perTx=$2&persistent=$3&producers=$PRODUCERS"
}

# The JVM's pid (standalone.sh writes it to JBOSS_PIDFILE).
jvm_pid() { cat "$WORK/wildfly.pid"; }

declare -A RATE
for round in $(seq 1 "$ROUNDS"); do
  for broker in $ORDER; do
    SERVER_PROPERTY=""
    [ "$MODE" != remote ] || start_remote_broker "$broker"
    start_server "$broker"
    # warm-up: every row once with WARMUP messages, so that both the server's and (MODE=remote)
    # the broker's JIT have compiled each row's path before anything is measured
    for row in "${ROWS[@]}"; do
      read -r name per_tx persistent <<<"$row"
      log "$broker: warm-up $name, $WARMUP messages: $(run_row "$WARMUP" "$per_tx" "$persistent")"
    done
    for row in "${ROWS[@]}"; do
      read -r name per_tx persistent <<<"$row"
      profiling=""
      if [ "$broker" = warren ] && [ "$name" = "$PROFILE_ROW" ] && [ "$round" = 1 ]; then
        case "$PROFILE" in
          jfr)
            jcmd "$(jvm_pid)" JFR.start name=row1 settings="${JFR_SETTINGS:-profile}" >/dev/null
            [ "$MODE" != remote ] || jcmd "$BROKER_PID" JFR.start name=row1 settings="${JFR_SETTINGS:-profile}" >/dev/null
            profiling=jfr ;;
        esac
      fi
      before=$(store_counters)
      answer=$(run_row "$MESSAGES" "$per_tx" "$persistent")
      after=$(store_counters)
      case "$profiling" in
        "") ;;
        jfr) jcmd "$(jvm_pid)" JFR.dump name=row1 filename="$WORK/warren-$name.jfr" >/dev/null
             jcmd "$(jvm_pid)" JFR.stop name=row1 >/dev/null
             log "JFR recording: $WORK/warren-$name.jfr"
             if [ "$MODE" = remote ]; then
               jcmd "$BROKER_PID" JFR.dump name=row1 filename="$WORK/warren-broker-$name.jfr" >/dev/null
               jcmd "$BROKER_PID" JFR.stop name=row1 >/dev/null
               log "JFR recording of the broker: $WORK/warren-broker-$name.jfr"
             fi ;;
      esac
      log "$broker $name: $answer"
      [ "$broker" != warren ] || [ -z "$before" ] || log "$broker $name: $(store_delta "$before" "$after")"
      received=$(sed -n 's/.*received=\([0-9]*\).*/\1/p' <<<"$answer")
      [ "$received" -ge "$MESSAGES" ] || { log "$broker $name: only $received of $MESSAGES received"; exit 1; }
      RATE[$round,$broker,$name]=$(sed -n 's/.*msgPerSec=\([0-9]*\).*/\1/p' <<<"$answer")
    done
    if grep -E '^\S+ \S+ (ERROR|FATAL) ' "$WILDFLY_HOME/standalone/log/server.log" >"$WORK/errors-$broker.log"; then
      log "server.log has ERROR lines with $broker (see $WORK/errors-$broker.log):"
      head -n 10 "$WORK/errors-$broker.log" >&2
    fi
    cp "$WILDFLY_HOME/standalone/log/server.log" "$WORK/server-$broker-round$round.log"
    stop_server
    stop_remote_broker
  done
done

# --- 4. report ------------------------------------------------------------------------------------
echo
echo "MDBs in WildFly $(pom_property wildfly.version), brokers $MODE: $MESSAGES x 1 KB per row, $PRODUCERS producer threads, CMT REQUIRED, maxSession 15"
for round in $(seq 1 "$ROUNDS"); do
  echo
  echo "round $round"
  printf '| %-26s | %14s | %14s | %6s |\n' row "WarrenMQ msg/s" "Artemis msg/s" ratio
  printf '| %-26s | %14s | %14s | %6s |\n' --- ---: ---: ---:
  for row in "${ROWS[@]}"; do
    read -r name _ _ <<<"$row"
    w=${RATE[$round,warren,$name]:-}
    a=${RATE[$round,artemis,$name]:-}
    ratio=""
    if [ -n "$w" ] && [ -n "$a" ] && [ "$a" -gt 0 ]; then
      ratio=$(awk -v w="$w" -v a="$a" 'BEGIN { printf "%.2fx", w / a }')
    fi
    printf '| %-26s | %14s | %14s | %6s |\n' "$name" "${w:--}" "${a:--}" "$ratio"
  done
done
