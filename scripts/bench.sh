#!/usr/bin/env bash
# End-to-end echo benchmark of netserve, from a clone of the project alone (see BENCHMARKS.md).
#
#   scripts/bench.sh [options]
#     --set quick|tcp|udp|full|idle  scenarios (default full = tcp + udp; quick = three short ones)
#     --reps N                       repetitions; servers interleaved, order rotated each time (default 3)
#     --servers LIST                 comma list of servers to run (default: all below that apply):
#                                    netserve (the jars as a user runs them), netserve-nio,
#                                    netserve-epoll, netserve-io_uring (those that load here),
#                                    bare-netty (the in-repo baseline), c-epoll (with --with-c)
#     --with-c                       add the C epoll server of ../shared/bench (built in a temporary
#                                    folder), and drive every server with that folder's C loadgen
#                                    too, right after this project's tool: a check that the tool is
#                                    not the bottleneck, server by server
#     --warmup W --seconds T         per scenario (default 5 / 6; quick: 3 / 2)
#     --host H                       address the servers bind and the load goes to (default 127.0.0.1; ::1 works)
#     --no-pin                       do not pin; by default the server runs on CPU 1, the load generator on CPU 0
#     --server-cpu C --loadgen-cpu C
#     --out DIR                      results folder (default bench-results/<UTC time>)
#     --wait-idle PCT                before each run, wait (up to a minute) until the machine's CPUs
#                                    are at least PCT% idle over a second; for shared machines (default 0: off)
#
# For every repetition, server and scenario it starts the server fresh (pinned), times exec to the
# first echo, runs the load generator, and reads the server's CPU time (utime+stime of
# /proc/PID/stat) and peak RSS (VmHWM of /proc/PID/status); then stops it (SIGTERM, SIGKILL after
# 10 s). Results: results.jsonl (one JSON object per run) and summary.md (medians, ratios to
# bare-netty and, with --with-c, to the C server of the same run). Builds the jars if missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
helper="$root/scripts/bench_helper.py"
SET=full REPS=3 SERVERS="" WITH_C=0 WARMUP="" SECS="" HOST=127.0.0.1 PIN=1 SERVER_CPU=1 LOADGEN_CPU=0 OUT="" WAIT_IDLE=0
ARGS=("$@")

die() { echo "bench.sh: $*" >&2; exit 2; }
while (($#)); do
    case $1 in
        --set) SET=$2; shift 2 ;;
        --reps) REPS=$2; shift 2 ;;
        --servers) SERVERS=$2; shift 2 ;;
        --with-c) WITH_C=1; shift ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --seconds) SECS=$2; shift 2 ;;
        --host) HOST=$2; shift 2 ;;
        --no-pin) PIN=0; shift ;;
        --server-cpu) SERVER_CPU=$2; shift 2 ;;
        --loadgen-cpu) LOADGEN_CPU=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --wait-idle) WAIT_IDLE=$2; shift 2 ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive number, was '$REPS'"
[[ $WAIT_IDLE =~ ^[0-9]+$ ]] && ((WAIT_IDLE <= 100)) || die "--wait-idle must be 0 to 100, was '$WAIT_IDLE'"

# ---- scenarios: name | protocol | load generator arguments | the C loadgen's arguments (if it has the case)
declare -a SCENARIOS=()
tcp_set() {
    SCENARIOS+=("tcp-lat-64|tcp|tcp-latency --conns 1 --size 64|tcp-latency --conns 1 --size 64")
    SCENARIOS+=("tcp-pipe-64|tcp|tcp-throughput --conns 16 --size 64 --pipeline 16|tcp-throughput --conns 16 --size 64 --pipeline 16")
    SCENARIOS+=("tcp-bulk-16k|tcp|tcp-throughput --conns 16 --size 16384 --pipeline 4|tcp-throughput --conns 16 --size 16384 --pipeline 4")
    SCENARIOS+=("tcp-connect|tcp|tcp-connect-rate --conns 4|tcp-connect-rate --conns 4")
}
udp_set() {
    SCENARIOS+=("udp-lat-64|udp|udp-latency --conns 1 --size 64|udp-latency --conns 1 --size 64")
    SCENARIOS+=("udp-win-64|udp|udp-throughput --conns 8 --size 64 --window 16 --timeout-ms 100|udp-throughput --conns 8 --size 64 --window 16 --timeout-ms 100")
}
case $SET in
    quick)
        SCENARIOS+=("tcp-pipe-64|tcp|tcp-throughput --conns 16 --size 64 --pipeline 16|tcp-throughput --conns 16 --size 64 --pipeline 16")
        SCENARIOS+=("tcp-connect|tcp|tcp-connect-rate --conns 4|tcp-connect-rate --conns 4")
        SCENARIOS+=("udp-win-64|udp|udp-throughput --conns 8 --size 64 --window 16 --timeout-ms 100|udp-throughput --conns 8 --size 64 --window 16 --timeout-ms 100")
        : "${WARMUP:=3}" "${SECS:=2}" ;;
    tcp) tcp_set ;;
    udp) udp_set ;;
    full) tcp_set; udp_set ;;
    # 10,000 idle connections plus the probe: the netserve jars are given a connection limit above that.
    idle) SCENARIOS+=("tcp-idle-10k|tcp|tcp-idle --conns 10000 --hold 10|") ;;
    *) die "unknown set '$SET' (quick, tcp, udp, full, idle)" ;;
