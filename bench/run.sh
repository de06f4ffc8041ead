#!/usr/bin/env bash
# End-to-end benchmark of `policywatch check` (see BENCHMARKS.md).
#
#   bench/run.sh [N ...]            default: 100 1000 10000
#
# For each N: generates N carrier pages of ~91 KiB (bench/genpages.py), serves them with nginx on
# 127.0.0.1, writes a config with N targets (select "#policy", 10 concurrent fetches, no politeness
# delay, no confirm delay, no email), and runs four passes of `policywatch check`:
#   cold       first versions of every page;
#   unchanged  the same pages again;
#   mutate     10 % of pages have one policy sentence changed (must report exactly those);
#   noise      every page's footer, tokens, timestamps and JSON state change (must report none).
# nginx runs with `etag off; if_modified_since off;`, so every check downloads, parses and compares
# the whole page (carrier CMS pages rarely answer 304). A last pass, unchanged-304, repeats the
# unchanged pass against a second nginx port that does send validators.
# Then, for the first N >= 1000, `policywatch run` is started with 1000 targets whose schedules
# are far away, and its idle RSS and CPU are sampled: once as started (all checked recently), once
# after it has caught up all 1000 (an empty database).
#
# Measured per pass with /usr/bin/time: wall time, user+sys CPU, peak RSS; database growth (the
# SQLite file after the process exits, WAL checkpointed), versions and raw-page rows written, and
# the stdout lines checked against the expected set. Results: $WORK/results.tsv and stdout.
#
# REPEAT=R (default 3) runs the steady-state passes (unchanged, noise, unchanged-304) R times each,
# every noise pass with fresh noise, and prints the median CPU per page of each at the end: single
# runs on a shared 2-core machine vary by up to ±20 %.
#
# Environment: POLICYWATCH_BIN (default: builds the release binary into $CARGO_TARGET_DIR or
# target/), WORK (default /tmp/policywatch-bench), PORT (default 18080; PORT+1 is used too),
# IDLE_SECONDS (default 60; 0 skips the idle measurement), IDLE_ONLY=1 (only the idle step after a
# pass, for the first N >= 1000: no passes, no idle-as-started; for comparing allocator settings
# or builds, e.g. `IDLE_ONLY=1 GLIBC_TUNABLES=glibc.malloc.arena_max=1 bench/run.sh 1000`). Needs python3, nginx and GNU time (apt-get install nginx-light time).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
WORK="${WORK:-/tmp/policywatch-bench}"
PORT="${PORT:-18080}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"
REPEAT="${REPEAT:-3}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000 10000)

for tool in python3 nginx /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool is missing (apt-get install -y nginx-light time python3)" >&2; exit 2; }
done

if [ -z "${POLICYWATCH_BIN:-}" ]; then
    (cd "$ROOT" && cargo build --release --quiet --bin policywatch)
    POLICYWATCH_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/policywatch"
fi
echo "binary: $POLICYWATCH_BIN"

mkdir -p "$WORK"
WWW="$WORK/www"
RESULTS="$WORK/results.tsv"
NGINX_PID=""

start_nginx() {
    mkdir -p "$WORK/nginx"
    cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path $WORK/nginx/tmp;
    proxy_temp_path $WORK/nginx/tmp;
    fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp;
    scgi_temp_path $WORK/nginx/tmp;
    server {
        listen 127.0.0.1:$PORT;
        root $WWW;
        etag off;
        if_modified_since off;
    }
    server {
        listen 127.0.0.1:$((PORT + 1));
        root $WWW;
    }
}
EOF
    mkdir -p "$WORK/nginx/tmp" "$WWW"
    printf 'User-agent: *\nAllow: /\n' >"$WWW/robots.txt"
    nginx -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
    NGINX_PID=$!
    for _ in $(seq 50); do
        python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/robots.txt')" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "nginx did not start: $(cat "$WORK/nginx/error.log")" >&2
    exit 1
}

stop_nginx() {
    if [ -n "$NGINX_PID" ]; then
        kill "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
        NGINX_PID=""
    fi
}
trap stop_nginx EXIT

