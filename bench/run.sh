#!/usr/bin/env bash
# `make bench`: builds what the benchmarks need, starts a fake Graph server of their own
# (build/bench-graph on ports 18189/18543, apart from the tests' 8089/8443), runs every
# measurement and writes bench/RESULTS.md, bench/per_call.png, bench/concurrency.png and
# bench/scale.png.
# Raw data and logs stay in build/bench/.
#   1. per-call cost of a sequential create over keep-alive, each contender RUNS times,
#      interleaved (bench/*_create.*, bench/raw_libcurl.c), then instructions per call
#      under callgrind (bench/cg_diff.lua) and system calls per call (bench/syscalls.sh)
#   2. memory: RSS over 100k calls (bench/mem_calls.lua), size of a client (bench/mem_clients.lua)
#   3. concurrency: the pump (bench/pump.lua), a game-loop frame's poll(0)
#      (bench/poll_frame.lua), an nginx location (bench/nginx.sh)
#   4. TLS and scale: the client CPU of a new TLS connection (bench/tls_connect.lua), and
#      the pump at 64, 256 and 1024 in flight over plain HTTP and over TLS with HTTP/2
#      (bench/pump_scale.lua, one process per round)
# Knobs (environment): BENCH_RUNS (9), BENCH_CALLS (2000), BENCH_POPEN_CALLS (200),
# BENCH_CG_CALLS (300), BENCH_MEM_CALLS (100000), BENCH_PUMP_CALLS (1000),
# BENCH_PUMP_BLOCKING_CALLS (200), BENCH_PUMP_DELAY (0.05), BENCH_FRAMES (5000),
# BENCH_NGINX_DELAY (0.02),
# BENCH_NGINX_CONNECTIONS (64), BENCH_NGINX_SECONDS (5), BENCH_TLS_CONNECTS (50),
# BENCH_SCALE_RUNS (3), BENCH_FAKE_PORT (18189),
# BENCH_FAKE_TLS_PORT (18543), BENCH_NGINX_PORT (18190).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
started=$(date +%s)

RUNS=${BENCH_RUNS:-9}
CALLS=${BENCH_CALLS:-2000}
POPEN_CALLS=${BENCH_POPEN_CALLS:-200}
CG_CALLS=${BENCH_CG_CALLS:-300}
MEM_CALLS=${BENCH_MEM_CALLS:-100000}
PUMP_CALLS=${BENCH_PUMP_CALLS:-1000}
PUMP_BLOCKING_CALLS=${BENCH_PUMP_BLOCKING_CALLS:-200}
PUMP_DELAY=${BENCH_PUMP_DELAY:-0.05}
FRAMES=${BENCH_FRAMES:-5000}
NGINX_DELAY=${BENCH_NGINX_DELAY:-0.02}
NGINX_CONNECTIONS=${BENCH_NGINX_CONNECTIONS:-64}
NGINX_SECONDS=${BENCH_NGINX_SECONDS:-5}
TLS_CONNECTS=${BENCH_TLS_CONNECTS:-50}
SCALE_RUNS=${BENCH_SCALE_RUNS:-3}
export BENCH_BUILD=build/bench
BUILD=$REPO/$BENCH_BUILD
export FAKE_GRAPH_DIR=$REPO/build/bench-graph
export FAKE_GRAPH_PORT=${BENCH_FAKE_PORT:-18189}
export FAKE_GRAPH_TLS_PORT=${BENCH_FAKE_TLS_PORT:-18543}
export BENCH_NGINX_PORT=${BENCH_NGINX_PORT:-18190}
URL=http://127.0.0.1:$FAKE_GRAPH_PORT
TLS_URL=https://localhost:$FAKE_GRAPH_TLS_PORT
CERTS=$FAKE_GRAPH_DIR/certs

say() { printf '== %s\n' "$*" >&2; }

