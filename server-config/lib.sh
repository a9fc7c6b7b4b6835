# Shell functions shared by wildfly/*.sh and payara/*.sh; sourced, not run. The caller sets ROOT
# (the repository root) and MVN (the Maven executable) and runs with `set -euo pipefail`.

# The value of <NAME> in the root pom.xml (first match), empty if absent.
pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n 1
}

# unpack_dist GROUP:ARTIFACT:VERSION:zip TOP_DIR HOME
# Unpacks a server distribution from the local Maven repository (fetched from Maven Central if
# needed) and moves its top directory TOP_DIR to HOME (an absolute path; an existing HOME is
# deleted first). Runs in the server-config module for the managed maven-dependency-plugin
# version (its markers go to server-config/target); the goal resolves none of the module's
# dependencies; overWriteReleases unpacks again although an earlier run left a marker.
unpack_dist() {
  local artifact=$1 top=$2 home=$3
  local staging="$home.unpack"
  rm -rf "$home" "$staging"
  "$MVN" -B -q -Dstyle.color=never -f "$ROOT/server-config/pom.xml" dependency:unpack \
    -Dartifact="$artifact" \
    -DoutputDirectory="$staging" \
    -Dmdep.overWriteReleases=true
  mv "$staging/$top" "$home"
  rm -rf "$staging"
}

# absolute_path PATH: PATH made absolute (its parent is created).
absolute_path() {
  mkdir -p "$(dirname "$1")"
  echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

# build_unless_skipped LOG_FUNCTION FILE...: the main job's build (mvn -B -DskipTests install at
# ROOT) unless SKIP_BUILD=true, then fails if one of FILEs (the .rar, the EAR) is missing.
build_unless_skipped() {
  local log=$1
  shift
  if [ "${SKIP_BUILD:-false}" != "true" ]; then
    "$log" "building: $MVN -B -DskipTests install"
    (cd "$ROOT" && "$MVN" -B -DskipTests install)
  fi
  local f
  for f in "$@"; do
    [ -f "$f" ] || { "$log" "$f is missing: the build did not produce it"; exit 1; }
  done
}

# copy_wildfly SOURCE_HOME HOME
# Copies a provisioned WildFly (provision.sh's output) for a test server of its own: the read-only
# parts (bin, modules, ...) as hard links, standalone/configuration, deployments and lib as real
# copies, and no standalone/data, log or tmp, so the copy starts without a transaction log, broker
# store or database of an earlier run. An existing HOME is deleted first.
copy_wildfly() {
  local source=$1 home=$2 entry name dir
  rm -rf "$home"
  mkdir -p "$home"
  for entry in "$source"/* "$source"/.[!.]*; do
    [ -e "$entry" ] || continue
    name=$(basename "$entry")
    if [ "$name" = standalone ]; then
      continue
    fi
    # Hard links: WildFly only reads these; provision.sh deletes and recreates its own copy.
    cp -al "$entry" "$home/$name" 2>/dev/null || cp -a "$entry" "$home/$name"
  done
  mkdir -p "$home/standalone"
  for dir in configuration deployments lib; do
    if [ -e "$source/standalone/$dir" ]; then
      cp -a "$source/standalone/$dir" "$home/standalone/$dir"
    fi
  done
  # The offline CLI of provision.sh leaves a history of configurations; the copy starts without.
  rm -rf "$home/standalone/configuration/standalone_xml_history"
}