# write_config FILE N PORT [DATABASE]
write_config() {
    local file=$1 n=$2 port=$3 db=${4:-$WORK/db.sqlite3}
    {
        echo "database = \"$db\""
        echo "[fetch]"
        echo "allow_private_addresses = true"
        echo "per_host_delay = \"0s\""
        echo "per_host_concurrency = 10"
        echo "concurrency = 10"
        echo "retries = 0"
        echo "[schedule]"
        echo "default = \"0 0 0 1 1 *\""   # once a year: `run` stays idle
        echo "[alerts]"
        echo "confirm_delay = \"0s\""
        echo "digest = \"off\""
        echo "heartbeat = \"off\""
        python3 - "$n" "$port" <<'PY'
import sys
n, port = int(sys.argv[1]), int(sys.argv[2])
carriers = ["China Mobile Hong Kong", "China Unicom (Hong Kong)", "csl", "1O1O", "Club SIM", "3HK", "SmarTone"]
out = []
for i in range(n):
    out.append('[[target]]\nname = "p%05d"\ncarrier = "%s"\nurl = "http://127.0.0.1:%d/p/%05d.html"\nselect = "#policy"\n'
               % (i, carriers[i % len(carriers)], port, i))
sys.stdout.write("\n".join(out))
PY
    } >"$file"
}

db_bytes() { stat -c %s "$WORK/db.sqlite3" 2>/dev/null || echo 0; }
db_rows() {
    python3 - "$WORK/db.sqlite3" <<'PY'
import os, sqlite3, sys
if not os.path.exists(sys.argv[1]):
    print(0, 0, 0)
    sys.exit()
c = sqlite3.connect(sys.argv[1])
print(*(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("versions", "checks")),
      c.execute("SELECT coalesce(sum(fetched_at), 0) FROM raw_pages").fetchone()[0])
PY
}

# pass NAME N CONFIG EXPECTED_CHANGED_FILE
run_pass() {
    local name=$1 n=$2 config=$3 expected=$4
    local before rows_before
    before=$(db_bytes)
    rows_before=$(db_rows)
    sync
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" \
        "$POLICYWATCH_BIN" --config "$config" check >"$WORK/out-$name.txt" 2>"$WORK/err-$name.txt" || true
    read -r wall user sys rss_kib <"$WORK/time.txt"
    local after rows_after
    after=$(db_bytes)
    rows_after=$(db_rows)
    python3 - "$name" "$n" "$wall" "$user" "$sys" "$rss_kib" "$before" "$after" \
        "$rows_before" "$rows_after" "$WORK/out-$name.txt" "$expected" "$RESULTS" <<'PY'
import sys
(name, n, wall, user, sys_, rss, before, after, rb, ra, out, expected, results) = sys.argv[1:]
n = int(n); cpu = float(user) + float(sys_)
lines = open(out).read().split("\n")
kinds = {}
changed = set()
for l in filter(None, lines):
    k = l.split()[0]
    kinds[k] = kinds.get(k, 0) + 1
    if k == "CHANGED":
        changed.add(l.split()[1])
want_kind = {"cold": "NEW"}.get(name, "CHANGED")
if expected == "-":
    exp = set()
else:
    exp = set(filter(None, open(expected).read().split("\n")))
if name == "cold":
    ok = kinds.get("NEW", 0) == n
else:
    ok = changed == exp and kinds.get("ERROR", 0) == 0 and sum(kinds.values()) == n
vb, cb, rawb = map(int, rb.split()); va, ca, rawa = map(int, ra.split())
raw_written = "yes" if rawa != rawb else "no"
row = [n, name, f"{float(wall):.2f}", f"{cpu:.2f}", f"{cpu / n * 1000:.3f}", f"{int(rss) / 1024:.1f}",
       f"{(int(after) - int(before)) / 1024:.0f}", va - vb, raw_written,
       " ".join(f"{k}={v}" for k, v in sorted(kinds.items())),
       f"{len(changed & exp)}/{len(exp)} reported, {len(changed - exp)} false" if name != "cold" else "-",
       "OK" if ok else "WRONG"]
print("\t".join(map(str, row)))
with open(results, "a") as f:
    f.write("\t".join(map(str, row)) + "\n")
PY
}

