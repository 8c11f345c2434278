#!/usr/bin/env bash
# Where the API's CPU per request goes, query by query, on the peer benchmark's database.
#
#   bash scripts/profile-api.sh [--queries "a b c2 c3"] [--duration 8] [--connections 10] [--measure CODE]
#
# Needs a database filled by `npm run bench:peer` (PEER_DB, default rcg_peer_bench, on PEER_PG_URL)
# and the peer's packages in RCG_PEER_DIR (autocannon). For each query: starts the production
# server (as bench:peer does: NODE_ENV=production, the ADMIN_API_KEY, .start/ built by
# scripts/prepare-start.js, the production node flags, as bench:peer) under `node --cpu-prof`,
# warms it up, times one autocannon run, stops it, and prints the CPU ms per request (the
# process's CPU from /proc, every thread) and the profile's samples of that run by group and by
# function. Profiles and figures stay in ${RCG_PEER_DIR}/profiles/<time>/.
set -euo pipefail
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE=$PROJECT_ROOT/scripts/peer
cd "$PROJECT_ROOT"

QUERIES="a b c2 c3" DURATION=8 CONNECTIONS=10 WARMUP=2 MEASURE=FEELING-SAFE
while (($#)); do
  case $1 in
    --queries) QUERIES=${2//,/ }; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --measure) MEASURE=$2; shift 2 ;;
    *) echo "profile-api: unknown argument $1" >&2; exit 1 ;;
  esac
done

PEER_DIR=${RCG_PEER_DIR:-/tmp/rcg-peer}
export RCG_PEER_DIR=$PEER_DIR
[[ -d $PEER_DIR/node_modules/autocannon ]] || { echo "profile-api: run npm run bench:peer once first (it installs autocannon into $PEER_DIR)" >&2; exit 1; }
PG_SERVER_URL=${PEER_PG_URL:-postgresql://postgres@127.0.0.1:5432}
DB_URL=${PG_SERVER_URL%/}/${PEER_DB:-rcg_peer_bench}
OUT=$PEER_DIR/profiles/$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$OUT"
tool() { node "$HERE/bench-tool.cjs" "$@"; }
profile_tool() { node "$HERE/profile-tool.cjs" "$@"; }

tool prepare --db "$DB_URL" --measure "$MEASURE" --out "$OUT/queries" --queries-dir "$HERE/queries" > /dev/null
RCG_BENCH_KEY="rcg_bench_$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
export RCG_BENCH_KEY
REV=$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +changes)
echo "profile-api $REV on $DB_URL, c=$CONNECTIONS, ${WARMUP} s warm-up + ${DURATION} s, load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"

SERVER_PID=
stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  kill -TERM "$SERVER_PID" 2> /dev/null || true
  wait "$SERVER_PID" 2> /dev/null || true
  SERVER_PID=
}
trap stop_server EXIT

# What `npm start` runs: the swc build in .start/ (made or refreshed here) under the same node flags.
node scripts/prepare-start.js --quiet
for q in $QUERIES; do
  PORT=$(tool port)
  mkdir -p "$OUT/$q"
  env -u REDIS_URL -u NODE_OPTIONS NODE_ENV=production DATABASE_URL="$DB_URL" HOST=127.0.0.1 PORT="$PORT" ADMIN_API_KEY="$RCG_BENCH_KEY" \
    MAX_ALIASES=120 RATE_LIMIT_PER_MINUTE=0 MIGRATE_ON_START=true SEED_DEMO=false LOG_LEVEL=warn \
    node --cpu-prof --cpu-prof-dir="$OUT/$q" ${START_NODE_FLAGS:---enable-source-maps} .start/main.js > "$OUT/$q/server.log" 2>&1 &
  SERVER_PID=$!
  tool wait "http://127.0.0.1:$PORT/readyz" "$SERVER_PID" 120
  profile_tool load --url "http://127.0.0.1:$PORT/graphql" --body "$OUT/queries/$q.project.json" --duration "$DURATION" \
    --connections "$CONNECTIONS" --warmup "$WARMUP" --pid "$SERVER_PID" --out "$OUT/$q/run.json" > /dev/null
  stop_server
  echo "query $q:"
  profile_tool summary --run "$OUT/$q/run.json" --profile "$(ls "$OUT/$q"/*.cpuprofile | head -n 1)" --top "${TOP:-12}"
done
echo "profiles: $OUT"
