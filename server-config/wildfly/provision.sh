#!/usr/bin/env bash
# Provisions a WildFly for WarrenMQ, from scratch, in one directory:
#   1. unpacks org.wildfly:wildfly-dist:<wildfly.version>:zip (Maven Central, through the local Maven
#      repository; the version is the root pom's <wildfly.version>),
#   2. applies warren-ra.cli offline (embed-server, standalone-full.xml): registers warren-ra.rar,
#      its connection definition and admin objects, and makes it the default RA for MDBs,
#   3. applies without-artemis.cli offline: removes the built-in ActiveMQ Artemis (messaging-activemq)
#      and makes WarrenMQ's connection factory the Jakarta EE default one (KEEP_ARTEMIS=true skips it).
# It deploys nothing: see main-job.sh (jboss-cli "deploy") or the Arquillian tests.
#
# Usage: server-config/wildfly/provision.sh [WILDFLY_HOME]   (default: server-config/target/wildfly)
# Environment: MVN (default: mvn), WILDFLY_VERSION (default: the root pom's), JAVA_HOME (optional),
# KEEP_ARTEMIS (default: false; true keeps messaging-activemq, for the MDB benchmark's Artemis side).
# An existing WILDFLY_HOME is deleted first: do not point it at a running server.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WILDFLY_HOME=${1:-$ROOT/server-config/target/wildfly}
MVN=${MVN:-mvn}
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
WILDFLY_VERSION=${WILDFLY_VERSION:-$(pom_property wildfly.version)}
if [ -z "$WILDFLY_VERSION" ]; then
  echo "provision.sh: cannot read <wildfly.version> from $ROOT/pom.xml; set WILDFLY_VERSION" >&2
  exit 2
fi

WILDFLY_HOME=$(absolute_path "$WILDFLY_HOME")

echo "provision.sh: unpacking org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip into $WILDFLY_HOME"
unpack_dist "org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip" "wildfly-$WILDFLY_VERSION" "$WILDFLY_HOME"
chmod +x "$WILDFLY_HOME"/bin/*.sh

echo "provision.sh: applying $HERE/warren-ra.cli (offline)"
# NOPAUSE: the CLI runs unattended.
NOPAUSE=true "$WILDFLY_HOME/bin/jboss-cli.sh" --file="$HERE/warren-ra.cli"

if [ "${KEEP_ARTEMIS:-false}" != true ]; then
  echo "provision.sh: applying $HERE/without-artemis.cli (offline)"
  NOPAUSE=true "$WILDFLY_HOME/bin/jboss-cli.sh" --file="$HERE/without-artemis.cli"
fi

echo "provision.sh: WildFly $WILDFLY_VERSION ready in $WILDFLY_HOME (start: bin/standalone.sh -c standalone-full.xml)"
