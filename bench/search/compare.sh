#!/usr/bin/env bash
# kkig catalogue search side by side with PostgreSQL full-text search, on the same data, in
# one run on this machine.
#
#   bench/search/compare.sh [--record]
#
# 1. Generates N offerings (the benchmark's generator, KKIG_BENCH_DUMP) and converts them with
#    convert.py into a CSV for `kkig import offerings` and one for PostgreSQL (unknown
#    municipalities are moved to the nearest known one, for both engines; see mapping).
# 2. kkig: fresh SQLite database, times `kkig import offerings` (parse + validation + write),
#    starts `kkig serve`, times the first search (the index is built on it), checks every query
#    of the comparison set (queries.txt), then runs wrk (THREADS threads, CONNECTIONS and
#    EXTRA_CONNECTIONS connections, --latency) cycling through Q01–Q12 (wrk-queries.lua), and
#    each query alone on one connection for QUERY_DURATION.
# 3. PostgreSQL (PG_HOST:PG_PORT, user PG_USER, its own database PG_DB, dropped on exit): the
#    `swedish` tsvector + GIN schema of README.md (pg/schema.sql, pg/indexes.sql), then each
#    query pg/qNN.sql under pgbench (1 client, prepared, PG_SECONDS each), p50/mean from the
#    per-transaction log, and the total each engine finds.
# 4. kkig in-process: the benchmark's own summary (p50 of 2,000 runs per query).
# Prints a Markdown report with the goals (HTTP p99 < 10 ms at 64 connections; faster than
# PostgreSQL for the same queries) marked met or not met. --record appends it to
# bench/search/results.md. It does not fail when a goal is not met.
#
# Environment:
#   KKIG_BIN           kkig binary (default target/release/kkig; rebuilt with cargo when
#                      missing or older than crates/)
#   N                  offerings (default 100000)
#   DURATION           wrk duration of the load runs (default 10s)
#   WARMUP             unmeasured wrk run before them (default 1s; 0 to skip)
#   CONNECTIONS        wrk connections of the main run (default 64)
#   EXTRA_CONNECTIONS  connections of a second run, for context (default 16; empty to skip)
#   THREADS            wrk threads (default 2)
#   QUERY_DURATION     per-query wrk run on 1 connection (default 2s; 0 to skip)
#   PG_HOST PG_PORT PG_USER PG_DB   PostgreSQL (default 127.0.0.1 5432 postgres
#                      kkig_bench_search; the database must not exist yet)
#   PG_SECONDS         pgbench duration per query (default 5)
#   INPROCESS          1 runs the in-process summary (default 1; 0 leaves the column out)
# Everything listens on and connects to 127.0.0.1 only; all processes, temp files and the
# PostgreSQL database it created go away on exit, also on Ctrl-C.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

RECORD=0
for arg in "$@"; do
  case "$arg" in
    --record) RECORD=1 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$HERE/compare.sh"; exit 0 ;;
    *) echo "compare.sh: unknown argument: $arg (usage: bench/search/compare.sh [--record])" >&2; exit 2 ;;
  esac
done

KKIG_BIN="${KKIG_BIN:-target/release/kkig}"
N="${N:-100000}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-1s}"
CONNECTIONS="${CONNECTIONS:-64}"
EXTRA_CONNECTIONS="${EXTRA_CONNECTIONS-16}"
THREADS="${THREADS:-2}"
QUERY_DURATION="${QUERY_DURATION:-2s}"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
PG_DB="${PG_DB:-kkig_bench_search}"
PG_SECONDS="${PG_SECONDS:-5}"
INPROCESS="${INPROCESS:-1}"
P99_GOAL_MS=10

