#!/usr/bin/env bash
# Measures echo-tcp.jar on loopback and prints two figures:
#   (a) startup: time from `java -jar echo-tcp.jar --port 0` to its listening line, median of RUNS runs;
#   (b) idle RSS: the server's VmRSS (/proc/<pid>/status) while it holds CONNECTIONS idle connections.
# Every server it starts is stopped (SIGTERM, then SIGKILL) and every socket closed, also on failure.
#
# Usage: scripts/measure-echo-tcp.sh            (after: mvn -q -DskipTests package)
#        RUNS=5 CONNECTIONS=1000 JAVA=java JAVA_OPTS="-XX:TieredStopAtLevel=1" scripts/measure-echo-tcp.sh
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-echo-tcp/target/echo-tcp.jar}
if [[ ! -f "$JAR" ]]; then
  echo "measure-echo-tcp: $JAR not found; build it first: mvn -q -DskipTests package" >&2
  exit 1
fi

exec python3 - "$JAR" "${RUNS:-5}" "${CONNECTIONS:-1000}" "${JAVA:-java}" "${JAVA_OPTS:-}" <<'PY'
import re, resource, shlex, socket, statistics, subprocess, sys, time

jar, runs, connections, java, java_opts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
LISTENING = re.compile(r"^listening on (\S+):(\d+) \(transport=(\w+)\)$")
TIMEOUT = 30.0


def start():
    """Starts the server; returns (process, port, seconds to the listening line, transport)."""
    t0 = time.monotonic()
    p = subprocess.Popen([java, *shlex.split(java_opts), "-jar", jar, "--port", "0"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
    try:
        while True:
            line = p.stdout.readline()   # the server logs little, and its first lines come before this one
            if not line:
                raise RuntimeError(f"echo-tcp exited with status {p.wait()} before listening")
            m = LISTENING.match(line.strip())
            if m:
                return p, int(m.group(2)), time.monotonic() - t0, m.group(3)
            if time.monotonic() - t0 > TIMEOUT:
                raise RuntimeError("no listening line within %.0f s" % TIMEOUT)
    except BaseException:
        stop(p)
        raise


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    p.stdout.close()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for pid %d" % pid)


def settled_rss_kib(pid):
    """VmRSS once it stops moving: two readings 0.5 s apart within 1%, at most 10 s."""
    last = rss_kib(pid)
    for _ in range(20):
        time.sleep(0.5)
        now = rss_kib(pid)
        if abs(now - last) <= last / 100:
            return now
        last = now
    return last


# (a) startup time
times, transport = [], None
for _ in range(runs):
    p, _port, seconds, transport = start()
    stop(p)
    times.append(seconds)
print("startup (java -jar %s --port 0 -> listening line, transport=%s): median %.0f ms of %d runs [%s]"
      % (jar, transport, statistics.median(times) * 1000, runs, ", ".join("%.0f" % (t * 1000) for t in times)))

# (b) resident memory with idle connections
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < connections + 64:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, connections + 64), hard))
p, port, _seconds, transport = start()
sockets = []
try:
    baseline = settled_rss_kib(p.pid)
    for i in range(connections):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        sockets.append(s)
        s.sendall(b"x")               # one round trip: the server has accepted and set up this connection
        if s.recv(1) != b"x":
            raise RuntimeError("connection %d: no echo" % i)
    loaded = settled_rss_kib(p.pid)
    if p.poll() is not None:
        raise RuntimeError("echo-tcp exited while measuring")
    print("idle RSS (VmRSS, transport=%s): %d MiB with %d idle connections; %d MiB before them; "
          "%.1f KiB per connection" % (transport, loaded // 1024, connections, baseline // 1024,
                                       (loaded - baseline) / connections))
finally:
    for s in sockets:
        s.close()
    stop(p)
PY
