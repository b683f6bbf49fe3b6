#!/usr/bin/env bash
# Starts or stops the redis-server spec/31-redis_spec.lua talks to: on 127.0.0.1:$REDIS_PORT
# (6399), with its own dir build/redis-$REDIS_PORT, nothing saved to disk, and no eviction
# (the store's contract: a full server refuses writes). `start` replaces one already
# running from the same dir.
#   bash spec/redis.sh start|stop
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PORT=${REDIS_PORT:-6399}
DIR=$REPO/build/redis-$PORT
[[ $PORT =~ ^[0-9]+$ ]] || { echo "REDIS_PORT must be a number" >&2; exit 1; }

# Whether the pid file names a redis-server of ours (a stale file may name another process).
ours() {
    local pid
    pid=$(cat "$DIR/redis.pid" 2>/dev/null) || return 1
    grep -q "redis-server" "/proc/$pid/cmdline" 2>/dev/null && grep -q ":$PORT" "/proc/$pid/cmdline" 2>/dev/null
}

stop() {
    ours || return 0
    kill -TERM "$(cat "$DIR/redis.pid")"
    for _ in $(seq 50); do
        ours || return 0
        sleep 0.1
    done
    echo "redis-server on port $PORT did not stop within 5 s" >&2
    return 1
}

start() {
    stop
    mkdir -p "$DIR"
    redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --pidfile "$DIR/redis.pid" \
        --logfile "$DIR/redis.log" --daemonize yes --save '' --appendonly no \
        --maxmemory-policy noeviction >/dev/null
    for _ in $(seq 50); do
        if [ "$(redis-cli -p "$PORT" ping 2>/dev/null)" = PONG ]; then return 0; fi
        sleep 0.1
    done
    cat "$DIR/redis.log" >&2
    stop || true
    echo "redis-server did not answer on port $PORT" >&2
    return 1
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 1 ;;
esac
