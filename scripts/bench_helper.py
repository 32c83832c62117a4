#!/usr/bin/env python3
"""Small helpers of scripts/bench.sh (standard library only).

    bench_helper.py port HOST                      a port free for TCP and UDP on HOST
    bench_helper.py probe PROTO HOST PORT PID T0 TIMEOUT
                                                   waits for the first echo; prints seconds since T0
    bench_helper.py record OUT.jsonl KEY=VALUE... [--result LINE]
                                                   appends one JSON object (values: numbers stay numbers)
    bench_helper.py report DIR                     writes DIR/summary.md from DIR/results.jsonl
"""
import json
import os
import random
import socket
import statistics
import sys
import time

PROBE = b"netserve-bench-probe"


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def cmd_port(host):
    # Below the ephemeral range (32768-60999 here), so a client port never takes it.
    for _ in range(500):
        port = random.randint(20000, 32000)
        try:
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                with socket.socket(family(host), kind) as s:
                    s.bind((host, port))
        except OSError:
            continue
        print(port)
        return 0
    print("bench_helper: no free port", file=sys.stderr)
    return 1


def echo_once(proto, host, port):
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    with socket.socket(family(host), kind) as s:
        s.settimeout(0.2)
        s.connect((host, port))
        s.sendall(PROBE)
        got = b""
        while len(got) < len(PROBE):
            chunk = s.recv(4096)
            if not chunk:
                return False
            got += chunk
            if proto == "udp":
                break
        return got == PROBE


def cmd_probe(proto, host, port, pid, t0, timeout):
    deadline = time.time() + float(timeout)
    while time.time() < deadline:
        try:
            if echo_once(proto, host, int(port)):
                print(f"{time.time() - float(t0):.3f}")
                return 0
        except OSError:
            pass
        if not os.path.exists(f"/proc/{pid}"):
            print("bench_helper: the server exited before its first echo", file=sys.stderr)
            return 1
        time.sleep(0.005)
    print(f"bench_helper: no echo within {timeout} s", file=sys.stderr)
    return 1


def value(text):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def parse_result(line):
    """A RESULT {json} line of the load generator, or the key=value line of ../shared/bench's loadgen."""
    line = line.strip()
    if line.startswith("RESULT "):
        return json.loads(line[len("RESULT "):])
    fields = dict(p.split("=", 1) for p in line.split() if "=" in p)
    if not fields:
        return None
    r = {k: value(v) for k, v in fields.items()}
    # The C tool's names, mapped onto the load generator's.
    r["scenario"] = r.pop("mode", None)
    if "MiB_per_s" in r:
        r["mib_per_s"] = r.pop("MiB_per_s")
    bad = int(r.get("errors", 0) or 0) + int(r.get("mismatches", 0) or 0)
    r["outcome"] = "ok" if not bad else ("mismatch" if r.get("mismatches") else "server-failed")
    return r


def cmd_record(out, args):
    rec, i = {}, 0
    while i < len(args):
        if args[i] == "--result":
            rec["result"] = parse_result(args[i + 1]) if args[i + 1] else None
            i += 2
            continue
        k, v = args[i].split("=", 1)
        rec[k] = None if v == "" else value(v)
        i += 1
    with open(out, "a") as f:
        f.write(json.dumps(rec, separators=(",", ":")) + "\n")
    return 0


# ---------------------------------------------------------------- report

# scenario -> (figure, label, higher is better)
MAIN = {
    "tcp-lat-64": ("p99_us", "p99 µs", False),
    "tcp-pipe-64": ("msgs_per_s", "msgs/s", True),
    "tcp-bulk-16k": ("mib_per_s", "MiB/s", True),
    "tcp-connect": ("conns_per_s", "conns/s", True),
    "udp-lat-64": ("p99_us", "p99 µs", False),
    "udp-win-64": ("msgs_per_s", "replies/s", True),
    "tcp-idle-10k": ("rss_per_conn_kib", "KiB/conn", False),
}


def med(xs):
    xs = [x for x in xs if isinstance(x, (int, float))]
    return statistics.median(xs) if xs else None


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if abs(v) >= 1000:
        s = f"{v:,.0f}"
    elif abs(v) >= 100:
        s = f"{v:.0f}"
    elif abs(v) >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.2f}"
    return s + unit


def ratio(v, ref):
    return f"{v / ref:.2f}x" if v is not None and ref else ""


