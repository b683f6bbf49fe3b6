#!/usr/bin/env bash
# Stops the fake Graph server of FAKE_GRAPH_DIR (see run-dir.sh) and waits until it is gone.
# Exit 0 when it was not running either.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/run-dir.sh"
. "$HERE/../nginx_common.sh"

nginx_stop "$RUN_DIR/nginx.pid" "$RUN_DIR/nginx.conf"
