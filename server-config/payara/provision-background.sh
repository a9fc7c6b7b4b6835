#!/usr/bin/env bash
# Runs payara/provision.sh in the background, so that the build provisions Payara while the WildFly
# ITs run (server-config's pom: "start" in pre-integration-test, "await" in post-integration-test,
# before the Payara ITs). Both halves only make sense in that order; to provision by hand, run
# payara/provision.sh itself.
#
# Usage:
#   server-config/payara/provision-background.sh start STATE_DIR [provision.sh arguments...]
#     starts provision.sh (with this environment: MVN, RAR, PORT_BASE, ...) in its own session and
#     returns at once; its output goes to STATE_DIR/provision.log, its exit status to
#     STATE_DIR/status when it ends. An existing STATE_DIR is emptied first.
#   server-config/payara/provision-background.sh await STATE_DIR [TIMEOUT_SECONDS]
#     waits (default 600 s) until that run has ended, prints its log and exits with its status;
#     exits 1 if the run is gone without a status or the timeout passes (the run is then killed).
#
# A build that ends between the two halves leaves the run to finish by itself: provision.sh stops
# the domain it started on every exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command=${1:?usage: provision-background.sh start|await STATE_DIR ...}
state=${2:?usage: provision-background.sh start|await STATE_DIR ...}
shift 2

case "$command" in
  start)
    rm -rf "$state"
    mkdir -p "$state"
    state=$(cd "$state" && pwd)
    # setsid: the run is not in Maven's process group, and holds none of the exec plugin's pipes,
    # so the exec goal returns now. The run writes its own pid: setsid forks when it would lead a
    # process group already, and then $! is a parent that exits at once.
    setsid bash -c '
      state=$1
      shift
      echo $$ >"$state/pid.tmp"
      mv "$state/pid.tmp" "$state/pid"
      status=0
      "$@" >"$state/provision.log" 2>&1 </dev/null || status=$?
      echo "$status" >"$state/status.tmp"
      mv "$state/status.tmp" "$state/status"
    ' provision-background "$state" "$HERE/provision.sh" "$@" </dev/null >/dev/null 2>&1 &
    for _ in $(seq 1 100); do
      [ -f "$state/pid" ] && break
      sleep 0.1
    done
    [ -f "$state/pid" ] || {
      echo "provision-background.sh: the background run did not start within 10 s" >&2
      exit 1
    }
    echo "provision-background.sh: provisioning Payara in the background (pid $(cat "$state/pid"), log $state/provision.log)"
    ;;
  await)
    timeout=${1:-600}
    [ -f "$state/pid" ] || {
      echo "provision-background.sh: no background provisioning was started in $state" >&2
      exit 1
    }
    pid=$(cat "$state/pid")
    waited=0
    while [ ! -f "$state/status" ]; do
      if ! kill -0 "$pid" 2>/dev/null; then
        sleep 1 # the status file is written just before the run ends
        [ -f "$state/status" ] && break
        cat "$state/provision.log" >&2 || true
        echo "provision-background.sh: the provisioning run (pid $pid) ended without a status" >&2
        exit 1
      fi
      if [ "$waited" -ge "$timeout" ]; then
        cat "$state/provision.log" >&2 || true
        echo "provision-background.sh: Payara not provisioned after ${timeout} s; killing the run" >&2
        kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
        exit 1
      fi
      sleep 1
      waited=$((waited + 1))
    done
    cat "$state/provision.log"
    status=$(cat "$state/status")
    if [ "$status" != 0 ]; then
      echo "provision-background.sh: payara/provision.sh failed with exit status $status" >&2
    fi
    exit "$status"
    ;;
  *)
    echo "provision-background.sh: unknown command '$command' (start or await)" >&2
    exit 2
    ;;
esac
