#!/usr/bin/env bash
# The peer comparison of BENCHMARKS.md: urlwatch 2.29 on the same generated pages, same nginx,
# same protocol (selector #policy, 10 workers: urlwatch's fixed MAX_WORKERS), passes cold,
# unchanged, mutate, noise.
#
#   bench/urlwatch.sh [N]            default N = 1000
#
# Installs urlwatch 2.29, lxml and cssselect into a venv under $WORK (default /tmp/urlwatch-bench).
# Prints: pass, wall s, user s, sys s, peak RSS KiB, and the CHANGED/NEW/ERROR counts.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
N="${1:-1000}"
WORK="${WORK:-/tmp/urlwatch-bench}"
PORT="${PORT:-18080}"
rm -rf "$WORK/www" "$WORK/cache.db" "$WORK/cfg.yaml"
mkdir -p "$WORK/nginx/tmp" "$WORK/www"
[ -x "$WORK/venv/bin/urlwatch" ] || {
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install -q urlwatch==2.29 lxml cssselect
}
printf 'User-agent: *\nAllow: /\n' >"$WORK/www/robots.txt"
python3 "$HERE/genpages.py" "$WORK/www" "$N" base
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $WORK/nginx/tmp;
    proxy_temp_path $WORK/nginx/tmp;
    fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp;
    scgi_temp_path $WORK/nginx/tmp;
    server { listen 127.0.0.1:$PORT; root $WORK/www; etag off; if_modified_since off; }
}
EOF
nginx -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
NGINX=$!
trap 'kill $NGINX 2>/dev/null || true' EXIT
sleep 0.5
python3 - "$N" "$PORT" >"$WORK/urls.yaml" <<'PY'
import sys
n, port = int(sys.argv[1]), int(sys.argv[2])
print("---\n".join("name: p%05d\nurl: http://127.0.0.1:%d/p/%05d.html\nfilter:\n  - css: '#policy'\n  - html2text\n"
                   % (i, port, i) for i in range(n)), end="")
PY
run() {
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$WORK/venv/bin/urlwatch" --urls "$WORK/urls.yaml" \
        --config "$WORK/cfg.yaml" --cache "$WORK/cache.db" --hooks "$WORK/hooks.py" >"$WORK/out-$1.txt" 2>&1 || true
    echo "$1 $(cat "$WORK/time.txt") changed=$(grep -c '^CHANGED' "$WORK/out-$1.txt") new=$(grep -c '^NEW' "$WORK/out-$1.txt") error=$(grep -c '^ERROR' "$WORK/out-$1.txt")"
}
run cold
run unchanged
python3 "$HERE/genpages.py" "$WORK/www" "$N" mutate
run mutate
python3 "$HERE/genpages.py" "$WORK/www" "$N" noise
run noise
