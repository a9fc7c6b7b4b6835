#!/usr/bin/env bash
# The main job, one command from a fresh clone (Java 17 and Maven on the PATH):
#   server-config/wildfly/main-job.sh
# 1. builds everything: mvn -B -DskipTests install (repository root),
# 2. provisions WildFly into server-config/target/main-job/wildfly (provision.sh: warren-ra.cli and
#    without-artemis.cli, WarrenMQ as its only broker),
# 3. starts it (standalone-full.xml) and deploys warren-ra.rar, then ear-sample.ear,
# 4. places ORDERS orders (default 10,000) through POST /ear-sample/api/orders and waits until the
#    order MDB processed them all and both topic subscribers received every event,
# 5. prints orders sent, orders processed, events per subscriber, elapsed seconds, messages per second,
#    then places one order marked fail (row + messages in one JTA transaction that rolls back) and
#    prints that neither its order row nor its message exists,
# 6. stops the server it started, whatever happened; exits non-zero if any number is off.
# Environment: ORDERS (10000), PORT_OFFSET (0: HTTP 8080, management 9990), TIMEOUT_SECONDS (600),
# SKIP_BUILD=true to reuse an earlier build, MVN (mvn),
# BROKER: embedded (the default: the broker runs inside WildFly, its store under WildFly's data
#   directory) or remote (the adapter's connectionURL points at a WarrenMQ server: the build's
#   standalone server broker-server/target/warrenmq-server, started by this script on a free port of
#   127.0.0.1 with an empty store under server-config/target/main-job/broker and stopped at the end,
#   or the server BROKER_URL names, e.g. amqp://user:password@host:5672/vhost, which the script then
#   leaves alone), RECOVERY_USER/RECOVERY_PASSWORD (guest/guest: a broker user for WildFly's XA
#   recovery of a remote broker's branches).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ORDERS=${ORDERS:-10000}
PORT_OFFSET=${PORT_OFFSET:-0}
TIMEOUT_SECONDS=${TIMEOUT_SECONDS:-600}
MVN=${MVN:-mvn}
BROKER=${BROKER:-embedded}
BROKER_URL=${BROKER_URL:-}
RECOVERY_USER=${RECOVERY_USER:-guest}
RECOVERY_PASSWORD=${RECOVERY_PASSWORD:-guest}
WORK="$ROOT/server-config/target/main-job"
WILDFLY_HOME="$WORK/wildfly"
HTTP_PORT=$((8080 + PORT_OFFSET))
MANAGEMENT_PORT=$((9990 + PORT_OFFSET))
RAR="$ROOT/server-config/target/deployments/warren-ra.rar"
EAR="$ROOT/server-config/target/deployments/ear-sample.ear"
SERVER_PID=""
BROKER_PID=""
case "$BROKER" in
  embedded | remote) ;;
  *) echo "main-job: BROKER must be embedded or remote, not '$BROKER'" >&2; exit 2 ;;
esac

log() { echo "main-job: $*"; }

# The URL with its password as ****, for the log.
masked() { sed -E 's#(://[^:/@]*:)[^@/]*@#\1****@#' <<<"$1"; }

cli() {
  NOPAUSE=true "$WILDFLY_HOME/bin/jboss-cli.sh" --connect --controller="127.0.0.1:$MANAGEMENT_PORT" \
    --timeout=30000 "$@"
}