def table(out, header, rows):
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    for r in rows:
        out.append("| " + " | ".join(r) + " |")
    out.append("")


def cmd_report(folder):
    recs = [json.loads(l) for l in open(os.path.join(folder, "results.jsonl")) if l.strip()]
    meta = open(os.path.join(folder, "meta.txt")).read() if os.path.exists(os.path.join(folder, "meta.txt")) else ""
    runs = [r for r in recs if r.get("type") == "scenario" and r.get("loadgen") == "netserve"]
    cross = [r for r in recs if r.get("type") == "scenario" and r.get("loadgen") == "c"]
    starts = [r for r in recs if r.get("type") == "server"]
    servers = []
    for r in starts + runs:
        if r["server"] not in servers:
            servers.append(r["server"])
    scenarios = []
    for r in runs:
        if r["scenario"] not in scenarios:
            scenarios.append(r["scenario"])
    base = "bare-netty" if "bare-netty" in servers else None
    c = "c-epoll" if "c-epoll" in servers else None

    def ok(r):
        return r.get("rc") == 0 and r.get("result") and r["result"].get("outcome") == "ok"

    def figure(scn, srv, key):
        return med([r["result"].get(key) for r in runs if r["scenario"] == scn and r["server"] == srv and ok(r)])

    def server_figure(scn, srv, key):
        return med([r.get(key) for r in runs if r["scenario"] == scn and r["server"] == srv and ok(r)])

    out = ["# End-to-end echo benchmark", "", "```", meta.strip(), "```", ""]
    reps = sorted({r["rep"] for r in recs if "rep" in r})
    out.append(f"Medians over {len(reps)} repetition(s); servers interleaved, a fresh server for every scenario. "
               "Server CPU is utime+stime over the scenario (warm-up included); peak RSS is the server's VmHWM "
               "at the end of the scenario. Ratios are to the baselines measured in this run.")
    out.append("")

    out.append("## Start to first echo (s, median) and the CPU seconds it took")
    out.append("")
    rows = []
    for s in servers:
        row = [s]
        for proto in ("tcp", "udp"):
            st = [r for r in starts if r["server"] == s and r["proto"] == proto]
            row.append(fmt(med([r.get("startup_s") for r in st])) + " s" if st else "")
            row.append(fmt(med([r.get("startup_cpu_s") for r in st])) if st else "")
        rows.append(row)
    table(out, ["server", "tcp start", "tcp start CPU s", "udp start", "udp start CPU s"], rows)

    for scn in scenarios:
        key, label, higher = MAIN.get(scn, ("msgs_per_s", "msgs/s", True))
        cmd = next((r.get("args") for r in runs if r["scenario"] == scn), "")
        out.append(f"## {scn}: `{cmd}`")
        out.append("")
        head = ["server", label]
        if base:
            head.append("x bare-netty")
        if c:
            head.append("x C")
        extra = ["p50_us", "p99_us"] if key not in ("p99_us",) else ["p50_us", "msgs_per_s"]
        if scn == "tcp-idle-10k":
            extra = ["open_s", "p50_us", "p99_us"]
        head += [e.replace("_us", " µs").replace("_per_s", "/s").replace("_s", " s") for e in extra]
        head += ["server CPU s", "CPU x C", "peak RSS MiB", "lost", "load tool CPU", "ok runs"]
        rows = []
        for s in servers:
            rs = [r for r in runs if r["scenario"] == scn and r["server"] == s]
            if not rs:
                continue
            v = figure(scn, s, key)
            row = [s, fmt(v)]
            if base:
                row.append(ratio(v, figure(scn, base, key)))
            if c:
                row.append(ratio(v, figure(scn, c, key)))
            row += [fmt(figure(scn, s, e)) for e in extra]
            cpu = server_figure(scn, s, "server_cpu_s")
            row.append(fmt(cpu))
            row.append(ratio(cpu, server_figure(scn, c, "server_cpu_s")) if c else "")
            hwm = server_figure(scn, s, "server_vmhwm_kib")
            row.append(fmt(hwm / 1024 if hwm else None))
            lost = figure(scn, s, "lost")
            row.append("n/a" if lost is None else f"{lost:,.0f}")
            row.append(fmt(figure(scn, s, "lg_cpu")))
            row.append(f"{sum(1 for r in rs if ok(r))}/{len(rs)}")
            rows.append(row)
        table(out, head, rows)

    out.append("## Suite totals: server CPU seconds (sum of the scenario medians) and peak RSS (largest median)")
    out.append("")
    rows = []
    cpu_ref = {}
    for proto in ("tcp", "udp"):
        if c:
            cpu_ref[proto] = sum(server_figure(scn, c, "server_cpu_s") or 0 for scn in scenarios
                                 if scn.startswith(proto) and scn != "tcp-idle-10k")
    for s in servers:
        row = [s]
        for proto in ("tcp", "udp"):
            scns = [scn for scn in scenarios if scn.startswith(proto) and scn != "tcp-idle-10k"
                    and any(r["server"] == s and r["scenario"] == scn for r in runs)]
            total = sum(server_figure(scn, s, "server_cpu_s") or 0 for scn in scns) if scns else None
            peak = max((server_figure(scn, s, "server_vmhwm_kib") or 0 for scn in scns), default=None) if scns else None
            row += [fmt(total), ratio(total, cpu_ref.get(proto)) if c else "", fmt(peak / 1024 if peak else None)]
        rows.append(row)
    table(out, ["server", "TCP CPU s", "x C", "TCP peak RSS MiB", "UDP CPU s", "x C", "UDP peak RSS MiB"], rows)

    if cross:
        out.append("## Load generator cross-check: each server driven by this project's tool and, right after, "
                   "by ../shared/bench's C loadgen")
        out.append("")
        rows = []
        for scn in scenarios:
            key, label, _ = MAIN.get(scn, ("msgs_per_s", "msgs/s", True))
            for s in servers:
                theirs_runs = [r for r in cross if r["scenario"] == scn and r["server"] == s and ok(r)]
                theirs = med([r["result"].get(key) for r in theirs_runs])
                if theirs is None:
                    continue
                mine = figure(scn, s, key)
                lg_theirs = med([r["result"].get("lg_cpu") for r in theirs_runs])
                rows.append([scn, s, label, fmt(mine), fmt(theirs), ratio(mine, theirs),
                             fmt(figure(scn, s, "lg_cpu")), fmt(lg_theirs),
                             fmt(figure(scn, s, "server_cpu")), fmt(med([r.get("server_busy") for r in theirs_runs]))])
        out.append("The CPU columns are shares of one core over the measured window: a load generator near 1.00 "
                   "is at the limit of its core, and so is a server.")
        out.append("")
        table(out, ["scenario", "server", "figure", "netserve-bench tool", "C loadgen", "tool / C loadgen",
                    "tool CPU", "C loadgen CPU", "server CPU, tool", "server CPU, C loadgen"], rows)

    out.append("## Spread (min .. max over repetitions)")
    out.append("")
    rows = []
    for scn in scenarios:
        key, label, _ = MAIN.get(scn, ("msgs_per_s", "msgs/s", True))
        row = [scn, label]
        for s in servers:
            vs = [r["result"].get(key) for r in runs if r["scenario"] == scn and r["server"] == s and ok(r)]
            vs = [v for v in vs if isinstance(v, (int, float))]
            row.append(f"{fmt(min(vs))} .. {fmt(max(vs))}" if vs else "")
        rows.append(row)
    table(out, ["scenario", "figure"] + servers, rows)

    bad = [r for r in runs + cross if not ok(r)]
    bad_starts = [r for r in starts if r.get("startup_s") is None]
    if bad or bad_starts:
        out.append("## Failed runs")
        out.append("")
        for r in bad:
            res = r.get("result") or {}
            out.append(f"- rep {r['rep']} {r['server']} {r['scenario']} ({r['loadgen']} load generator): rc={r.get('rc')} "
                       f"{res.get('outcome', 'no result')} {res.get('message', '')}".rstrip())
        for r in bad_starts:
            out.append(f"- rep {r['rep']} {r['server']} {r['proto']}: did not start ({r.get('note', '')})")
    else:
        out.append("Every run completed with every echo checked; no errors or mismatches.")
    text = "\n".join(out) + "\n"
    with open(os.path.join(folder, "summary.md"), "w") as f:
        f.write(text)
    print(text)
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "port" and len(args) == 1:
        return cmd_port(*args)
    if cmd == "probe" and len(args) == 6:
        return cmd_probe(*args)
    if cmd == "record" and args:
        return cmd_record(args[0], args[1:])
    if cmd == "report" and len(args) == 1:
        return cmd_report(args[0])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