log() { printf '%s\n' "compare.sh: $*" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
secs() { # "10s", "2m", "500ms" or a bare number -> seconds
  awk -v d="$1" 'BEGIN { v = d; sub(/[a-z]+$/, "", v); u = d; sub(/^[0-9.]+/, "", u)
    if (u == "m") v *= 60; else if (u == "h") v *= 3600; else if (u == "ms") v /= 1000; print v }'
}
[[ "$PG_DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "PG_DB=$PG_DB: use lower-case letters, digits and _"

# --- tools ---------------------------------------------------------------------------------------
export PATH="$PATH:/usr/sbin:/sbin"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v pgbench >/dev/null || missing+=(postgresql-contrib)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${missing[@]}" >/dev/null; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
command -v python3 >/dev/null || die "python3 is needed (convert.py, cpu-window.py)"

if [[ "$KKIG_BIN" == "target/release/kkig" ]]; then
  if [[ ! -x "$KKIG_BIN" || -n "$(find crates Cargo.toml Cargo.lock -newer "$KKIG_BIN" -print -quit)" ]]; then
    log "building $KKIG_BIN (cargo build --release -p kkig-cli)"
    cargo build --release -p kkig-cli
  fi
fi
[[ -x "$KKIG_BIN" ]] || die "KKIG_BIN=$KKIG_BIN is not an executable"
KKIG_BIN="$(cd "$(dirname "$KKIG_BIN")" && pwd)/$(basename "$KKIG_BIN")"

log "building the kkig-search benchmark (cargo bench -p kkig-search --no-run)"
BENCH_EXE="$(cargo bench -p kkig-search --no-run --message-format=json | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "search" and m.get("executable"):
        print(m["executable"])
')" || true
[[ -n "$BENCH_EXE" && -x "$BENCH_EXE" ]] || die "could not build the kkig-search benchmark; run: cargo bench -p kkig-search --no-run"

# --- processes and cleanup -----------------------------------------------------------------------
PSQL=(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -X -q -v ON_ERROR_STOP=1)
TMP="$(mktemp -d "${TMPDIR:-/tmp}/kkig-search-compare.XXXXXX")"
KKIG_PID=""
WRK_PID=""
CPU_PID=""
PG_CREATED=0
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
  stop_pid "$WRK_PID"
  stop_pid "$CPU_PID"
  stop_pid "$KKIG_PID"
  if ((PG_CREATED)); then
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 ||
      log "could not drop database $PG_DB; drop it by hand"
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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

pg_db_exists() { [[ -n "$("${PSQL[@]}" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" ]]; }
# Before spending minutes on kkig: PostgreSQL must answer and the database must not exist.
"${PSQL[@]}" -d postgres -Atc "SELECT 1" >/dev/null || die "cannot connect to PostgreSQL at $PG_HOST:$PG_PORT as $PG_USER"
! pg_db_exists || die "database $PG_DB exists already (a run in progress, or left over: DROP DATABASE $PG_DB); or set PG_DB"

LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. data -------------------------------------------------------------------------------------
log "generating $N offerings (KKIG_BENCH_DUMP)"
KKIG_BENCH_N="$N" KKIG_BENCH_DUMP="$TMP/dump" "$BENCH_EXE" --bench nothing >"$TMP/dump.log" 2>&1 ||
  { cat "$TMP/dump.log" >&2; die "the data export failed"; }
python3 "$HERE/convert.py" "$TMP/dump" "$TMP/data" >"$TMP/convert.log" ||
  { cat "$TMP/convert.log" >&2; die "convert.py failed"; }
MOVED_LINE="$(head -n1 "$TMP/data/mapping.txt")"
log "$MOVED_LINE"

# --- 2. kkig -------------------------------------------------------------------------------------
KKIG_DB="sqlite://$TMP/kkig.db"
kkig() { (cd "$TMP" && RUST_LOG=warn "$KKIG_BIN" --database-url "$KKIG_DB" "$@"); }
kkig import travel "$TMP/data/travel.csv" >"$TMP/import-travel.log" 2>&1 ||
  { cat "$TMP/import-travel.log" >&2; die "kkig import travel failed"; }
log "kkig import offerings ($N rows)"
t="$(now)"
kkig import offerings "$TMP/data/kkig-offerings.csv" >"$TMP/import.log" 2>&1 ||
  { tail -n 20 "$TMP/import.log" >&2; die "kkig import offerings failed"; }
IMPORT_S="$(since "$t")"
grep -q " $N created" "$TMP/import.log" || { cat "$TMP/import.log" >&2; die "kkig did not create $N offerings"; }
log "import: $IMPORT_S s ($(tail -n1 "$TMP/import.log"))"

PORT="$(free_port)"
URL="http://127.0.0.1:$PORT"
mapfile -t QNAMES < <(awk '/^Q[0-9]+ / { print $1 }' "$HERE/queries.txt")
declare -A QPATH
while read -r name path; do QPATH[$name]="$path"; done < <(awk '/^Q[0-9]+ / { print $1, $2 }' "$HERE/queries.txt")

log "starting kkig serve on $URL"
t="$(now)"
(cd "$TMP" && RUST_LOG=warn exec "$KKIG_BIN" --database-url "$KKIG_DB" serve --addr "127.0.0.1:$PORT" \
  >"$TMP/kkig.log" 2>&1) &
KKIG_PID=$!
deadline=$((SECONDS + 120))
until curl -sf -o /dev/null --max-time 2 "$URL/health"; do
  kill -0 "$KKIG_PID" 2>/dev/null || { cat "$TMP/kkig.log" >&2; die "kkig serve exited"; }
  ((SECONDS < deadline)) || { cat "$TMP/kkig.log" >&2; die "kkig did not answer /health"; }
  sleep 0.05
done
READY_S="$(since "$t")"
# The index is built by the first search; time it from the start of the server.
code="$(curl -s -o "$TMP/first.json" -w '%{http_code}' --max-time 300 "$URL${QPATH[Q01]}")"
FIRST_S="$(since "$t")"
[[ "$code" == 200 ]] || { cat "$TMP/first.json" >&2; die "the first search answered $code"; }
RSS_MB="$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$KKIG_PID/status")"
log "kkig: /health after $READY_S s, first search answered after $FIRST_S s, RSS $RSS_MB MB"

declare -A K_TOTAL
for q in "${QNAMES[@]}"; do
  code="$(curl -s -o "$TMP/$q.json" -w '%{http_code}' "$URL${QPATH[$q]}")"
  [[ "$code" == 200 ]] || { cat "$TMP/$q.json" >&2; die "$q (${QPATH[$q]}) answered $code"; }
  K_TOTAL[$q]="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["total"])' "$TMP/$q.json")"
done

# Runs wrk; output in $TMP/wrk.out. Extra arguments after the URL go to the Lua script.
run_wrk() {
  local threads="$1" conns="$2" dur="$3"; shift 3
  wrk -t"$threads" -c"$conns" -d"$dur" --latency -s "$HERE/wrk-queries.lua" "$URL" -- "$HERE/queries.txt" "$@" \
    >"$TMP/wrk.out" 2>&1 &
  WRK_PID=$!
  local rc=0
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  ((rc == 0)) || { cat "$TMP/wrk.out" >&2; die "wrk failed (exit $rc)"; }
  cat "$TMP/wrk.out" >>"$TMP/wrk.log"
  if grep -q 'Non-2xx or 3xx responses' "$TMP/wrk.out"; then
    cat "$TMP/wrk.out" >&2
    die "kkig answered errors under load"
  fi
}
# Parses $TMP/wrk.out: "req/s p50_ms p99_ms max_ms socket_errors".
parse_wrk() {
  awk '
    function ms(v,   unit) { unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
      if (unit == "us") return v / 1000; if (unit == "s") return v * 1000; if (unit == "m") return v * 60000; return v }
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Latency" && $2 != "Distribution" { max = ms($4) }
    /Socket errors/ { err = $0; sub(/^ *Socket errors: */, "", err) }
    END { if (rps == "" || p99 == "") exit 1
      printf "%.0f %.2f %.2f %.2f %s\n", rps, p50, p99, max, (err == "" ? "none" : err) }' "$TMP/wrk.out" ||
    { cat "$TMP/wrk.out" >&2; die "could not parse the wrk output"; }
}

# One load run on $1 connections: sets L_RPS L_P50 L_P99 L_MAX L_ERR L_CPU.
load_run() {
  local conns="$1" dur_s delay window
  if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then run_wrk "$THREADS" "$conns" "$WARMUP"; fi
  # The CPU picture of the middle of the run (1 s off each end, less for short runs).
  dur_s="$(secs "$DURATION")"
  delay="$(awk -v d="$dur_s" 'BEGIN { print (d / 4 < 1 ? d / 4 : 1) }')"
  window="$(awk -v d="$dur_s" -v e="$delay" 'BEGIN { print d - 2 * e }')"
  python3 "$HERE/cpu-window.py" "$delay" "$window" >"$TMP/cpu.out" 2>&1 &
  CPU_PID=$!
  run_wrk "$THREADS" "$conns" "$DURATION"
  wait "$CPU_PID" 2>/dev/null || true
  CPU_PID=""
  local parsed
  parsed="$(parse_wrk)" || exit 1
  read -r L_RPS L_P50 L_P99 L_MAX L_ERR <<<"$parsed"
  L_CPU="$(cat "$TMP/cpu.out")"
}

log "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION, Q01–Q12 round robin"
load_run "$CONNECTIONS"
RPS="$L_RPS" P50="$L_P50" P99="$L_P99" MAXL="$L_MAX" ERRS="$L_ERR" CPU="$L_CPU"
log "  $RPS req/s, p50 $P50 ms, p99 $P99 ms; CPU: $CPU"
if [[ -n "$EXTRA_CONNECTIONS" ]]; then
  log "wrk: $THREADS threads, $EXTRA_CONNECTIONS connections, $DURATION"
  load_run "$EXTRA_CONNECTIONS"
  X_RPS="$L_RPS" X_P50="$L_P50" X_P99="$L_P99" X_MAX="$L_MAX" X_ERRS="$L_ERR" X_CPU="$L_CPU"
  log "  $X_RPS req/s, p50 $X_P50 ms, p99 $X_P99 ms; CPU: $X_CPU"
fi

declare -A K_HTTP
if [[ "$QUERY_DURATION" != 0 && "$QUERY_DURATION" != 0s ]]; then
  log "wrk: each query alone, 1 connection, $QUERY_DURATION"
  for q in "${QNAMES[@]}"; do
    run_wrk 1 1 "$QUERY_DURATION" "$q"
    parsed="$(parse_wrk)" || exit 1
    read -r _ p50 _ _ _ <<<"$parsed"
    K_HTTP[$q]="$(awk -v v="$p50" 'BEGIN { printf "%.0f", v * 1000 }')"
  done
fi
stop_pid "$KKIG_PID"
KKIG_PID=""

# --- 3. PostgreSQL -------------------------------------------------------------------------------
PG_VERSION="$("${PSQL[@]}" -d postgres -Atc "SHOW server_version" | cut -d' ' -f1)"
! pg_db_exists || die "database $PG_DB exists already (created by another run meanwhile?); set PG_DB"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $PG_DB" >/dev/null
PG_CREATED=1
log "PostgreSQL $PG_VERSION: loading $N offerings into $PG_DB"
t="$(now)"
"${PSQL[@]}" -d "$PG_DB" -f "$HERE/pg/schema.sql" <"$TMP/data/pg-offerings.csv"
"${PSQL[@]}" -d "$PG_DB" -c "\\copy travel FROM pstdin WITH (FORMAT csv, DELIMITER ';', HEADER true)" <"$TMP/data/travel.csv"
PG_LOAD_S="$(since "$t")"
t="$(now)"
"${PSQL[@]}" -d "$PG_DB" -f "$HERE/pg/indexes.sql"
PG_INDEX_S="$(since "$t")"
PG_SIZE="$("${PSQL[@]}" -d "$PG_DB" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")"
log "PostgreSQL: load $PG_LOAD_S s, indexes + VACUUM ANALYZE $PG_INDEX_S s, $PG_SIZE"

