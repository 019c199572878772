#!/usr/bin/env bash
# Load benchmark of kkig side by side with nginx serving the same bytes as static files.
#
#   bench/load.sh [--record]
#
# For GET /api/v1/municipalities and GET /, wrk (64 connections, 2 threads, --latency) runs
# for DURATION against kkig and against nginx, in this one run on this machine. Prints
# requests/s, p99 latency and the ratio kkig/nginx of throughput; the goal is a ratio >= 0.5.
# Then every public page computed from many rows (the forecast, its map, a cluster, a
# municipality's forecast, "vem gör vad", search, a pathway, the regional table) is loaded the
# same way and compared with kkig's start page in this run: the goal is >= 0.2 x its requests/s.
# Last, GET /health is measured (4 connections) while GET /prognos is under full load: the goal
# is a p99 under 20 ms.
# With --record the results are appended to bench/results.md (kkig beside nginx) and
# bench/public-pages.md (public pages beside the start page, /health under load).
#
# Environment:
#   KKIG_BIN     kkig binary (default target/release/kkig; built with cargo if missing)
#   DURATION     wrk duration per measurement (default 10s)
#   WARMUP       unmeasured wrk run before each measurement (default 1s; 0 to skip)
#   CONNECTIONS  wrk connections (default 64)
#   THREADS      wrk threads (default 2)
# Everything listens on 127.0.0.1 only; all processes and temp files go away on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RECORD=0
for arg in "$@"; do
  case "$arg" in
    --record) RECORD=1 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "load.sh: unknown argument: $arg (usage: bench/load.sh [--record])" >&2; exit 2 ;;
  esac
done

KKIG_BIN="${KKIG_BIN:-target/release/kkig}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-1s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
TARGETS=("/api/v1/municipalities" "/")
RATIO_GOAL="0.5"
# Public pages computed from many rows (demo data is deterministic: these exist).
PUBLIC_PAGES=(
  "/prognos"
  "/prognos/karta"
  "/prognos/kluster/lappland"
  "/prognos/kommun/2422/2343"
  "/vfu/kommun/2422/vem-gor-vad"
  "/utbildning?q=sjuksk%C3%B6terska"
  "/utbildning/bli/larare/2422"
  "/utbildning/regionen"
)
PUBLIC_GOAL="0.2"
HEALTH_GOAL_MS="20"

log() { printf '%s\n' "load.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------
export PATH="$PATH:/usr/sbin:/sbin"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${missing[@]}" >/dev/null; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

if [[ ! -x "$KKIG_BIN" ]]; then
  [[ "$KKIG_BIN" == "target/release/kkig" ]] || die "KKIG_BIN=$KKIG_BIN is not an executable"
  log "building $KKIG_BIN"
  cargo build --release -p kkig-cli
fi
KKIG_BIN="$(cd "$(dirname "$KKIG_BIN")" && pwd)/$(basename "$KKIG_BIN")"

# --- processes and cleanup -------------------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/kkig-bench.XXXXXX")"
KKIG_PID=""
NGINX_PID=""
stop_pid() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "${WRK_PID:-}"
  stop_pid "$KKIG_PID"
  stop_pid "$NGINX_PID"
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port on 127.0.0.1 that nothing answers on right now.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

# Waits until GET $1 answers 200 or $2 seconds pass; $3 is the pid that must stay alive.
wait_ok() {
  local url="$1" timeout="$2" pid="$3" name="$4" log="$5"
  local deadline=$((SECONDS + timeout))
  until curl -sf -o /dev/null --max-time 2 "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited before answering $url; its log:"
      cat "$log" >&2
      exit 1
    fi
    if ((SECONDS > deadline)); then
      log "$name did not answer $url within ${timeout}s; its log:"
      cat "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
}

KKIG_PORT="$(free_port)"
KKIG_URL="http://127.0.0.1:$KKIG_PORT"
log "starting kkig on $KKIG_URL ($KKIG_BIN)"
(cd "$TMP" && RUST_LOG=warn exec "$KKIG_BIN" serve --demo --addr "127.0.0.1:$KKIG_PORT" \
  --database-url "sqlite://$TMP/bench.db" >"$TMP/kkig.log" 2>&1) &
KKIG_PID=$!
wait_ok "$KKIG_URL/health" 60 "$KKIG_PID" kkig "$TMP/kkig.log"

# --- the same bytes as static files ------------------------------------------------------------------
mkdir -p "$TMP/www" "$TMP/nginx"
static_name() { # target path -> file name under www/
  case "$1" in
    /) echo "index.html" ;;
    *) echo "${1#/}" | tr '/' '_' | sed 's/$/.json/' ;;
  esac
}
declare -A SIZE
for page in "${PUBLIC_PAGES[@]}"; do
  code="$(curl -s -o /dev/null -w '%{http_code}' "$KKIG_URL$page")"
  [[ "$code" == 200 ]] || die "GET $page on kkig answered $code, expected 200"
