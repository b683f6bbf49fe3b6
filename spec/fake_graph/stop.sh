#!/usr/bin/env bash
# Stops the fake Graph server of FAKE_GRAPH_DIR (see run-dir.sh) and waits until it is gone.
# Exit 0 when it was not running either.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/run-dir.sh"

PID_FILE=$RUN_DIR/nginx.pid
pid=$(cat "$PID_FILE" 2>/dev/null) || exit 0

# A stale pid file may name an unrelated process now: only signal an nginx started on our conf.
ours() {
    kill -0 "$pid" 2>/dev/null && grep -qF "$RUN_DIR/nginx.conf" "/proc/$pid/cmdline" 2>/dev/null
}

ours || exit 0

kill -TERM "$pid" # fast shutdown: do not wait for delayed (fault-injected) requests
for _ in $(seq 50); do
    ours || exit 0
    sleep 0.1
done
echo "fake Graph server (pid $pid) did not stop within 5 s" >&2
exit 1
