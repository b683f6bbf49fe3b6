#!/usr/bin/env bash
# What it measures: system calls per create call, raw libcurl against the library on
# Lua 5.4 (strace -c over CALLS calls minus a run of 0 calls): the kernel side of the
# per-call cost, which callgrind does not see. Skipped when strace is not installed.
# Usage: bench/syscalls.sh BASE_URL CALLS BENCH_BUILD
# Prints `contender<TAB>syscall<TAB>calls per create` lines for sendto, recvfrom, poll,
# or one `stub<TAB>reason` line.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
URL=${1:?usage: syscalls.sh BASE_URL CALLS BENCH_BUILD}
CALLS=${2:?}
BUILD=${3:?}

command -v strace >/dev/null || { printf 'stub\tstrace is not installed\n'; exit 0; }

count() { # out-file, command... -> strace summary
    strace -f -c -o "$1" "${@:2}" >/dev/null
}

per_call() { # name, command...
    local name=$1; shift
    count "$BUILD/strace-$name-0.txt" "$@" "$URL" 0 5
    count "$BUILD/strace-$name-n.txt" "$@" "$URL" "$CALLS" 5
    for sc in sendto recvfrom poll; do
        awk -v sc="$sc" -v n="$CALLS" -v name="$name" '
            FNR == NR && $NF == sc { base = $4 }
            FNR != NR && $NF == sc { run = $4 }
            END { printf "%s\t%s\t%.2f\n", name, sc, (run - base) / n }' \
            "$BUILD/strace-$name-0.txt" "$BUILD/strace-$name-n.txt"
    done
}

per_call raw_libcurl "$BUILD/raw_libcurl"
LUA_PATH="$HERE/?.lua;$HERE/../src/?.lua;;" LUA_CPATH="$BUILD/lua5.4/?.so;;" \
    per_call lib_lua5.4 lua5.4 "$HERE/lib_create.lua"