esac
: "${WARMUP:=5}" "${SECS:=6}"

# ---- build what is missing
jar_tcp=$root/echo-tcp/target/echo-tcp.jar jar_udp=$root/echo-udp/target/echo-udp.jar jar_bench=$root/bench/target/netserve-bench.jar
if [[ ! -f $jar_tcp || ! -f $jar_udp || ! -f $jar_bench ]]; then
    echo "bench.sh: building the jars (mvn -q -B -DskipTests package)"
    (cd "$root" && mvn -q -B -DskipTests package)
fi
SPID="" ctmp="" cdir=""
cleanup() {
    if [[ -n $SPID ]]; then kill -KILL "$SPID" 2>/dev/null || true; fi
    if [[ -n $ctmp ]]; then rm -rf "$ctmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if ((WITH_C)); then
    ref=${NETSERVE_SHARED_BENCH:-$root/../shared/bench}
    [[ -d $ref ]] || die "--with-c: no reference bench at $ref (set NETSERVE_SHARED_BENCH)"
    ctmp=$(mktemp -d)
    cp -r "$ref" "$ctmp/bench" && chmod -R u+w "$ctmp/bench"
    make -s -C "$ctmp/bench" >/dev/null || die "--with-c: building $ref failed"
    cdir=$ctmp/bench
fi

# ---- servers: name -> command per protocol ({proto} {host} {port} are filled in)
declare -A TCP_CMD=() UDP_CMD=()
declare -a NAMES=()
add() { NAMES+=("$1"); TCP_CMD[$1]=$2; UDP_CMD[$1]=$3; }
conn_limit=""
if [[ $SET == idle ]]; then conn_limit=" --max-connections 20000"; fi
loads() { # does echo-tcp start on transport $1? "yes", or the last line it printed
    local f pid i
    f=$(mktemp)
    java -jar "$jar_tcp" --port 0 --transport "$1" >"$f" 2>&1 &
    pid=$!
    for ((i = 0; i < 600; i++)); do
        grep -q '^listening on' "$f" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if grep -q '^listening on' "$f"; then echo yes; else tail -n 1 "$f"; fi
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$f"
}
add netserve "java -jar $jar_tcp --host {host} --port {port}$conn_limit" "java -jar $jar_udp --host {host} --port {port}"
declare -a SKIPPED=()
for t in nio epoll io_uring; do
    if [[ -n $SERVERS && ",$SERVERS," != *",netserve-$t,"* ]]; then continue; fi
    answer=$(loads "$t")
    if [[ $answer == yes ]]; then
        add "netserve-$t" "java -jar $jar_tcp --host {host} --port {port} --transport $t$conn_limit" \
            "java -jar $jar_udp --host {host} --port {port} --transport $t"
    else
        SKIPPED+=("netserve-$t (does not start here: $answer)")
    fi
done
add bare-netty "java -cp $jar_bench io.netserve.bench.baseline.BareNettyEcho tcp --host {host} --port {port}" \
    "java -cp $jar_bench io.netserve.bench.baseline.BareNettyEcho udp --host {host} --port {port}"
if ((WITH_C)); then add c-epoll "$cdir/servers/c-epoll-echo tcp {host} {port} 1" "$cdir/servers/c-epoll-echo udp {host} {port} 1"; fi
if [[ -n $SERVERS ]]; then
    declare -a keep=()
    for n in "${NAMES[@]}"; do if [[ ",$SERVERS," == *",$n,"* ]]; then keep+=("$n"); fi; done
    ((${#keep[@]})) || die "--servers '$SERVERS' names none of: ${NAMES[*]}"
    NAMES=("${keep[@]}")
fi
for s in "${SKIPPED[@]}"; do echo "bench.sh: skipping $s"; done

# ---- results folder and what the run was
[[ -n $OUT ]] || OUT=$root/bench-results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT/logs"
RES=$OUT/results.jsonl
: >"$RES"
if ((PIN)); then SV_PIN=(taskset -c "$SERVER_CPU"); LG_PIN=(taskset -c "$LOADGEN_CPU"); else SV_PIN=(); LG_PIN=(); fi
HZ=$(getconf CLK_TCK)
scrub=(-e "s#$root/##g")
if [[ -n $cdir ]]; then scrub+=(-e "s#$cdir/#<copy of ../shared/bench>/#g"); fi
{
    echo "date (UTC): $(date -u '+%Y-%m-%d %H:%M:%S')"
    echo "command: scripts/bench.sh ${ARGS[*]}"
    echo "set=$SET reps=$REPS warmup=${WARMUP}s seconds=${SECS}s host=$HOST"
    if ((PIN)); then echo "pinning: server on CPU $SERVER_CPU, load generator on CPU $LOADGEN_CPU (taskset)"; else echo "pinning: none"; fi
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "git: $(git -C "$root" log -1 --format='%h %s' 2>/dev/null || echo unknown)"
    for n in "${NAMES[@]}"; do echo "server $n: tcp: ${TCP_CMD[$n]}"; echo "server $n: udp: ${UDP_CMD[$n]}"; done
    for s in "${SKIPPED[@]}"; do echo "skipped: $s"; done
    for c in "${SCENARIOS[@]}"; do IFS='|' read -r n p a _ <<<"$c"; echo "scenario $n ($p): $a"; done
    if ((WAIT_IDLE)); then echo "each run waited (up to a minute) for the CPUs to be ${WAIT_IDLE}% idle"; fi
} | sed "${scrub[@]}" | tee "$OUT/meta.txt"

# ---- one server's life

cpu_s() { # utime + stime of /proc/PID/stat in seconds (fields 14 and 15; the name in field 2 may hold spaces)
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo ""; return; }
    awk -v hz="$HZ" '{ printf "%.2f", ($12 + $13) / hz }' <<<"${stat##*) }"
}
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }

idle_pct() { # how idle the machine's CPUs were over the next second, in percent
    local a b
    read -r -a a </proc/stat; sleep 1; read -r -a b </proc/stat
    awk -v u="${a[*]:1:8}" -v v="${b[*]:1:8}" 'BEGIN {
        n = split(u, x); split(v, y); t = 0
        for (i = 1; i <= n; i++) t += y[i] - x[i]
        printf "%d", (t > 0 ? 100 * ((y[4] - x[4]) + (y[5] - x[5])) / t : 100) }'
}
wait_idle() { # -> IDLE: the last idle share seen (empty when not waiting)
    IDLE=""
    ((WAIT_IDLE)) || return 0
    local i
    for ((i = 0; i < 60; i++)); do
        IDLE=$(idle_pct)
        if ((IDLE >= WAIT_IDLE)); then return 0; fi
    done
    echo "  (the machine stayed busy: ${IDLE}% idle; running anyway)"
}

start_server() { # name proto rep scenario -> SPID PORT STARTUP
    local name=$1 proto=$2 cmd log t0
    PORT=$(python3 "$helper" port "$HOST")
    if [[ $proto == tcp ]]; then cmd=${TCP_CMD[$name]}; else cmd=${UDP_CMD[$name]}; fi
    cmd=${cmd//\{proto\}/$proto}; cmd=${cmd//\{host\}/$HOST}; cmd=${cmd//\{port\}/$PORT}
    log=$OUT/logs/$name-$4-rep$3.log
    echo "# $cmd" >"$log"
    t0=$(date +%s.%N)
    "${SV_PIN[@]}" bash -c "exec $cmd" >>"$log" 2>&1 &
    SPID=$!
    STARTUP=$("${LG_PIN[@]}" python3 "$helper" probe "$proto" "$HOST" "$PORT" "$SPID" "$t0" 60 2>>"$log") || STARTUP=""
}

stop_server() { # -> how it stopped: term or kill
    local how=term i
    kill -TERM "$SPID" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$SPID" 2>/dev/null; then kill -KILL "$SPID" 2>/dev/null || true; how=kill; fi
    wait "$SPID" 2>/dev/null || true
    SPID=""
    echo "$how"
}

run_tool() { # label timeout command... -> LINE (its last result line) and LG_RC
    local label=$1 limit=$2 tmp
    shift 2
    tmp=$(mktemp)
    set +e
    timeout "$limit" "${LG_PIN[@]}" "$@" >"$tmp" 2>>"$OUT/logs/$label.err"
    LG_RC=$?
    set -e
    cat "$tmp" >>"$OUT/logs/$label.out"
    if [[ $label == loadgen ]]; then LINE=$(grep '^RESULT ' "$tmp" | tail -n 1 || true); else LINE=$(tail -n 1 "$tmp"); fi
    rm -f "$tmp"
}
limit=$((${WARMUP%.*} + ${SECS%.*} + 90))
# The tool reads the server's CPU share over its measured window itself (--server-pid).
loadgen() { run_tool loadgen "$limit" java -cp "$jar_bench" io.netserve.bench.load.LoadGenerator "$@" --host "$HOST" --port "$PORT" --warmup "$WARMUP" --seconds "$SECS" --server-pid "$SPID"; }
c_loadgen() { run_tool c-loadgen "$limit" "$cdir/loadgen/loadgen" "$@" --host "$HOST" --port "$PORT" --warmup "$WARMUP" --seconds "$SECS"; }
window_cpu() { # PID: its CPU share of one core over the C loadgen's measured window (started with it)
    local a b
    sleep "$WARMUP"; a=$(cpu_s "$1"); sleep "$SECS"; b=$(cpu_s "$1")
    awk -v a="$a" -v b="$b" -v t="$SECS" 'BEGIN { if (a != "" && b != "") printf "%.2f", (b - a) / t }'
}

brief() { python3 -c 'import json,sys
l=sys.stdin.read().strip()
if l.startswith("RESULT "):
    d=json.loads(l[7:]); print("%s msgs/s=%.0f MiB/s=%.1f p50=%.1fus p99=%.1fus lost=%s lg_cpu=%s" % (d["outcome"], d["msgs_per_s"], d["mib_per_s"], d["p50_us"], d["p99_us"], d["lost"], d["lg_cpu"]))
else:
    print(" ".join(p for p in l.split() if p.split("=")[0] in ("msgs_per_s","MiB_per_s","p50_us","p99_us","lost","lg_cpu","errors","mismatches")) or "no result")'; }

N=${#NAMES[@]}
for ((rep = 1; rep <= REPS; rep++)); do
    echo "== repetition $rep/$REPS"
    for spec in "${SCENARIOS[@]}"; do
        IFS='|' read -r scn proto args cargs <<<"$spec"
        for ((k = 0; k < N; k++)); do
            name=${NAMES[$(((k + rep - 1) % N))]}
            wait_idle
            start_server "$name" "$proto" "$rep" "$scn"
            if [[ -z $STARTUP ]]; then
                echo "  $scn $name: did not start (see $OUT/logs/$name-$scn-rep$rep.log)" >&2
                stop_server >/dev/null
                python3 "$helper" record "$RES" type=server rep="$rep" server="$name" proto="$proto" scenario="$scn" startup_s= note=no-echo
                continue
            fi
            start_cpu=$(cpu_s "$SPID")
            # shellcheck disable=SC2086
            loadgen $args
            line=$LINE
            cpu1=$(cpu_s "$SPID"); hwm=$(status_kib "$SPID" VmHWM); rss=$(status_kib "$SPID" VmRSS)
            server_cpu=$(awk -v a="$start_cpu" -v b="$cpu1" 'BEGIN { if (a != "" && b != "") printf "%.2f", b - a }')
            python3 "$helper" record "$RES" type=scenario rep="$rep" server="$name" proto="$proto" scenario="$scn" \
                loadgen=netserve args="$args" rc="$LG_RC" server_cpu_s="$server_cpu" server_vmhwm_kib="$hwm" \
                server_vmrss_kib="$rss" machine_idle_pct="$IDLE" --result "$line"
            printf '  %-13s %-18s start %5ss  rc=%s %s  server cpu=%ss hwm=%sMiB\n' "$scn" "$name" "$STARTUP" "$LG_RC" \
                "$(brief <<<"$line")" "$server_cpu" "$((${hwm:-0} / 1024))"
            if ((WITH_C)) && [[ -n $cargs ]]; then
                c0=$(cpu_s "$SPID")
                busy_file=$(mktemp)
                window_cpu "$SPID" >"$busy_file" &
                busy_pid=$!
                # shellcheck disable=SC2086
                c_loadgen $cargs
                cline=$LINE
                c1=$(cpu_s "$SPID")
                wait "$busy_pid" || true
                busy=$(cat "$busy_file"); rm -f "$busy_file"
                python3 "$helper" record "$RES" type=scenario rep="$rep" server="$name" proto="$proto" scenario="$scn" \
                    loadgen=c args="$cargs" rc="$LG_RC" server_cpu_s="$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')" \
                    server_busy="$busy" --result "$cline"
                printf '  %-13s %-18s (C loadgen)   rc=%s %s server_cpu=%s\n' "$scn" "$name" "$LG_RC" "$(brief <<<"$cline")" "$busy"
            fi
            how=$(stop_server)
            python3 "$helper" record "$RES" type=server rep="$rep" server="$name" proto="$proto" scenario="$scn" \
                startup_s="$STARTUP" startup_cpu_s="$start_cpu" stop="$how"
            sed -i "${scrub[@]}" "$OUT/logs/$name-$scn-rep$rep.log"
        done
    done
done

python3 "$helper" report "$OUT" >/dev/null
echo "summary: $OUT/summary.md"
