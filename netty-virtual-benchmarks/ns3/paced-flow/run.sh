#!/usr/bin/env bash
# Builds the ns-3 paced-flow program with g++ against the installed ns-3 (Debian libns3-dev, 3.37) and runs it
# [runs] times (default 5), each in a fresh process, printing one line per run (see paced-flow.cc) with the
# process's own wall time added as process_ms. Exits 3 with a message where ns-3 is not installed.
#   bash netty-virtual-benchmarks/ns3/paced-flow/run.sh [runs]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../target/ns3"
runs="${1:-5}"
mods="ns3-core ns3-network ns3-internet ns3-point-to-point ns3-applications ns3-traffic-control"
if ! command -v g++ >/dev/null || ! command -v pkg-config >/dev/null || ! pkg-config --exists $mods 2>/dev/null; then
  echo "ns-3 not found (install: apt-get install -y libns3-dev g++ pkg-config)" >&2
  exit 3
fi
mkdir -p "$out"
if [ ! -x "$out/paced-flow" ] || [ "$here/paced-flow.cc" -nt "$out/paced-flow" ]; then
  # The libraries by name: Debian's ns3 .pc files also list libgsl.so, which only libgsl-dev installs.
  g++ -O2 -std=c++17 -o "$out/paced-flow" "$here/paced-flow.cc" $(pkg-config --cflags $mods) \
    -lns3-core -lns3-network -lns3-internet -lns3-point-to-point -lns3-applications -lns3-traffic-control
fi
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  line=$("$out/paced-flow")
  end=$(date +%s%N)
  echo "$line process_ms=$(( (end - start) / 1000000 ))"
done
