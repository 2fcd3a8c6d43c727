#!/usr/bin/env bash
# Builds the benchmarks jar and runs the suite, virtual and real side by side, then writes a Markdown table:
#   bash netty-virtual-benchmarks/run-short.sh          short profile (sections 1-5), a few minutes on 2 cores
#                                                       -> target/results.md
#   bash netty-virtual-benchmarks/run-short.sh full     full profile (sections 1-6)  -> target/results-full.md
# Extra Maven flags go in MVN_ARGS (e.g. MVN_ARGS=-o for an offline build). ONLY=13 runs sections 1 and 3 only.
# Section 6 (first runs, ns-3, real-time QUIC) alone: run-first.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-short}"
mvn -q -B ${MVN_ARGS:-} -pl netty-virtual-benchmarks -am package -DskipTests
only=()
if [ -n "${ONLY:-}" ]; then
  only=(-Donly="$ONLY")
fi
# jmh.ignoreLock: run even while another JMH run holds JMH's lock file. Two runs at once disturb each other's
# figures; the load average printed with each section shows when that happened.
java -Djmh.ignoreLock=true "${only[@]}" -cp netty-virtual-benchmarks/target/benchmarks.jar io.nettyvirtual.bench.ShortSuite "$profile"
