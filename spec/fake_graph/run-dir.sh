# shellcheck shell=bash
# Sourced by start.sh and stop.sh so both agree on where the server lives.
# Sets HERE (this directory), REPO and RUN_DIR (absolute; from FAKE_GRAPH_DIR, default <repo>/build/fake-graph).

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
RUN_DIR=${FAKE_GRAPH_DIR:-$REPO/build/fake-graph}
# Absolute and canonical (a relative FAKE_GRAPH_DIR is taken from the caller's cwd): stop.sh
# recognises our nginx by this path in its command line.
if [ -d "$RUN_DIR" ]; then
    RUN_DIR=$(cd "$RUN_DIR" && pwd -P)
fi
