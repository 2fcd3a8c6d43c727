#!/usr/bin/env bash
# Builds the benchmarks jar and runs the suite, virtual and real side by side, then writes a Markdown table:
#   bash netty-virtual-benchmarks/run-short.sh          short profile, a few minutes on 2 cores -> target/results.md
#   bash netty-virtual-benchmarks/run-short.sh full     full profile (about 12 minutes)       -> target/results-full.md
# Extra Maven flags go in MVN_ARGS (e.g. MVN_ARGS=-o for an offline build). ONLY=13 runs benchmarks 1 and 3 only.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-short}"
mvn -q -B ${MVN_ARGS:-} -pl netty-virtual-benchmarks -am package -DskipTests
# jmh.ignoreLock: run even while another JMH run holds JMH's lock file. Two runs at once disturb each other's
# figures; the load average printed with each section shows when that happened.
java -Djmh.ignoreLock=true -Donly="${ONLY:-12345}" -cp netty-virtual-benchmarks/target/benchmarks.jar io.nettyvirtual.bench.ShortSuite "$profile"