done
for target in "${TARGETS[@]}"; do
  file="$TMP/www/$(static_name "$target")"
  code="$(curl -s -o "$file" -w '%{http_code}' "$KKIG_URL$target")"
  [[ "$code" == 200 ]] || die "GET $target on kkig answered $code, expected 200"
  SIZE[$target]="$(stat -c %s "$file")"
  log "GET $target: ${SIZE[$target]} bytes"
done

NGINX_PORT="$(free_port)"
while [[ "$NGINX_PORT" == "$KKIG_PORT" ]]; do NGINX_PORT="$(free_port)"; done
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
USER_LINE=""
[[ "$(id -u)" == 0 ]] && USER_LINE="user root;"
cat >"$TMP/nginx/nginx.conf" <<EOF
# Written by bench/load.sh for one run; nothing of the system's nginx is used.
$USER_LINE
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; application/json json; }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $TMP/nginx/client_body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $TMP/www;
  }
}
EOF
log "starting nginx on $NGINX_URL"
nginx -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
wait_ok "$NGINX_URL/$(static_name "${TARGETS[0]}")" 20 "$NGINX_PID" nginx "$TMP/nginx/error.log"
for target in "${TARGETS[@]}"; do
  size="$(curl -s -o /dev/null -w '%{size_download}' "$NGINX_URL/$(static_name "$target")")"
  [[ "$size" == "${SIZE[$target]}" ]] || die "nginx served $size bytes for $target, expected ${SIZE[$target]}"
done

# --- measure -----------------------------------------------------------------------------------------
WRK_PID=""
# Runs wrk against $1 with the given extra options, output to $TMP/wrk.out; interruptible.
run_wrk() {
  local url="$1"; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" "$@" "$url" >"$TMP/wrk.out" 2>&1 &
  WRK_PID=$!
  local rc=0
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  ((rc == 0)) || { cat "$TMP/wrk.out" >&2; die "wrk failed against $url (exit $rc)"; }
}

# Measures $1: sets RPS (requests/s) and P99 (99th percentile latency in ms).
measure() {
  local url="$1" parsed
  if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then
    run_wrk "$url" -d"$WARMUP"
  fi
  run_wrk "$url" -d"$DURATION" --latency
  cat "$TMP/wrk.out" >>"$TMP/wrk.log"
  if grep -q 'Non-2xx or 3xx responses' "$TMP/wrk.out"; then
    cat "$TMP/wrk.out" >&2
    die "$url answered errors under load"
  fi
  parsed="$(awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" {
      v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
      if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
      p99 = v
    }
    END {
      if (rps == "" || p99 == "") exit 1
      printf "%.0f %.2f\n", rps, p99
    }' "$TMP/wrk.out")" || { cat "$TMP/wrk.out" >&2; die "could not parse wrk output for $url"; }
  read -r RPS P99 <<<"$parsed"
}

log "wrk: $CONNECTIONS connections, $THREADS threads, $DURATION per run (warm-up $WARMUP), $(nproc) CPUs"
declare -A K_RPS K_P99 N_RPS N_P99 RATIO
GOAL_MET=1
for target in "${TARGETS[@]}"; do
  log "GET $target: kkig"
  measure "$KKIG_URL$target"
  K_RPS[$target]="$RPS" K_P99[$target]="$P99"
  log "GET $target: nginx"
  measure "$NGINX_URL/$(static_name "$target")"
  N_RPS[$target]="$RPS" N_P99[$target]="$P99"
  RATIO[$target]="$(awk -v k="${K_RPS[$target]}" -v n="${N_RPS[$target]}" 'BEGIN { printf "%.2f", (n > 0 ? k / n : 0) }')"
  awk -v r="${RATIO[$target]}" -v g="$RATIO_GOAL" 'BEGIN { exit !(r >= g) }' || GOAL_MET=0
