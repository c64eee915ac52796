#!/usr/bin/env bash
# One command: build broker-service and the bench, then measure broker-service, Mosquitto and raw Moquette side by
# side on this machine. Writes bench/results.jsonl and BENCHMARKS.md. Needs Debian's mosquitto.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || { echo "install mosquitto (apt-get install mosquitto)"; exit 1; }
mvn -B -q -Pbench -pl broker-service,bench -am -DskipTests package
java -Xmx2g -jar bench/target/bench.jar "$@"
