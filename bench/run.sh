#!/usr/bin/env bash
# One command: build broker-service and the bench, then measure broker-service, Mosquitto and raw Moquette side by
# side on this machine. Writes bench/results.jsonl and BENCHMARKS.md. Needs Debian's mosquitto.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || { echo "install mosquitto (apt-get install mosquitto)"; exit 1; }
# clean: without it, an unchanged broker-service module keeps its old executable jar (the repackage step reports it
# replaced the jar but leaves it as it was), and the run would measure an earlier build of the starter.
mvn -B -q -Pbench -pl broker-service,bench -am -DskipTests -Dinvoker.skip=true clean package
java -Xmx2g -jar bench/target/bench.jar "$@"
