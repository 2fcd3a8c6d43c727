#!/usr/bin/env bash
# Builds the benchmarks jar and runs section 6 alone: the first run in fresh JVMs beside its steady state, the paced
# flow against ns-3 (ns3/paced-flow/run.sh; skipped where ns-3 is missing) and the QUIC download against the same
# transfer in real-time mode. Takes several minutes (each real-time transfer takes the wire's ~9.4 s):
#   bash netty-virtual-benchmarks/run-first.sh          short profile -> target/results-first.md
#   bash netty-virtual-benchmarks/run-first.sh full     full profile  -> target/results-first-full.md
# The full profile of run-short.sh includes this section. AppCDS for the first run: appcds.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-short}"
mvn -q -B ${MVN_ARGS:-} -pl netty-virtual-benchmarks -am package -DskipTests
java -Djmh.ignoreLock=true -Donly=6 -cp netty-virtual-benchmarks/target/benchmarks.jar io.nettyvirtual.bench.ShortSuite "$profile"