done

declare -A P_RPS P_P99 P_SIZE P_RATIO
START_RPS="${K_RPS[/]}"
PUBLIC_MET=1
for page in "${PUBLIC_PAGES[@]}"; do
  log "GET $page: kkig"
  P_SIZE[$page]="$(curl -s -o /dev/null -w '%{size_download}' "$KKIG_URL$page")"
  measure "$KKIG_URL$page"
  P_RPS[$page]="$RPS" P_P99[$page]="$P99"
  P_RATIO[$page]="$(awk -v k="$RPS" -v n="$START_RPS" 'BEGIN { printf "%.2f", (n > 0 ? k / n : 0) }')"
  awk -v r="${P_RATIO[$page]}" -v g="$PUBLIC_GOAL" 'BEGIN { exit !(r >= g) }' || PUBLIC_MET=0
done

# /health on 4 connections while /prognos is loaded on $CONNECTIONS.
log "GET /health during GET /prognos load"
HEALTH_CONNECTIONS=4
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "$KKIG_URL/prognos" >"$TMP/wrk-bg.out" 2>&1 &
WRK_PID=$!
sleep 0.5
run_wrk_health() {
  wrk -t1 -c"$HEALTH_CONNECTIONS" -d"$1" --latency "$KKIG_URL/health" >"$TMP/wrk.out" 2>&1
}
secs="${DURATION%s}"
run_wrk_health "$((secs > 2 ? secs - 1 : 1))s" || { cat "$TMP/wrk.out" >&2; die "wrk failed against /health"; }
wait "$WRK_PID" || { cat "$TMP/wrk-bg.out" >&2; die "wrk failed against /prognos"; }
WRK_PID=""
if grep -q 'Non-2xx or 3xx responses' "$TMP/wrk.out" "$TMP/wrk-bg.out"; then
  cat "$TMP/wrk.out" "$TMP/wrk-bg.out" >&2
  die "errors under load while measuring /health"
fi
HEALTH_P99="$(awk '
  $1 == "99%" {
    v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
    if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
    printf "%.2f\n", v
  }' "$TMP/wrk.out")"
HEALTH_RPS="$(awk '/Requests\/sec:/ { printf "%.0f\n", $2 }' "$TMP/wrk.out")"
BG_RPS="$(awk '/Requests\/sec:/ { printf "%.0f\n", $2 }' "$TMP/wrk-bg.out")"
[[ -n "$HEALTH_P99" && -n "$HEALTH_RPS" && -n "$BG_RPS" ]] || { cat "$TMP/wrk.out" >&2; die "could not parse wrk output for /health"; }
HEALTH_MET=1
awk -v p="$HEALTH_P99" -v g="$HEALTH_GOAL_MS" 'BEGIN { exit !(p < g) }' || HEALTH_MET=0

# --- report ------------------------------------------------------------------------------------------
echo
row() { printf '| %-28s | %8s | %10s | %10s | %11s | %10s | %10s |\n' "$@"; }
row target bytes "kkig req/s" "kkig p99" "nginx req/s" "nginx p99" kkig/nginx
row "$(printf -- '-%.0s' {1..28})" -------- ---------- ---------- ----------- ---------- ----------
for target in "${TARGETS[@]}"; do
  row "GET $target" "${SIZE[$target]}" "${K_RPS[$target]}" "${K_P99[$target]} ms" \
    "${N_RPS[$target]}" "${N_P99[$target]} ms" "${RATIO[$target]}"
done
echo
if ((GOAL_MET)); then
  echo "Goal met: kkig >= $RATIO_GOAL x nginx throughput on every target."
else
  echo "Goal NOT met: kkig < $RATIO_GOAL x nginx throughput on at least one target."
fi

