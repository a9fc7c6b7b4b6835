#!/usr/bin/env bash
# The main job, one command from a fresh clone (Java 17 and Maven on the PATH):
#   server-config/wildfly/main-job.sh
# 1. builds everything: mvn -B -DskipTests install (repository root),
# 2. provisions WildFly into server-config/target/main-job/wildfly (provision.sh + warren-ra.cli),
# 3. starts it (standalone-full.xml) and deploys warren-ra.rar, then ear-sample.ear,
# 4. places ORDERS orders (default 10,000) through POST /ear-sample/api/orders and waits until the
#    order MDB processed them all and both topic subscribers received every event,
# 5. prints orders sent, orders processed, events per subscriber, elapsed seconds, messages per second,
#    then places one order marked fail (row + messages in one JTA transaction that rolls back) and
#    prints that neither its order row nor its message exists,
# 6. stops the server it started, whatever happened; exits non-zero if any number is off.
# Environment: ORDERS (10000), PORT_OFFSET (0: HTTP 8080, management 9990), TIMEOUT_SECONDS (600),
# SKIP_BUILD=true to reuse an earlier build, MVN (mvn).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ORDERS=${ORDERS:-10000}
PORT_OFFSET=${PORT_OFFSET:-0}
TIMEOUT_SECONDS=${TIMEOUT_SECONDS:-600}
MVN=${MVN:-mvn}
WORK="$ROOT/server-config/target/main-job"
WILDFLY_HOME="$WORK/wildfly"
HTTP_PORT=$((8080 + PORT_OFFSET))
MANAGEMENT_PORT=$((9990 + PORT_OFFSET))
RAR="$ROOT/server-config/target/deployments/warren-ra.rar"
EAR="$ROOT/server-config/target/deployments/ear-sample.ear"
SERVER_PID=""

log() { echo "main-job: $*"; }

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
trap stop_server EXIT
trap 'exit 130' INT TERM

# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
build_unless_skipped log "$RAR" "$EAR"

MVN="$MVN" bash "$HERE/provision.sh" "$WILDFLY_HOME"

log "starting WildFly (standalone-full.xml, port offset $PORT_OFFSET); console: $WORK/console.log"
# LAUNCH_JBOSS_IN_BACKGROUND: standalone.sh forwards signals to the JVM; the pid file holds the JVM's pid.
LAUNCH_JBOSS_IN_BACKGROUND=true JBOSS_PIDFILE="$WORK/wildfly.pid" \
  "$WILDFLY_HOME/bin/standalone.sh" -c standalone-full.xml \
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
