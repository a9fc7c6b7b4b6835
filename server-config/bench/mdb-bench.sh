#!/usr/bin/env bash
# MDBs inside WildFly: WarrenMQ's adapter vs WildFly's built-in Artemis, in one run (issue 15,
# section 4). Not a test: nothing in `mvn verify` runs it.
#
#   server-config/bench/mdb-bench.sh
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
#    400: HTTP 8480, management 10390), deploys (warren-ra.rar and) the same mdb-bench.ear, runs a
#    warm-up row, then the three rows, and stops the server,
# 4. prints one table per round: msg/s of each broker per row and the ratio WarrenMQ / Artemis.
# A row: MESSAGES 1 KB BytesMessages sent by PRODUCERS threads, each call of the producer EJB one
# container-managed transaction (REQUIRED) of 1 or 100 messages, consumed by an MDB (CMT REQUIRED,
# maxSession 15, XA delivery); msg/s = messages / (first send .. last message received by the MDB).
#
# Environment: MESSAGES (20000), PRODUCERS (4), WARMUP (2000 messages, persistent, 1 per
# transaction), ROUNDS (1), ORDER ("warren artemis"), SKIP_BUILD, SKIP_PROVISION, MVN (mvn),
# PROFILE: "jfr" records a JFR profile (settings=profile) of the WarrenMQ server during its
# 1-per-transaction row into server-config/target/bench/warren-row1.jfr (summarise it with
# jfr-summary.py). To count a server's syncs during a row (as docs/performance.md did), attach
# perf from another shell: perf stat -e 'syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync'
# -p "$(cat server-config/target/bench/wildfly.pid)", stopped with Ctrl-C when the row ends.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MESSAGES=${MESSAGES:-20000}
PRODUCERS=${PRODUCERS:-4}
WARMUP=${WARMUP:-2000}
ROUNDS=${ROUNDS:-1}
ORDER=${ORDER:-warren artemis}
PROFILE=${PROFILE:-none}
MVN=${MVN:-mvn}
PORT_OFFSET=400
HTTP_PORT=$((8080 + PORT_OFFSET))
MANAGEMENT_PORT=$((9990 + PORT_OFFSET))
WORK="$ROOT/server-config/target/bench"
WILDFLY_HOME="$ROOT/server-config/target/bench-wildfly"
RAR="$ROOT/server-config/target/deployments/warren-ra.rar"
EAR="$WORK/mdb-bench.ear"
SERVER_PID=""

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
trap stop_server EXIT
trap 'exit 130' INT TERM

# shellcheck source=../lib.sh
. "$ROOT/server-config/lib.sh"

# --- 1. build -------------------------------------------------------------------------------------
if [ "${SKIP_BUILD:-false}" != "true" ]; then
  log "building: $MVN -B -ntp -q -DskipTests package"
  (cd "$ROOT" && "$MVN" -B -ntp -q -DskipTests package)
fi
[ -f "$RAR" ] || { log "$RAR is missing: build first (mvn -B -ntp -q -DskipTests package)"; exit 1; }

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
  || [ ! -f "$WILDFLY_HOME/standalone/configuration/standalone-bench-artemis.xml" ]; then
  MVN="$MVN" bash "$ROOT/server-config/wildfly/provision.sh" "$WILDFLY_HOME"
  for b in warren artemis; do
    cp "$WILDFLY_HOME/standalone/configuration/standalone-full.xml" \
      "$WILDFLY_HOME/standalone/configuration/standalone-bench-$b.xml"
    log "applying $HERE/$b.cli (offline)"
    NOPAUSE=true "$WILDFLY_HOME/bin/jboss-cli.sh" --file="$HERE/$b.cli" >/dev/null
  done
fi

# --- 3. run ---------------------------------------------------------------------------------------
start_server() {
  local broker=$1
  log "starting WildFly with standalone-bench-$broker.xml; console: $WORK/console-$broker.log"
  # Both configurations share the server's content repository: a deployment that one of them kept
  # (e.g. after an interrupted run) may name content the other replaced, and boot would fail on it.
  # Every start deploys afresh, so the configuration starts without deployments.
  sed -i '/<deployments>/,/<\/deployments>/d' "$WILDFLY_HOME/standalone/configuration/standalone-bench-$broker.xml"
  rm -f "$WILDFLY_HOME/standalone/log/server.log"
  LAUNCH_JBOSS_IN_BACKGROUND=true JBOSS_PIDFILE="$WORK/wildfly.pid" \
    "$WILDFLY_HOME/bin/standalone.sh" -c "standalone-bench-$broker.xml" \
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
    start_server "$broker"
    log "$broker: warm-up, $WARMUP messages: $(run_row "$WARMUP" 1 true)"
    for row in "${ROWS[@]}"; do
      read -r name per_tx persistent <<<"$row"
      profiling=""
      if [ "$broker" = warren ] && [ "$per_tx" = 1 ] && [ "$round" = 1 ]; then
        case "$PROFILE" in
          jfr)
            jcmd "$(jvm_pid)" JFR.start name=row1 settings=profile >/dev/null
            profiling=jfr ;;
        esac
      fi
      answer=$(run_row "$MESSAGES" "$per_tx" "$persistent")
      case "$profiling" in
        "") ;;
        jfr) jcmd "$(jvm_pid)" JFR.dump name=row1 filename="$WORK/warren-row1.jfr" >/dev/null
             jcmd "$(jvm_pid)" JFR.stop name=row1 >/dev/null
             log "JFR recording: $WORK/warren-row1.jfr" ;;
      esac
      log "$broker $name: $answer"
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
  done
done

# --- 4. report ------------------------------------------------------------------------------------
echo
echo "MDBs in WildFly $(pom_property wildfly.version): $MESSAGES x 1 KB per row, $PRODUCERS producer threads, CMT REQUIRED, maxSession 15"
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
