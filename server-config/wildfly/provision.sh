#!/usr/bin/env bash
# Provisions a WildFly for WarrenMQ, from scratch, in one directory:
#   1. unpacks org.wildfly:wildfly-dist:<wildfly.version>:zip (Maven Central, through the local Maven
#      repository; the version is the root pom's <wildfly.version>),
#   2. applies warren-ra.cli offline (embed-server, standalone-full.xml): registers warren-ra.rar,
#      its connection definition and admin objects, and makes it the default RA for MDBs.
# It deploys nothing: see main-job.sh (jboss-cli "deploy") or the Arquillian tests.
#
# Usage: server-config/wildfly/provision.sh [WILDFLY_HOME]   (default: server-config/target/wildfly)
# Environment: MVN (default: mvn), WILDFLY_VERSION (default: the root pom's), JAVA_HOME (optional).
# An existing WILDFLY_HOME is deleted first: do not point it at a running server.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WILDFLY_HOME=${1:-$ROOT/server-config/target/wildfly}
MVN=${MVN:-mvn}
WILDFLY_VERSION=${WILDFLY_VERSION:-$(sed -n 's:.*<wildfly.version>\(.*\)</wildfly.version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)}
if [ -z "$WILDFLY_VERSION" ]; then
  echo "provision.sh: cannot read <wildfly.version> from $ROOT/pom.xml; set WILDFLY_VERSION" >&2
  exit 2
fi

mkdir -p "$(dirname "$WILDFLY_HOME")"
WILDFLY_HOME=$(cd "$(dirname "$WILDFLY_HOME")" && pwd)/$(basename "$WILDFLY_HOME")
STAGING="$WILDFLY_HOME.unpack"
rm -rf "$WILDFLY_HOME" "$STAGING"

echo "provision.sh: unpacking org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip into $WILDFLY_HOME"
# Run in the server-config module for the managed maven-dependency-plugin version (its markers go
# to server-config/target); the goal resolves none of the module's dependencies.
# overWriteReleases: unpack again even though an earlier run left a marker.
"$MVN" -B -q -Dstyle.color=never -f "$ROOT/server-config/pom.xml" dependency:unpack \
  -Dartifact="org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip" \
  -DoutputDirectory="$STAGING" \
  -Dmdep.overWriteReleases=true
mv "$STAGING/wildfly-$WILDFLY_VERSION" "$WILDFLY_HOME"
rm -rf "$STAGING"
chmod +x "$WILDFLY_HOME"/bin/*.sh

echo "provision.sh: applying $HERE/warren-ra.cli (offline)"
# NOPAUSE: the CLI runs unattended.
NOPAUSE=true "$WILDFLY_HOME/bin/jboss-cli.sh" --file="$HERE/warren-ra.cli"

echo "provision.sh: WildFly $WILDFLY_VERSION ready in $WILDFLY_HOME (start: bin/standalone.sh -c standalone-full.xml)"