declare -A PG_TOTAL PG_P50 PG_MEAN PG_N
for q in "${QNAMES[@]}"; do
  f="$HERE/pg/$(tr 'Q' 'q' <<<"$q").sql"
  [[ -f "$f" ]] || die "no $f"
  body="$(sed '$d' "$f" | grep -v '^--')"
  PG_TOTAL[$q]="$("${PSQL[@]}" -d "$PG_DB" -Atc "SELECT count(*) FROM ($body) s")"
  mkdir -p "$TMP/pgbench/$q"
  (cd "$TMP/pgbench/$q" && pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -c 1 -j 1 -M prepared \
    -T "$PG_SECONDS" -f "$f" -l --log-prefix=tx "$PG_DB" >out.txt 2>&1) ||
    { cat "$TMP/pgbench/$q/out.txt" >&2; die "pgbench failed on $f"; }
  read -r PG_N[$q] PG_P50[$q] PG_MEAN[$q] <<<"$(cat "$TMP/pgbench/$q"/tx.* | python3 -c '
import statistics, sys
us = sorted(int(line.split()[2]) for line in sys.stdin if line.strip())
print(len(us), us[len(us) // 2] if len(us) % 2 else (us[len(us) // 2 - 1] + us[len(us) // 2]) // 2, round(statistics.mean(us)))
')"
  log "  $q: PostgreSQL p50 ${PG_P50[$q]} µs over ${PG_N[$q]} runs, total ${PG_TOTAL[$q]} (kkig ${K_TOTAL[$q]})"
done
"${PSQL[@]}" -d postgres -c "DROP DATABASE $PG_DB WITH (FORCE)" >/dev/null
PG_CREATED=0

# --- 4. kkig in-process ----------------------------------------------------------------------------
declare -A K_INPROC K_FIRST
if [[ "$INPROCESS" == 1 ]]; then
  log "kkig in-process summary (KKIG_BENCH_N=$N cargo bench -p kkig-search -- nothing)"
  KKIG_BENCH_N="$N" "$BENCH_EXE" --bench nothing >"$TMP/inprocess.log" 2>&1 ||
    { cat "$TMP/inprocess.log" >&2; die "the in-process summary failed"; }
  # Columns: … p50, p99, max, first-use p50 (the words not kept yet).
  while read -r q p50 first; do K_INPROC[$q]="$p50"; K_FIRST[$q]="$first"; done < <(awk '/^Q[0-9]+ / { print $1, $(NF - 3), $NF }' "$TMP/inprocess.log")
  BUILD_LINE="$(grep -o 'build [0-9.]* s' "$TMP/inprocess.log" || true)"
fi

# --- report ----------------------------------------------------------------------------------------
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
if [[ -n "$(git -C "$ROOT" status --porcelain -- crates Cargo.toml Cargo.lock 2>/dev/null)" ]]; then
  commit="$commit+dirty"
fi
ratio() { awk -v pg="$1" -v k="$2" 'BEGIN { if (k == "" || k <= 0 || pg == "") print "–"; else printf "%.1f", pg / k }'; }
fmt() { # 12345 -> 12,345; empty -> –
  awk -v v="$1" 'BEGIN { if (v == "") { print "–"; exit } s = sprintf("%.0f", v); out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } print s out }'
}
REPORT="$TMP/report.md"
{
  echo "### $(date -u +%Y-%m-%dT%H:%MZ) · commit $commit · $(nproc) CPUs · load average before $LOADAVG_BEFORE"
  echo
  moved="${MOVED_LINE#*offerings; }"
  echo "- Data: $(fmt "$N") generated offerings (seed 2026); ${moved%:} (bench/search/convert.py, for both engines)."
  echo "- kkig: \`kkig import offerings\` (parse + validation + write, fresh SQLite) **$IMPORT_S s**;" \
    "\`serve\` answers /health after $READY_S s; first search (builds the index) answered after **$FIRST_S s**;" \
    "RSS afterwards $RSS_MB MB.${BUILD_LINE:+ In-process index $BUILD_LINE.}"
  echo "- PostgreSQL $PG_VERSION (default configuration): load $PG_LOAD_S s, GIN and B-tree indexes +" \
    "VACUUM ANALYZE $PG_INDEX_S s, database $PG_SIZE; pgbench 1 client, prepared, ${PG_SECONDS} s per query over TCP loopback."
  echo
  echo "| query | kkig total | PG total | kkig in-process p50 µs | kkig first use p50 µs | kkig HTTP p50 µs (1 conn) | PG p50 µs | PG mean µs | PG runs | PG/kkig in-process | PG/kkig first use | PG/kkig HTTP |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  FASTER=0 FASTER_HTTP=0 SLOWER=() SLOWER_HTTP=() BOTH=0 FASTER_BOTH=0
  for q in "${QNAMES[@]}"; do
    r="$(ratio "${PG_P50[$q]}" "${K_INPROC[$q]:-}")"
    rh="$(ratio "${PG_P50[$q]}" "${K_HTTP[$q]:-}")"
    rf="$(ratio "${PG_P50[$q]}" "${K_FIRST[$q]:-}")"
    if [[ "$r" != "–" ]]; then
      if awk -v r="${PG_P50[$q]}" -v k="${K_INPROC[$q]}" 'BEGIN { exit !(r > k) }'; then
        FASTER=$((FASTER + 1))
        ((PG_TOTAL[$q] > 0)) && FASTER_BOTH=$((FASTER_BOTH + 1))
      else
        SLOWER+=("$q (PG $(fmt "${PG_P50[$q]}") µs for $(fmt "${PG_TOTAL[$q]}") hits, kkig $(fmt "${K_INPROC[$q]}") µs for $(fmt "${K_TOTAL[$q]}"))")
      fi
      ((PG_TOTAL[$q] > 0)) && BOTH=$((BOTH + 1))
    fi
    if [[ "$rh" != "–" ]]; then
      if awk -v r="${PG_P50[$q]}" -v k="${K_HTTP[$q]}" 'BEGIN { exit !(r > k) }'; then FASTER_HTTP=$((FASTER_HTTP + 1)); else SLOWER_HTTP+=("$q"); fi
    fi
    echo "| $q | $(fmt "${K_TOTAL[$q]}") | $(fmt "${PG_TOTAL[$q]}") | ${K_INPROC[$q]:-–} | ${K_FIRST[$q]:-–} | $(fmt "${K_HTTP[$q]:-}") | $(fmt "${PG_P50[$q]}") | $(fmt "${PG_MEAN[$q]}") | ${PG_N[$q]} | $r | $rf | $rh |"
  done
  echo
  echo "HTTP load, \`GET /api/v1/offerings\` cycling through Q01–Q12, wrk $THREADS threads, $DURATION, on the same 2 cores as kkig:"
  echo
  echo "| connections | req/s | p50 ms | p99 ms | max ms | socket errors | CPU during the run (cores) |"
  echo "|---:|---:|---:|---:|---:|---|---|"
  echo "| $CONNECTIONS | $RPS | $P50 | $P99 | $MAXL | $ERRS | $CPU |"
  [[ -n "$EXTRA_CONNECTIONS" ]] && echo "| $EXTRA_CONNECTIONS | $X_RPS | $X_P50 | $X_P99 | $X_MAX | $X_ERRS | $X_CPU |"
  echo
  if awk -v p="$P99" -v g="$P99_GOAL_MS" 'BEGIN { exit !(p < g) }'; then
    echo "- Goal **HTTP p99 < $P99_GOAL_MS ms at $CONNECTIONS connections: met** (p99 $P99 ms)."
  else
    echo "- Goal **HTTP p99 < $P99_GOAL_MS ms at $CONNECTIONS connections: NOT met** (p99 $P99 ms, p50 $P50 ms at $RPS req/s;" \
      "with $CONNECTIONS requests always outstanding, mean latency ≈ $CONNECTIONS ÷ throughput =" \
      "$(awk -v c="$CONNECTIONS" -v r="$RPS" 'BEGIN { printf "%.1f", c / r * 1000 }') ms)."
  fi
  total_q="${#QNAMES[@]}"
  if [[ "$INPROCESS" == 1 ]]; then
    if ((FASTER == total_q)); then
      echo "- Goal **faster than PostgreSQL for the same queries: met** (in-process p50 below PostgreSQL's p50 on all $total_q)."
    else
      slower="$(printf '%s; ' "${SLOWER[@]}")"
      echo "- Goal **faster than PostgreSQL for the same queries: NOT met on all**: kkig's in-process p50 is below" \
        "PostgreSQL's on $FASTER of $total_q queries, and on $FASTER_BOTH of the $BOTH where PostgreSQL finds anything." \
        "Slower on ${slower%; }."
    fi
    zero=()
    for q in "${QNAMES[@]}"; do ((PG_TOTAL[$q] > 0)) || zero+=("$q"); done
    if ((${#zero[@]})); then
      echo "  PostgreSQL finds 0 hits for ${zero[*]}: without typo tolerance or compound parts (README.md) it looks up a term that no document has and stops, which is not the same query answered."
    fi
  fi
  if [[ "$QUERY_DURATION" != 0 && "$QUERY_DURATION" != 0s ]]; then
    if ((FASTER_HTTP == total_q)); then
      echo "- End to end (kkig over HTTP with 1 connection vs pgbench with 1 client): kkig faster on all $total_q."
    else
      echo "- End to end (kkig over HTTP with 1 connection vs pgbench with 1 client): kkig faster on $FASTER_HTTP of $total_q; not on ${SLOWER_HTTP[*]}."
    fi
  fi
  if [[ "$INPROCESS" == 1 ]]; then
    echo "- In-process p50 is the benchmark's own summary (2,000 runs per query, one thread) on the generator's data before the municipality mapping (differs only in travel for Q06, Q08, Q09). More: \`cargo bench -p kkig-search\` (criterion)."
    echo "- kkig keeps each query word's matches while the catalogue lives (kkig-search \`exec\`): the load and the 1-connection runs repeat the 12 queries, so after its first request each finds its words kept. *First use* is the same query with no word kept (tantivy finds them first; 200 runs)."
  else
    echo "- In-process latency: \`cargo bench -p kkig-search\` (not run here)."
  fi
} >"$REPORT"
echo
cat "$REPORT"

if ((RECORD)); then
  results="$HERE/results.md"
  if [[ ! -s "$results" ]]; then
    printf '# bench/search/compare.sh results\n\nAppended by `bench/search/compare.sh --record`, one section per run.\n' >"$results"
  fi
  { echo; cat "$REPORT"; } >>"$results"
  log "recorded in ${results#"$ROOT"/}"
fi