stop_server() {
  if [ -z "$SERVER_PID" ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
    return 0
  fi
  log "stopping WildFly (pid $SERVER_PID)"
  cli --command=":shutdown(timeout=60)" >/dev/null 2>&1 || kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 90); do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "WildFly stopped"; return 0; }
    sleep 1
  done
  log "WildFly did not stop within 90 s; killing pid $SERVER_PID"
  kill -9 "$SERVER_PID" 2>/dev/null || true
}
stop_broker() {
  if [ -z "$BROKER_PID" ] || ! kill -0 "$BROKER_PID" 2>/dev/null; then
    return 0
  fi
  log "stopping the WarrenMQ server (pid $BROKER_PID)"
  kill -TERM "$BROKER_PID" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$BROKER_PID" 2>/dev/null || { log "WarrenMQ server stopped"; return 0; }
    sleep 1
  done
  kill -9 "$BROKER_PID" 2>/dev/null || true
}
stop_all() {
  stop_server
  stop_broker
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
build_unless_skipped log "$RAR" "$EAR"

MVN="$MVN" bash "$HERE/provision.sh" "$WILDFLY_HOME"

SERVER_PROPERTY=""
if [ "$BROKER" = remote ]; then
  if [ -z "$BROKER_URL" ]; then
    distribution="$ROOT/broker-server/target/warrenmq-server"
    [ -x "$distribution/bin/warrenmq-server" ] \
      || { log "$distribution is missing: the build did not produce it"; exit 1; }
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    rm -rf "$WORK/broker" && mkdir -p "$WORK/broker"
    printf '%s\n' "listeners.tcp.default = 127.0.0.1:$port" "warrenmq.data_dir = $WORK/broker/data" \
      >"$WORK/broker/warrenmq.conf"
    log "starting WarrenMQ's server on 127.0.0.1:$port; output: $WORK/broker/server.out"
    WARRENMQ_LOG_DIR="$WORK/broker/log" "$distribution/bin/warrenmq-server" \
      --config "$WORK/broker/warrenmq.conf" >"$WORK/broker/server.out" 2>&1 &
    BROKER_PID=$!
    deadline=$((SECONDS + 120))
    until grep -q "Server startup complete" "$WORK/broker/server.out" 2>/dev/null; do
      kill -0 "$BROKER_PID" 2>/dev/null || { log "the WarrenMQ server exited; see $WORK/broker/server.out"; exit 1; }
      [ "$SECONDS" -lt "$deadline" ] || { log "the WarrenMQ server did not start in 120 s"; exit 1; }
      sleep 0.5
    done
    BROKER_URL="amqp://guest:guest@127.0.0.1:$port"
  fi
  log "the adapter's connectionURL: $(masked "$BROKER_URL")"
  # offline, before the first start: the RA's config property, read when the adapter deploys; the
  # URL itself goes to the server as a system property, so the configuration holds no password
  cat >"$WORK/remote-broker.cli" <<CLI
embed-server --server-config=standalone-full.xml --std-out=discard
batch
/subsystem=resource-adapters/resource-adapter=warren-ra.rar/config-properties=connectionURL:add(value="\${warren.main.remote.url}")
/subsystem=resource-adapters/resource-adapter=warren-ra.rar/connection-definitions=WarrenConnectionFactory:write-attribute(name=recovery-username, value="$RECOVERY_USER")
/subsystem=resource-adapters/resource-adapter=warren-ra.rar/connection-definitions=WarrenConnectionFactory:write-attribute(name=recovery-password, value="\${warren.main.recovery.password}")
run-batch
stop-embedded-server
CLI
  NOPAUSE=true "$WILDFLY_HOME/bin/jboss-cli.sh" --file="$WORK/remote-broker.cli" >/dev/null
  SERVER_PROPERTY=yes
fi

log "starting WildFly (standalone-full.xml, port offset $PORT_OFFSET, broker $BROKER); console: $WORK/console.log"
remote_properties=()
if [ -n "$SERVER_PROPERTY" ]; then
  # a properties file readable by this user only, so that ps shows no password
  (umask 077 && printf 'warren.main.remote.url=%s\nwarren.main.recovery.password=%s\n' \
    "$BROKER_URL" "$RECOVERY_PASSWORD" >"$WORK/remote-broker.properties")
  remote_properties=(-P "$WORK/remote-broker.properties")
fi
# LAUNCH_JBOSS_IN_BACKGROUND: standalone.sh forwards signals to the JVM; the pid file holds the JVM's pid.
LAUNCH_JBOSS_IN_BACKGROUND=true JBOSS_PIDFILE="$WORK/wildfly.pid" \
  "$WILDFLY_HOME/bin/standalone.sh" -c standalone-full.xml "${remote_properties[@]}" \
  -Djboss.socket.binding.port-offset="$PORT_OFFSET" >"$WORK/console.log" 2>&1 &
SERVER_PID=$!

deadline=$((SECONDS + 180))
until cli --command=":read-attribute(name=server-state)" 2>/dev/null | grep -q '"result" => "running"'; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "WildFly exited during start-up; see $WORK/console.log"; exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "WildFly not running after 180 s; see $WILDFLY_HOME/standalone/log/server.log"; exit 1
  fi
  sleep 1
done
log "WildFly running"

# The RA first: the EAR's MDBs and @Resource lookups need it. "deploy" waits and fails on failure.
for archive in "$RAR" "$EAR"; do
  log "deploying $(basename "$archive")"
  if ! cli --command="deploy $archive --force"; then
    log "deploying $(basename "$archive") failed; see $WILDFLY_HOME/standalone/log/server.log"
    exit 1
  fi
done

log "placing $ORDERS orders through http://127.0.0.1:$HTTP_PORT/ear-sample/api/orders"
status=0
java -cp "$ROOT/server-config/target/classes" io.warrenmq.serverconfig.OrderLoad \
  --api "http://127.0.0.1:$HTTP_PORT/ear-sample/api" --orders "$ORDERS" \
  --timeout-seconds "$TIMEOUT_SECONDS" || status=$?

if grep -E '^\S+ \S+ (ERROR|FATAL) ' "$WILDFLY_HOME/standalone/log/server.log" >"$WORK/errors.log"; then
  log "server.log has ERROR lines (see $WORK/errors.log):"
  head -n 20 "$WORK/errors.log"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
