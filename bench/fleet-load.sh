#!/usr/bin/env bash
# A fleet under load on loopback: N runtimes (in one JVM) replay frames at 10 frames/s each and publish
# predictions at QoS 1 to one mosquitto, while a watcher (its own JVM, persistent session) receives them; the
# broker is stopped for 3 s and started again when a fifth of the predictions have arrived. Fails when any
# seq is lost. Prints the peak memory (VmHWM) and CPU time of the broker, the runtimes' JVM and the watcher,
# with the load average before and after (the machine may be shared: note it with the figures).
#
#   bench/fleet-load.sh [RUNTIMES] [FRAMES]      (default 50 runtimes x 600 frames: about 70 s)
#
# Writes edge-runtime/target/fleet-load.json. Needs mosquitto (scripts/install-deps). It is the test
# FleetUnderLoadTest with other sizes; the build runs it with 6 runtimes x 300 frames.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNTIMES="${1:-50}"
FRAMES="${2:-600}"
export OMP_NUM_THREADS=1
mvn -o -B -q -Dstyle.color=never -pl edge-runtime -am test -Dtest=FleetUnderLoadTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dedgeml.requireServices=true -Dedgeml.fleet.runtimes="$RUNTIMES" -Dedgeml.fleet.frames="$FRAMES" >/dev/null || {
  echo "fleet-load: FAILED (see edge-runtime/target/surefire-reports/org.edgeml.runtime.fleet.FleetUnderLoadTest*.txt)" >&2
  exit 1
}
cat edge-runtime/target/fleet-load.json