mkdir -p "$BUILD"
rm -f "$BUILD"/*.tsv "$BUILD"/*.dat "$BUILD"/notes.txt
note() { printf '%s\n' "$*" >> "$BUILD/notes.txt"; }

say "building the module for lua5.4, luajit and lua5.1, and bench/raw_libcurl.c"
for lua in lua5.4 luajit lua5.1; do
    make -s BUILD="$BENCH_BUILD/$lua" LUA="$lua" all
done
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
cc -O2 -std=c99 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -o "$BUILD/raw_libcurl" \
    bench/raw_libcurl.c $(pkg-config --cflags --libs libcurl)

# With two cores or more, the fake server runs on the last one and the timed clients on the
# first: sharing a core with the server (or not) otherwise moves a client's CPU per call
# by up to 1.5x from one run to the next, whichever contender it happens to.
SERVER_PIN=() CLIENT_PIN=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    SERVER_PIN=(taskset -c "$(( $(nproc) - 1 ))") CLIENT_PIN=(taskset -c 0)
    note "pinned: the fake server on CPU $(( $(nproc) - 1 )), the timed clients on CPU 0"
fi

say "starting the fake Graph server on $URL"
"${SERVER_PIN[@]}" bash spec/fake_graph/start.sh >/dev/null
trap 'bash spec/fake_graph/stop.sh' EXIT
reset_fake() { curl -fsS -o /dev/null -X POST "$URL/__control/reset"; }

# Runs a command with a runtime's Lua environment: our sources and bench/ on LUA_PATH,
# the module built for it on LUA_CPATH.
with_lua() { # runtime, command...
    local runtime=$1; shift
    LUA_PATH="$REPO/bench/?.lua;$REPO/src/?.lua;;" LUA_CPATH="$BUILD/$runtime/?.so;;" "$@"
}

# name|calls|command|after: each runs `command BASE_URL CALLS WARMUP after`.
contenders=(
    "raw_libcurl|$CALLS|$BUILD/raw_libcurl"
    "rawread_libcurl|$CALLS|$BUILD/raw_libcurl|read"
    "rawmin_libcurl|$CALLS|$BUILD/raw_libcurl|minimal"
    "lib_lua5.4|$CALLS|lua5.4 bench/lib_create.lua"
    "lib_luajit|$CALLS|luajit bench/lib_create.lua"
    "lib_lua5.1|$CALLS|lua5.1 bench/lib_create.lua"
)
if lua5.1 -e 'require "curl"' 2>/dev/null; then
    contenders+=("luacurl_luajit|$CALLS|luajit bench/luacurl_create.lua"
                 "luacurl_lua5.1|$CALLS|lua5.1 bench/luacurl_create.lua")
else
    note "Lua-cURL + lua-cjson: not measured, Debian's lua-curl is not installed"
fi
contenders+=("luasocket_lua5.4|$CALLS|lua5.4 bench/luasocket_create.lua"
             "popen_curl_lua5.4|$POPEN_CALLS|lua5.4 bench/popen_curl_create.lua")
if command -v node >/dev/null; then
    contenders+=("node_fetch|$CALLS|node bench/node_fetch_create.mjs")
else
    note "Node.js fetch: not measured, node is not installed"
fi

# The fake's workers warm up (LuaJIT traces, caches) before anything is timed.
reset_fake
"$BUILD/raw_libcurl" "$URL" 3000 0 >/dev/null

say "per-call cost: ${#contenders[@]} contenders x $RUNS runs of $CALLS calls (popen: $POPEN_CALLS)"
for run in $(seq "$RUNS"); do
    # Each run starts one contender later, so none is always first after the reset.
    for i in $(seq 0 $(( ${#contenders[@]} - 1 ))); do
        c=${contenders[$(( (i + run - 1) % ${#contenders[@]} ))]}
        IFS='|' read -r name n command after <<<"$c"
        runtime=${name##*_}
        warmup=20
        [ "$n" -ge 1000 ] || warmup=3
        reset_fake
        # shellcheck disable=SC2086 # the command is words on purpose
        line=$(with_lua "$runtime" "${CLIENT_PIN[@]}" $command "$URL" "$n" "$warmup" $after)
        printf '%s\t%s\t%s\n' "$name" "$run" "$line" >> "$BUILD/per_call.tsv"
    done
    say "run $run of $RUNS done"
done

say "instructions per call under callgrind ($CG_CALLS calls minus 0 calls)"
callgrind() { # name, calls, after (raw_libcurl's mode, or ""), command...
    local name=$1 n=$2 after=$3; shift 3
    reset_fake
    # shellcheck disable=SC2086 # after is one word or none
    valgrind --tool=callgrind --callgrind-out-file="$BUILD/cg-$name-$n.out" "$@" "$URL" "$n" 20 \
        $after >/dev/null 2>"$BUILD/cg-$name-$n.log"
    callgrind_annotate --auto=no --threshold=100 "$BUILD/cg-$name-$n.out" \
        > "$BUILD/cg-$name-$n.self.txt" 2>/dev/null
    callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$BUILD/cg-$name-$n.out" \
        > "$BUILD/cg-$name-$n.incl.txt" 2>/dev/null
}
if command -v valgrind >/dev/null; then
    for n in 0 "$CG_CALLS"; do
        callgrind raw_libcurl "$n" "" "$BUILD/raw_libcurl"
        callgrind rawmin_libcurl "$n" minimal "$BUILD/raw_libcurl"
        with_lua lua5.4 callgrind lib_lua5.4 "$n" "" lua5.4 bench/lib_create.lua
    done
    for name in raw_libcurl rawmin_libcurl lib_lua5.4; do
        lua5.4 bench/cg_diff.lua "$CG_CALLS" "$BUILD/cg-$name-$CG_CALLS.self.txt" \
            "$BUILD/cg-$name-0.self.txt" 40 > "$BUILD/cg-$name.self.tsv"
        lua5.4 bench/cg_diff.lua "$CG_CALLS" "$BUILD/cg-$name-$CG_CALLS.incl.txt" \
            "$BUILD/cg-$name-0.incl.txt" 100000 inclusive > "$BUILD/cg-$name.incl.tsv"
    done
else
    note "callgrind: not measured, valgrind is not installed"
fi

say "system calls per call (strace)"
reset_fake
bash bench/syscalls.sh "$URL" 500 "$BUILD" > "$BUILD/syscalls.tsv"

say "memory: $MEM_CALLS calls, then the size of a client"
with_lua lua5.4 lua5.4 bench/mem_calls.lua "$URL" "$MEM_CALLS" 5000 > "$BUILD/mem_calls.tsv"
reset_fake
with_lua lua5.4 lua5.4 bench/mem_clients.lua "$URL" 1000 200 > "$BUILD/mem_clients.tsv"

say "concurrency: the pump ($PUMP_CALLS creates, answers after ${PUMP_DELAY}s)"
with_lua lua5.4 "${CLIENT_PIN[@]}" lua5.4 bench/pump.lua "$URL" "$PUMP_CALLS" "$PUMP_DELAY" \
    "$PUMP_BLOCKING_CALLS" 1 8 64 256 > "$BUILD/pump.tsv"
# The same wait costs raw libcurl too: its CPU per call against the same slow answers.
reset_fake
curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' "$URL/__control/faults" \
    --data "{\"match\":{\"method\":\"POST\",\"path\":\"/groups\$\"},\"count\":$PUMP_BLOCKING_CALLS,\"fault\":{\"delay\":$PUMP_DELAY}}"
printf 'raw_libcurl\t1\t%s\t0\n' \
    "$("${CLIENT_PIN[@]}" "$BUILD/raw_libcurl" "$URL" "$PUMP_BLOCKING_CALLS" 0)" >> "$BUILD/pump.tsv"

say "a game-loop frame: poll(0) with calls in flight ($FRAMES frames)"
with_lua lua5.4 "${CLIENT_PIN[@]}" lua5.4 bench/poll_frame.lua "$URL" "$FRAMES" 10 1 8 64 256 > "$BUILD/poll_frame.tsv"

say "concurrency: an nginx location, $NGINX_CONNECTIONS connections for ${NGINX_SECONDS}s (answers after ${NGINX_DELAY}s)"
bash bench/nginx.sh "$NGINX_DELAY" "$NGINX_CONNECTIONS" "$NGINX_SECONDS" > "$BUILD/nginx.tsv"

say "TLS: the client CPU of a new connection ($TLS_CONNECTS connections, each CA store)"
for store in ca_file system; do
    with_lua lua5.4 "${CLIENT_PIN[@]}" lua5.4 bench/tls_connect.lua "$TLS_URL" "$store" \
        "$CERTS/other-ca.pem" "$TLS_CONNECTS" >> "$BUILD/tls_connect.tsv"
done

say "scale: the pump at 64, 256 and 1024 in flight, HTTP/1.1 and TLS, $SCALE_RUNS runs each"
# in_flight:calls; each round in a process of its own, for its peak RSS.
for run in $(seq "$SCALE_RUNS"); do
    for round in 64:1024 256:1024 1024:2048; do
        for transport in http tls; do
            base=$URL ca=-
            [ "$transport" = tls ] && base=$TLS_URL ca=$CERTS/ca.pem
            line=$(with_lua lua5.4 "${CLIENT_PIN[@]}" lua5.4 bench/pump_scale.lua "$base" "$URL" \
                "$ca" "${round#*:}" "$PUMP_DELAY" "${round%:*}")
            printf '%s\t%s\t%s\n' "$transport" "$run" "$line" >> "$BUILD/scale.tsv"
        done
    done
done
reset_fake

say "report"
{
    printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'nproc\t%s\n' "$(nproc)"
    printf 'cpu\t%s\n' "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"
    printf 'memory\t%s\n' "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    printf 'os\t%s\n' "$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)"
    printf 'kernel\t%s\n' "$(uname -r)"
    printf 'libcurl\t%s\n' "$(curl-config --version 2>/dev/null || pkg-config --modversion libcurl)"
    printf 'lua5.4\t%s\n' "$(lua5.4 -v 2>&1 | head -n 1)"
    printf 'lua5.1\t%s\n' "$(lua5.1 -v 2>&1 | head -n 1)"
    printf 'luajit\t%s\n' "$(luajit -v 2>&1 | head -n 1)"
    printf 'lua-curl\t%s\n' "$(dpkg-query -W -f='${Version}' lua-curl 2>/dev/null || echo none)"
    printf 'lua-cjson\t%s\n' "$(dpkg-query -W -f='${Version}' lua-cjson 2>/dev/null || echo none)"
    printf 'lua-socket\t%s\n' "$(dpkg-query -W -f='${Version}' lua-socket 2>/dev/null || echo none)"
    printf 'curl\t%s\n' "$(curl --version | head -n 1 | cut -d' ' -f1-2)"
    printf 'node\t%s\n' "$(node --version 2>/dev/null || echo none)"
    printf 'nginx\t%s\n' "$(nginx -v 2>&1 | sed 's/^nginx version: //')"
    printf 'valgrind\t%s\n' "$(valgrind --version 2>/dev/null || echo none)"
    printf 'wrk\t%s\n' "$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
    printf 'commit\t%s%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
        "$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ modified)')"
    printf 'runs\t%s\n' "$RUNS"
    printf 'calls\t%s\n' "$CALLS"
    printf 'popen_calls\t%s\n' "$POPEN_CALLS"
    printf 'cg_calls\t%s\n' "$CG_CALLS"
    printf 'mem_calls\t%s\n' "$MEM_CALLS"
    printf 'pump_calls\t%s\n' "$PUMP_CALLS"
    printf 'pump_delay\t%s\n' "$PUMP_DELAY"
    printf 'pump_blocking_calls\t%s\n' "$PUMP_BLOCKING_CALLS"
    printf 'frames\t%s\n' "$FRAMES"
    printf 'nginx_delay\t%s\n' "$NGINX_DELAY"
    printf 'nginx_connections\t%s\n' "$NGINX_CONNECTIONS"
    printf 'nginx_seconds\t%s\n' "$NGINX_SECONDS"
    printf 'tls_connects\t%s\n' "$TLS_CONNECTS"
    printf 'scale_runs\t%s\n' "$SCALE_RUNS"
    printf 'elapsed\t%s\n' "$(( $(date +%s) - started ))"
} > "$BUILD/meta.tsv"
lua5.4 bench/report.lua "$BUILD" bench
if command -v gnuplot >/dev/null; then
    gnuplot -e "data='$BUILD/per_call.dat'; out='bench/per_call.png'" bench/per_call.gp
    delay_ms=$(awk -v d="$PUMP_DELAY" 'BEGIN { printf "%d", d * 1000 }')
    rm -f bench/concurrency.png # drawn again only when the pump was measured
    if [ -s "$BUILD/concurrency.dat" ]; then
        gnuplot -e "data='$BUILD/concurrency.dat'; out='bench/concurrency.png'; calls=$PUMP_CALLS; delay_ms=$delay_ms" \
            bench/concurrency.gp
    fi
    rm -f bench/scale.png
    if [ -s "$BUILD/scale.dat" ]; then
        gnuplot -e "data='$BUILD/scale.dat'; out='bench/scale.png'; delay_ms=$delay_ms" bench/scale.gp
    fi
else
    say "gnuplot is not installed: no charts (apt-get install gnuplot-nox)"
fi
say "done in $(( $(date +%s) - started )) s: bench/RESULTS.md"