echo
prow() { printf '| %-36s | %8s | %10s | %10s | %12s |\n' "$@"; }
prow target bytes "kkig req/s" "kkig p99" "÷ start page"
prow "$(printf -- '-%.0s' {1..36})" -------- ---------- ---------- ------------
for page in "${PUBLIC_PAGES[@]}"; do
  prow "GET $page" "${P_SIZE[$page]}" "${P_RPS[$page]}" "${P_P99[$page]} ms" "${P_RATIO[$page]}"
done
echo
if ((PUBLIC_MET)); then
  echo "Goal met: every public page >= $PUBLIC_GOAL x the start page's throughput ($START_RPS req/s)."
else
  echo "Goal NOT met: a public page < $PUBLIC_GOAL x the start page's throughput ($START_RPS req/s)."
fi
echo "GET /health during GET /prognos load ($BG_RPS req/s): p99 $HEALTH_P99 ms, $HEALTH_RPS req/s on $HEALTH_CONNECTIONS connections."
if ((HEALTH_MET)); then
  echo "Goal met: /health p99 < $HEALTH_GOAL_MS ms under load."
else
  echo "Goal NOT met: /health p99 >= $HEALTH_GOAL_MS ms under load."
fi

if ((RECORD)); then
  results="$ROOT/bench/results.md"
  if [[ ! -s "$results" ]]; then
    cat >"$results" <<'EOF'
# Load benchmark results

Appended by `bench/load.sh --record`, one row per target and run. wrk with 64 connections and
2 threads on the same machine as the servers; nginx serves the same bytes as a static file.

| date (UTC) | commit | binary | CPUs | duration | target | kkig req/s | kkig p99 ms | nginx req/s | nginx p99 ms | kkig/nginx |
|---|---|---|---|---|---|---|---|---|---|---|
EOF
  fi
  date_utc="$(date -u +%Y-%m-%dT%H:%MZ)"
  commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
  if [[ -n "$(git -C "$ROOT" status --porcelain -- crates Cargo.toml Cargo.lock 2>/dev/null)" ]]; then
    commit="$commit+dirty"
  fi
  binary="${KKIG_BIN#"$ROOT"/}"
  for target in "${TARGETS[@]}"; do
    printf '| %s | %s | %s | %s | %s | `GET %s` | %s | %s | %s | %s | %s |\n' \
      "$date_utc" "$commit" "$binary" "$(nproc)" "$DURATION" "$target" \
      "${K_RPS[$target]}" "${K_P99[$target]}" "${N_RPS[$target]}" "${N_P99[$target]}" \
      "${RATIO[$target]}" >>"$results"
  done
  public="$ROOT/bench/public-pages.md"
  if [[ ! -s "$public" ]]; then
    cat >"$public" <<'EOF'
# Public pages beside the start page

Appended by `bench/load.sh --record`: each public page computed from many rows, loaded by wrk
(64 connections, 2 threads) in the same run as kkig's start page; the goal is at least 0.2 ×
the start page's requests/s. The last row of each run is `GET /health` (4 connections) while
`GET /prognos` is under full load; the goal is a p99 under 20 ms.

| date (UTC) | commit | binary | CPUs | duration | target | bytes | req/s | p99 ms | ÷ start page |
|---|---|---|---|---|---|---|---|---|---|
EOF
  fi
  for page in "${PUBLIC_PAGES[@]}"; do
    printf '| %s | %s | %s | %s | %s | `GET %s` | %s | %s | %s | %s |\n' \
      "$date_utc" "$commit" "$binary" "$(nproc)" "$DURATION" "$page" "${P_SIZE[$page]}" \
      "${P_RPS[$page]}" "${P_P99[$page]}" "${P_RATIO[$page]}" >>"$public"
  done
  printf '| %s | %s | %s | %s | %s | `GET /health` during `GET /prognos` (%s req/s) | – | %s | %s | – |\n' \
    "$date_utc" "$commit" "$binary" "$(nproc)" "$DURATION" "$BG_RPS" "$HEALTH_RPS" "$HEALTH_P99" >>"$public"
  log "recorded in ${results#"$ROOT"/} and ${public#"$ROOT"/}"
fi
