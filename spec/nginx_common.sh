# shellcheck shell=bash
# Sourced by the scripts that run an nginx of ours (spec/fake_graph, spec/openresty, bench):
# what their configurations need, and stopping one of them safely.

# Sets cjson_dir, the directory of lua-cjson built for the Lua 5.1 ABI that LuaJIT (ngx_lua)
# loads (it depends on the arch; empty when not installed), and user_directive: as root,
# nginx would run its workers as nobody, who might not be able to read the Lua sources.
nginx_settings() {
    local f
    cjson_dir=
    for f in /usr/lib/*/lua/5.1/cjson.so /usr/local/lib/lua/5.1/cjson.so; do
        if [ -e "$f" ]; then cjson_dir=$(dirname "$f"); break; fi
    done
    user_directive=
    if [ "$(id -u)" = 0 ]; then user_directive="user root;"; fi
}

# Whether process $1 is an nginx started on the configuration file $2: a stale pid file
# may name an unrelated process now.
nginx_ours() {
    kill -0 "$1" 2>/dev/null && grep -qF "$2" "/proc/$1/cmdline" 2>/dev/null
}

# Stops the nginx of pid file $1 started on configuration $2, and waits until it is gone.
# 0 when it is gone or was not running; 1 when it did not stop within 5 s.
nginx_stop() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 0
    nginx_ours "$pid" "$2" || return 0
    kill -TERM "$pid" # fast shutdown: do not wait for delayed (fault-injected) requests
    for _ in $(seq 50); do
        nginx_ours "$pid" "$2" || return 0
        sleep 0.1
    done
    echo "nginx (pid $pid, $2) did not stop within 5 s" >&2
    return 1
}
