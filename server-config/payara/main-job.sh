#!/usr/bin/env bash
# The main job on Payara Server 6, one command from a fresh clone (Java 17 and Maven on the PATH):
#   server-config/payara/main-job.sh
# The same job and summary as server-config/wildfly/main-job.sh:
# 1. builds everything: mvn -B -DskipTests install (repository root),
# 2. provisions a Payara domain into server-config/target/main-job/payara (provision.sh: unpacks
#    Payara from Maven Central, creates the domain, deploys warren-ra.rar and runs warren-ra.asadmin),
# 3. starts the domain and deploys ear-sample.ear,
# 4. places ORDERS orders (default 10,000) through POST /ear-sample/api/orders and waits until the
#    order MDB processed them all and both topic subscribers received every event,
# 5. prints orders sent, orders processed, events per subscriber, elapsed seconds, messages per second,
#    then places one order marked fail (row + messages in one JTA transaction that rolls back) and
#    prints that neither its order row nor its message exists,
# 6. stops the domain it started, whatever happened; exits non-zero if any number is off or
#    server.log has a SEVERE line.
# Environment: ORDERS (10000), PORT_BASE (8000: HTTP 8080, admin 8048), TIMEOUT_SECONDS (600),
# SKIP_BUILD=true to reuse an earlier build, MVN (mvn).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ORDERS=${ORDERS:-10000}
PORT_BASE=${PORT_BASE:-8000}
TIMEOUT_SECONDS=${TIMEOUT_SECONDS:-600}
MVN=${MVN:-mvn}
DOMAIN=warren
WORK="$ROOT/server-config/target/main-job"
PAYARA_HOME="$WORK/payara"
DOMAIN_DIR="$PAYARA_HOME/glassfish/domains/$DOMAIN"
HTTP_PORT=$((PORT_BASE + 80))
ADMIN_PORT=$((PORT_BASE + 48))
RAR="$ROOT/server-config/target/deployments/warren-ra.rar"
EAR="$ROOT/server-config/target/deployments/ear-sample.ear"
STARTED=false

log() { echo "main-job: $*"; }

asadmin() {
  "$PAYARA_HOME/bin/asadmin" --interactive=false --host 127.0.0.1 --port "$ADMIN_PORT" "$@"
}

stop_server() {
  if [ "$STARTED" != true ]; then
    return 0
  fi
  log "stopping Payara (domain $DOMAIN)"
  if asadmin stop-domain --kill=false "$DOMAIN" >/dev/null 2>&1; then
    log "Payara stopped"
  else
    log "stop-domain failed; killing the domain"
    asadmin stop-domain --kill=true "$DOMAIN" >/dev/null 2>&1 || true
  fi
  STARTED=false
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
build_unless_skipped log "$RAR" "$EAR"

mkdir -p "$WORK"
MVN="$MVN" RAR="$RAR" PORT_BASE="$PORT_BASE" DOMAIN="$DOMAIN" bash "$HERE/provision.sh" "$PAYARA_HOME"

log "starting Payara (domain $DOMAIN, HTTP $HTTP_PORT, admin $ADMIN_PORT); log: $DOMAIN_DIR/logs/server.log"
STARTED=true
if ! "$PAYARA_HOME/bin/asadmin" --interactive=false start-domain --timeout 180 "$DOMAIN" >"$WORK/payara-start.log" 2>&1; then
  log "Payara did not start; see $WORK/payara-start.log and $DOMAIN_DIR/logs/server.log"
  exit 1
fi
# Payara 6's start-domain returns before the applications already deployed are loaded (Payara
# issue 6453), and the EAR's MDBs fail to deploy while warren-ra is still starting. The server log
# is the only place that tells (asking the adapter's pool earlier logs SEVERE lines): wait for the
# adapter's own start line.
deadline=$((SECONDS + 180))
until grep -q "WarrenMQ resource adapter started" "$DOMAIN_DIR/logs/server.log" 2>/dev/null; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "warren-ra not started after 180 s; see $DOMAIN_DIR/logs/server.log"
    exit 1
  fi
  sleep 1
done
log "Payara running, warren-ra started"

# The adapter was deployed by provision.sh (warren-ra.asadmin); the EAR's MDBs and resource
# references need it. "deploy" waits and fails on failure.
log "deploying $(basename "$EAR")"
if ! asadmin deploy --name ear-sample --force=true "$EAR"; then
  log "deploying $(basename "$EAR") failed; see $DOMAIN_DIR/logs/server.log"
  exit 1
fi

log "placing $ORDERS orders through http://127.0.0.1:$HTTP_PORT/ear-sample/api/orders"
status=0
java -cp "$ROOT/server-config/target/classes" io.warrenmq.serverconfig.OrderLoad \
  --api "http://127.0.0.1:$HTTP_PORT/ear-sample/api" --orders "$ORDERS" \
  --timeout-seconds "$TIMEOUT_SECONDS" || status=$?

# ODL lines: [time] [product] [LEVEL] [message id] [logger] ...
if grep -E '^\[[^]]*\] \[[^]]*\] \[SEVERE\]' -A1 "$DOMAIN_DIR/logs/server.log" >"$WORK/errors.log"; then
  log "server.log has SEVERE lines (see $WORK/errors.log):"
  head -n 20 "$WORK/errors.log"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
