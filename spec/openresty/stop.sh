#!/usr/bin/env bash
# Stops the nginx instances start.sh started, and waits until they are gone.
set -euo pipefail
RUN=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)/build/openresty

stop() { # name
    local conf=$RUN/$1/nginx.conf pid
    pid=$(cat "$RUN/$1/nginx.pid" 2>/dev/null) || return 0
    # A stale pid file may name another process now: only signal an nginx of our conf.
    ours() { kill -0 "$pid" 2>/dev/null && grep -qF "$conf" "/proc/$pid/cmdline" 2>/dev/null; }
    ours || return 0
    kill -TERM "$pid"
    for _ in $(seq 50); do
        ours || return 0
        sleep 0.1
    done
    echo "nginx ($1, pid $pid) did not stop within 5 s" >&2
    return 1
}

stop spec
stop example
