#!/usr/bin/env bash
# Makes the crash-recovery test server (XaRecoveryIT) from an already provisioned WildFly:
#   1. copies SOURCE_HOME (provision.sh's output) to RECOVERY_HOME: the read-only parts (bin, modules,
#      ...) as hard links, standalone/configuration, deployments and lib as real copies, and no
#      standalone/data, log or tmp, so every build starts with an empty transaction log, broker store
#      and database,
#   2. applies recovery-it.cli offline: an XA datasource on an H2 file database and the recovery
#      settings the test needs (see there).
# The suite's own server (SOURCE_HOME) is not changed.
#
# Usage: server-config/wildfly/provision-recovery.sh SOURCE_HOME RECOVERY_HOME
# An existing RECOVERY_HOME is deleted first: do not point it at a running server.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: provision-recovery.sh SOURCE_HOME RECOVERY_HOME" >&2
  exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
SOURCE_HOME=$1
RECOVERY_HOME=$2
if [ ! -x "$SOURCE_HOME/bin/standalone.sh" ] || [ ! -f "$SOURCE_HOME/standalone/configuration/standalone-full.xml" ]; then
  echo "provision-recovery.sh: $SOURCE_HOME is not a provisioned WildFly (run provision.sh first)" >&2
  exit 2
fi

echo "provision-recovery.sh: copying $SOURCE_HOME to $RECOVERY_HOME"
copy_wildfly "$SOURCE_HOME" "$RECOVERY_HOME"

echo "provision-recovery.sh: applying $HERE/recovery-it.cli (offline)"
NOPAUSE=true "$RECOVERY_HOME/bin/jboss-cli.sh" --file="$HERE/recovery-it.cli"
rm -rf "$RECOVERY_HOME/standalone/log" "$RECOVERY_HOME/standalone/data" "$RECOVERY_HOME/standalone/tmp"

echo "provision-recovery.sh: crash-recovery server ready in $RECOVERY_HOME"
