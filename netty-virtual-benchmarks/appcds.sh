#!/usr/bin/env bash
# Measures application class-data sharing (AppCDS) for the first run (FirstRunBenchmark's scenarios, each run in a
# fresh JVM, as a test JVM runs it): dumps one archive per scenario with -XX:ArchiveClassesAtExit, then runs the
# scenario [runs] times without it (the JDK's default CDS archive only) and [runs] times with
# -XX:SharedArchiveFile, alternating, and prints the medians of the run's own time and of the whole process's.
#   bash netty-virtual-benchmarks/appcds.sh [runs] [scenario ...]      default: 10 runs, paced and quic
# Uses target/benchmarks.jar (built if missing; MVN_ARGS as in run-short.sh). Archives and per-run figures go to
# target/appcds/.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
shift || true
scenarios="${*:-paced quic}"
jar=netty-virtual-benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -q -B ${MVN_ARGS:-} -pl netty-virtual-benchmarks -am package -DskipTests
out=netty-virtual-benchmarks/target/appcds
mkdir -p "$out"
flags=(-Dio.netty.leakDetection.level=disabled -cp "$jar" io.nettyvirtual.bench.FirstRunBenchmark)
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
# one line "<run ms> <process ms>": FirstRunBenchmark.main prints "first-run <scenario> <ms> ms <result>"
once() {
  local t0 t1 line
  t0=$(date +%s%N)
  line=$(java "$@")
  t1=$(date +%s%N)
  echo "$(echo "$line" | awk '/^first-run/ {print $3}') $(( (t1 - t0) / 1000000 ))"
}
echo "java: $(java -version 2>&1 | head -1); load average: $(cut -d' ' -f1 /proc/loadavg)"
for s in $scenarios; do
  rm -f "$out/$s.jsa"
  java -XX:ArchiveClassesAtExit="$out/$s.jsa" "${flags[@]}" "$s" >/dev/null 2>"$out/$s-dump.log"
  warnings=$(grep -c . "$out/$s-dump.log" || true)
  : > "$out/$s-default.txt"
  : > "$out/$s-appcds.txt"
  for _ in $(seq "$runs"); do
    once "${flags[@]}" "$s" >> "$out/$s-default.txt"
    once -XX:SharedArchiveFile="$out/$s.jsa" "${flags[@]}" "$s" >> "$out/$s-appcds.txt"
  done
  for mode in default appcds; do
    echo "$s $mode: run $(cut -d' ' -f1 "$out/$s-$mode.txt" | median) ms, process $(cut -d' ' -f2 "$out/$s-$mode.txt" | median) ms (medians of $runs)"
  done
  echo "$s archive: $(du -h "$out/$s.jsa" | cut -f1); the dump's warnings: $warnings lines in $out/$s-dump.log"
done
echo "load average: $(cut -d' ' -f1 /proc/loadavg)"
