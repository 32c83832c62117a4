#!/usr/bin/env bash
# End-to-end echo benchmark: netserve's jars side by side with the C epoll reference server of
# ../shared/bench, in one run on this machine, so the figures are comparable as ratios.
#
#   scripts/bench.sh [--suite full|tcp|udp|quick] [--reps N] [other ../shared/bench/run.sh options]
#
# Builds the jars if they are missing, copies the reference bench to a temporary folder (it is
# read-only), and leaves the results under bench-results/<time>/ (summary.md has the ratios).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ref=${NETSERVE_BENCH_DIR:-$root/../shared/bench}
[[ -d $ref ]] || { echo "bench.sh: reference bench not found at $ref (set NETSERVE_BENCH_DIR)" >&2; exit 1; }

if [[ ! -f $root/echo-tcp/target/echo-tcp.jar ]]; then
    (cd "$root" && mvn -q -B -DskipTests package)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$ref" "$work/bench"
chmod -R u+w "$work/bench"
cd "$work/bench"
make -s

servers=(--tcp-server "netserve=java -jar $root/echo-tcp/target/echo-tcp.jar --host {host} --port {port}")
if [[ -f $root/echo-udp/target/echo-udp.jar ]]; then
    servers+=(--udp-server "netserve=java -jar $root/echo-udp/target/echo-udp.jar --host {host} --port {port}")
fi

out=$root/bench-results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
./run.sh --builtin c-epoll "${servers[@]}" --out "$out" "$@"
