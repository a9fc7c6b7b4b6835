#!/usr/bin/env bash
# Makes the two remote-broker test servers of RemoteBrokerIT from an already provisioned WildFly:
# for each instance N (1 and 2),
#   1. copies SOURCE_HOME (provision.sh's output) to HOME_N (lib.sh copy_wildfly: no data, log or
#      tmp of an earlier run),
#   2. applies remote-it.cli offline with @INSTANCE@ replaced by N: the adapter's connectionURL
#      from the system property warren.remote.url, broker recovery credentials, the recovery
#      listener, a transaction node identifier of its own (warren-remote-N) and the system property
#      warren.it.instance=N, which the test WAR's MDB puts on what it records.
# Distinct node identifiers are required, not cosmetic: both servers list the prepared branches of
# the one broker in their XA recovery, and Narayana rolls back only Xids of its own node; with
# WildFly's default "1" on both, one server's recovery could roll back the other's in-flight branch.
# The suite's own server (SOURCE_HOME) is not changed.
#
# Usage: server-config/wildfly/provision-remote.sh SOURCE_HOME HOME_1 HOME_2
# Existing HOME_N are deleted first: do not point them at running servers.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: provision-remote.sh SOURCE_HOME HOME_1 HOME_2" >&2
  exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
SOURCE_HOME=$1
if [ ! -x "$SOURCE_HOME/bin/standalone.sh" ] || [ ! -f "$SOURCE_HOME/standalone/configuration/standalone-full.xml" ]; then
  echo "provision-remote.sh: $SOURCE_HOME is not a provisioned WildFly (run provision.sh first)" >&2
  exit 2
fi

instance=0
for home in "$2" "$3"; do
  instance=$((instance + 1))
  echo "provision-remote.sh: copying $SOURCE_HOME to $home (instance $instance)"
  copy_wildfly "$SOURCE_HOME" "$home"
  # One CLI run per server (each boots an embedded server): remote-it.cli with its instance number.
  sed "s/@INSTANCE@/$instance/g" "$HERE/remote-it.cli" >"$home/remote-it.cli"
  NOPAUSE=true "$home/bin/jboss-cli.sh" --file="$home/remote-it.cli"
  rm -f "$home/remote-it.cli"
  rm -rf "$home/standalone/log" "$home/standalone/data" "$home/standalone/tmp"
done

echo "provision-remote.sh: remote-broker servers ready in $2 and $3"
