#!/usr/bin/env bash
# Stops the nginx instances start.sh started, and waits until they are gone.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
RUN=$(cd "$HERE/../.." && pwd -P)/build/openresty
. "$HERE/../nginx_common.sh"

stop() { # name
    nginx_stop "$RUN/$1/nginx.pid" "$RUN/$1/nginx.conf"
}

stop spec
OPENRESTY_EXAMPLE_DIR=$RUN/example "$HERE/../../examples/openresty/run.sh" stop
