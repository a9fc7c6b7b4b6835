#!/usr/bin/env bash
# Runs Payara's part of server-config's integration tests in the background, so that it overlaps
# WildFly's: payara/provision.sh, then (if it succeeded) the Payara ITs, each a command given on
# the command line. server-config's pom calls "start" in pre-integration-test, before WildFly is
# provisioned, and "await" in post-integration-test, after WildFly's ITs. Both halves only make
# sense in that order; to provision by hand, run payara/provision.sh itself.
#
# Usage:
#   server-config/payara/background-its.sh start STATE_DIR COMMAND... [--then COMMAND...]...
#     starts the commands (each a program and its arguments; "--then" separates them) one after
#     the other in their own session and returns at once; a command that fails ends the run with
#     its exit status. Output of all of them goes to STATE_DIR/run.log, the run's exit status to
#     STATE_DIR/status when it ends. An existing STATE_DIR is emptied first, after ending the run
#     it records if that one is still going.
#   server-config/payara/background-its.sh await STATE_DIR [TIMEOUT_SECONDS]
#     waits (default 900 s) until that run has ended, prints its log and exits with its status;
#     exits 1 if the run is gone without a status or the timeout passes (the run is then killed).
#
# A build that ends between the two halves leaves the run to finish by itself (provision.sh and
# Arquillian's managed Payara container stop the domain they started when they exit), unless the
# next build's "start" ends it first.
set -euo pipefail

command=${1:?usage: background-its.sh start|await STATE_DIR ...}
state=${2:?usage: background-its.sh start|await STATE_DIR ...}
shift 2

case "$command" in
  start)
    [ "$#" -gt 0 ] || {
      echo "background-its.sh: start needs a command to run" >&2
      exit 2
    }
    # A run left over by a build that ended between start and await (Ctrl-C, a failed WildFly
    # provisioning) would hold Payara's ports and files: end it first.
    if [ -f "$state/pid" ] && [ ! -f "$state/status" ]; then
      old=$(cat "$state/pid")
      if kill -0 "$old" 2>/dev/null; then
        echo "background-its.sh: ending the earlier run still going in $state (pid $old)"
        kill -- "-$old" 2>/dev/null || kill "$old" 2>/dev/null || true
        for _ in $(seq 1 30); do
          kill -0 "$old" 2>/dev/null || break
          sleep 1
        done
      fi
    fi
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
      run() {
        local step=()
        while [ "$#" -gt 0 ]; do
          if [ "$1" = --then ]; then
            shift
            "${step[@]}" || return
            step=()
          else
            step+=("$1")
            shift
          fi
        done
        [ "${#step[@]}" -eq 0 ] || "${step[@]}"
      }
      status=0
      run "$@" >"$state/run.log" 2>&1 </dev/null || status=$?
      echo "$status" >"$state/status.tmp"
      mv "$state/status.tmp" "$state/status"
    ' background-its "$state" "$@" </dev/null >/dev/null 2>&1 &
    for _ in $(seq 1 100); do
      [ -f "$state/pid" ] && break
      sleep 0.1
    done
    [ -f "$state/pid" ] || {
      echo "background-its.sh: the background run did not start within 10 s" >&2
      exit 1
    }
    echo "background-its.sh: running in the background (pid $(cat "$state/pid"), log $state/run.log): $1 ..."
    ;;
  await)
    timeout=${1:-900}
    [ -f "$state/pid" ] || {
      echo "background-its.sh: no background run was started in $state" >&2
      exit 1
    }
    pid=$(cat "$state/pid")
    waited=0
    while [ ! -f "$state/status" ]; do
      if ! kill -0 "$pid" 2>/dev/null; then
        sleep 1 # the status file is written just before the run ends
        [ -f "$state/status" ] && break
        cat "$state/run.log" >&2 || true
        echo "background-its.sh: the background run (pid $pid) ended without a status" >&2
        exit 1
      fi
      if [ "$waited" -ge "$timeout" ]; then
        cat "$state/run.log" >&2 || true
        echo "background-its.sh: the background run not done after ${timeout} s; killing it" >&2
        kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
        exit 1
      fi
      sleep 1
      waited=$((waited + 1))
    done
    cat "$state/run.log"
    status=$(cat "$state/status")
    if [ "$status" != 0 ]; then
      echo "background-its.sh: the background run failed with exit status $status (log above:" \
        "provisioning first, then the Payara ITs)" >&2
    fi
    exit "$status"
    ;;
  *)
    echo "background-its.sh: unknown command '$command' (start or await)" >&2
    exit 2
    ;;
esac