# idle_run CONFIG LABEL WARMUP_SECONDS
idle_run() {
    local config=$1 label=$2 warmup=$3
    "$POLICYWATCH_BIN" --config "$config" run >"$WORK/out-run.txt" 2>"$WORK/err-run.txt" &
    local pid=$!
    sleep "$warmup"
    local t0 t1
    t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    sleep "$IDLE_SECONDS"
    t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    local rss hwm
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    local threads
    threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status")
    # Resident memory by kind: the program's own file pages, and the heap with the anonymous
    # mappings glibc's thread arenas live in.
    local split
    split=$(python3 - "/proc/$pid/smaps" "$(readlink "/proc/$pid/exe")" <<'PY'
import re, sys
exe = heap = 0
name = None
for line in open(sys.argv[1]):
    m = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$", line)
    if m:
        name = m.group(1)
    elif line.startswith("Rss:"):
        kib = int(line.split()[1])
        if name == sys.argv[2]:
            exe += kib
        elif name in ("", "[heap]"):
            heap += kib
print(f"binary {exe / 1024:.1f}\theap+anon {heap / 1024:.1f}")
PY
)
    kill -TERM "$pid"
    wait "$pid" || true
    local tick
    tick=$(getconf CLK_TCK)
    python3 - "$rss" "$hwm" "$t0" "$t1" "$tick" "$IDLE_SECONDS" "$threads" "$RESULTS" "$label" "$split" <<'PY'
import sys
rss, hwm, t0, t1, tick, secs, threads, results, label, split = sys.argv[1:]
cpu = (int(t1) - int(t0)) / int(tick)
row = ["1000", label, f"{secs}s", f"{cpu:.2f}", f"{cpu / float(secs) * 100:.2f}% of a core",
       f"{int(rss) / 1024:.1f}", f"peak {int(hwm) / 1024:.1f}", f"threads {threads}", *split.split("\t"), "-", "-"]
print("\t".join(row))
open(results, "a").write("\t".join(row) + "\n")
PY
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
: >"$RESULTS"
printf "N\tpass\twall_s\tcpu_s\tcpu_ms_per_page\tpeak_rss_MiB\tdb_growth_KiB\tversions_added\traw_written\tlines\tcorrectness\tverdict\n" | tee -a "$RESULTS"

start_nginx
for n in "${SIZES[@]}"; do
    rm -rf "$WWW/p" "$WORK"/db.sqlite3*
    python3 "$HERE/genpages.py" "$WWW" "$n" base
    write_config "$WORK/config.toml" "$n" "$PORT"
    if [ -z "${IDLE_ONLY:-}" ]; then
        run_pass cold "$n" "$WORK/config.toml" -
        for r in $(seq "$REPEAT"); do run_pass unchanged "$n" "$WORK/config.toml" -; done
        python3 "$HERE/genpages.py" "$WWW" "$n" mutate
        run_pass mutate "$n" "$WORK/config.toml" "$WWW/mutated.txt"
        for r in $(seq "$REPEAT"); do
            python3 "$HERE/genpages.py" "$WWW" "$n" "noise$r"
            run_pass noise "$n" "$WORK/config.toml" -
        done
        # Validators: the first pass against the second port stores them, the second gets 304s.
        write_config "$WORK/config-304.toml" "$n" "$((PORT + 1))"
        "$POLICYWATCH_BIN" --config "$WORK/config-304.toml" check >/dev/null 2>&1 || true
        for r in $(seq "$REPEAT"); do run_pass unchanged-304 "$n" "$WORK/config-304.toml" -; done
    fi
    if [ "$n" -ge 1000 ] && [ -z "${IDLE_DONE:-}" ] && [ "$IDLE_SECONDS" != 0 ]; then
        if [ -z "${IDLE_ONLY:-}" ]; then
            # Idle as started: every target checked recently, nothing to catch up.
            write_config "$WORK/config-idle.toml" 1000 "$PORT"
            idle_run "$WORK/config-idle.toml" "idle run" 15
        fi
        # Idle after a pass: an empty database makes `run` catch up all 1000 targets at start
        # (spread over 3 s); measured once that pass is over.
        rm -f "$WORK"/idle-db.sqlite3*
        write_config "$WORK/config-idle-pass.toml" 1000 "$PORT" "$WORK/idle-db.sqlite3"
        idle_run "$WORK/config-idle-pass.toml" "idle run after a pass" 30
        IDLE_DONE=1
    fi
done

echo
echo "median CPU ms per page (of the runs above; wrong outcomes count as such):"
python3 - "$RESULTS" "${SIZES[@]}" <<'PY'
import statistics, sys
results, sizes = sys.argv[1], set(sys.argv[2:])
runs = {}
for line in open(results):
    f = line.rstrip("\n").split("\t")
    if len(f) < 12 or f[0] not in sizes or f[1].startswith("idle run") or f[0] == "N":
        continue
    runs.setdefault((int(f[0]), f[1]), []).append((float(f[4]), f[11]))
for (n, name), rs in sorted(runs.items()):
    cpu = [c for c, _ in rs]
    ok = all(v == "OK" for _, v in rs)
    print(f"{n}\t{name}\t{statistics.median(cpu):.3f} (min {min(cpu):.3f}, max {max(cpu):.3f}, {len(cpu)} runs)\t{'OK' if ok else 'WRONG'}")
PY
