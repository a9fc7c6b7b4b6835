#!/usr/bin/env bash
# Provisions a Payara Server 6 domain for WarrenMQ, from scratch, in one directory:
#   1. unpacks fish.payara.distributions:payara:<payara.version>:zip (Maven Central, through the local
#      Maven repository; the version is the root pom's <payara.version>),
#   2. puts H2 <h2.version> (the root pom's, the version WarrenMQ's store is built and tested with) in
#      Payara's common class loader instead of Payara's own H2, which would otherwise shadow the copy
#      inside warren-ra.rar (asenv.conf AS_H2_INSTALL; Payara's own pools use it too),
#   3. creates the domain DOMAIN with ports from PORT_BASE (admin PORT_BASE+48, HTTP PORT_BASE+80),
#      no admin password, Hazelcast (the data grid) off and a 1 GB heap,
#   4. starts it, runs warren-ra.asadmin (deploys warren-ra.rar, its resource adapter config, the
#      XATransaction connection pool jms/warren/ConnectionFactory, the sample's admin objects and
#      H2 XA datasource, automatic transaction recovery), and stops it.
# The EAR is not deployed: see main-job.sh or the Arquillian tests.
#
# Usage: server-config/payara/provision.sh [PAYARA_HOME]   (default: server-config/target/payara)
# Environment: RAR (default: server-config/target/deployments/warren-ra.rar), PORT_BASE (10300),
# DOMAIN (warren), MVN (mvn), PAYARA_VERSION and H2_VERSION (default: the root pom's), JAVA_HOME,
# RA_MANAGEMENT_PORT (default empty: the adapter's management HTTP API stays off),
# EXTRA_JVM_OPTIONS (default empty: more JVM options of the domain, space-separated; the
# Arquillian tests use the client compiler alone and the serial collector, for a quicker boot).
# An existing PAYARA_HOME is deleted first: do not point it at a running server.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PAYARA_HOME=${1:-$ROOT/server-config/target/payara}
MVN=${MVN:-mvn}
RAR=${RAR:-$ROOT/server-config/target/deployments/warren-ra.rar}
PORT_BASE=${PORT_BASE:-10300}
DOMAIN=${DOMAIN:-warren}
RA_MANAGEMENT_PORT=${RA_MANAGEMENT_PORT:-}
EXTRA_JVM_OPTIONS=${EXTRA_JVM_OPTIONS:-}
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
PAYARA_VERSION=${PAYARA_VERSION:-$(pom_property payara.version)}
H2_VERSION=${H2_VERSION:-$(pom_property h2.version)}
if [ -z "$PAYARA_VERSION" ] || [ -z "$H2_VERSION" ]; then
  echo "provision.sh: cannot read <payara.version> or <h2.version> from $ROOT/pom.xml" >&2
  exit 2
fi
if [ ! -f "$RAR" ]; then
  echo "provision.sh: $RAR is missing: build first (mvn -B -DskipTests package -pl server-config -am)" >&2
  exit 2
fi

PAYARA_HOME=$(absolute_path "$PAYARA_HOME")

echo "provision.sh: unpacking fish.payara.distributions:payara:$PAYARA_VERSION:zip into $PAYARA_HOME"
unpack_dist "fish.payara.distributions:payara:$PAYARA_VERSION:zip" payara6 "$PAYARA_HOME"
chmod +x "$PAYARA_HOME"/bin/* "$PAYARA_HOME"/glassfish/bin/*

echo "provision.sh: H2 $H2_VERSION for Payara's common class loader"
"$MVN" -B -q -Dstyle.color=never -f "$ROOT/server-config/pom.xml" dependency:copy \
  -Dartifact="com.h2database:h2:$H2_VERSION" \
  -DoutputDirectory="$PAYARA_HOME/h2db-warren/bin" \
  -Dmdep.overWriteReleases=true
sed -i "s|^AS_H2_INSTALL=.*|AS_H2_INSTALL=\"$PAYARA_HOME/h2db-warren\"|" "$PAYARA_HOME/glassfish/config/asenv.conf"
grep -q "^AS_H2_INSTALL=\"$PAYARA_HOME/h2db-warren\"" "$PAYARA_HOME/glassfish/config/asenv.conf" || {
  echo "provision.sh: could not set AS_H2_INSTALL in asenv.conf" >&2
  exit 1
}

ADMIN_PORT=$((PORT_BASE + 48))
asadmin() { "$PAYARA_HOME/bin/asadmin" --interactive=false "$@"; }
remote() { asadmin --host 127.0.0.1 --port "$ADMIN_PORT" "$@"; }

echo "provision.sh: creating domain $DOMAIN (port base $PORT_BASE: admin $ADMIN_PORT, HTTP $((PORT_BASE + 80)))"
asadmin --user admin create-domain --nopassword=true --portbase "$PORT_BASE" "$DOMAIN" >/dev/null

started=false
stop_domain() {
  if [ "$started" = true ]; then
    asadmin stop-domain "$DOMAIN" >/dev/null || true
  fi
}
trap stop_domain EXIT
asadmin start-domain "$DOMAIN" >/dev/null
started=true

echo "provision.sh: applying $HERE/warren-ra.asadmin"
remote set-hazelcast-configuration --enabled=false --dynamic=false >/dev/null
remote delete-jvm-options -Xmx512m >/dev/null
remote create-jvm-options -Xmx1g >/dev/null
for option in $EXTRA_JVM_OPTIONS; do
  # asadmin separates options with ':'; one at a time, escaped
  remote create-jvm-options -- "${option//:/\\:}" >/dev/null
done
# warren-ra.asadmin deploys warren-ra.rar relative to the working directory.
COMMANDS=$HERE/warren-ra.asadmin
if [ -n "$RA_MANAGEMENT_PORT" ]; then
  # The adapter's management HTTP API (config property managementPort), added to the properties
  # that warren-ra.asadmin's create-resource-adapter-config sets before the deploy.
  echo "provision.sh: warren-ra managementPort=$RA_MANAGEMENT_PORT"
  COMMANDS=$(mktemp)
  sed "s|^\(create-resource-adapter-config --property [^ ]*\)|\1:managementPort=$RA_MANAGEMENT_PORT|" \
    "$HERE/warren-ra.asadmin" >"$COMMANDS"
  grep -q ":managementPort=$RA_MANAGEMENT_PORT " "$COMMANDS" || {
    echo "provision.sh: could not add managementPort to warren-ra.asadmin's create-resource-adapter-config" >&2
    exit 1
  }
fi
(cd "$(dirname "$RAR")" && remote multimode --file "$COMMANDS")
[ "$COMMANDS" = "$HERE/warren-ra.asadmin" ] || rm -f "$COMMANDS"

asadmin stop-domain "$DOMAIN" >/dev/null
started=false
# The provisioning run's log (its restart-needed warnings included) is not the server's first run.
rm -f "$PAYARA_HOME/glassfish/domains/$DOMAIN/logs/server.log"*
echo "provision.sh: Payara $PAYARA_VERSION domain $DOMAIN ready in $PAYARA_HOME (start: bin/asadmin start-domain $DOMAIN)"
