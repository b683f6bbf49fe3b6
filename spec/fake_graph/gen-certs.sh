#!/usr/bin/env bash
# Makes the TLS material of the fake Graph server in DIR (default: ./certs):
#   ca.pem/ca.key            test CA that clients trust (--cacert)
#   server.pem/server.key    localhost + 127.0.0.1 certificate signed by that CA
#   other-ca.pem/other-ca.key an unrelated CA, so tests can prove a wrong CA is refused
# Idempotent: does nothing while the set is complete and the server certificate valid for another day.
set -euo pipefail

DIR=${1:-certs}
mkdir -p "$DIR"
cd "$DIR"

complete() {
    local f
    for f in ca.pem ca.key server.pem server.key other-ca.pem other-ca.key; do
        [ -s "$f" ] || return 1
    done
    openssl x509 -checkend 86400 -noout -in server.pem >/dev/null
}

# openssl chatters on stderr even when it works; show its output only when it fails.
quiet() {
    local out
    out=$("$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}

make_ca() { # name, common name
    quiet openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
        -subj "/CN=$2" -keyout "$1.key" -out "$1.pem" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign"
}

make_server() {
    cat > server.ext <<'EXT'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid,issuer
EXT
    quiet openssl req -new -newkey rsa:2048 -nodes -sha256 \
        -subj "/CN=localhost" -keyout server.key -out server.csr
    quiet openssl x509 -req -sha256 -days 825 -in server.csr \
        -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
        -extfile server.ext -out server.pem
    rm -f server.csr server.ext
}

complete && exit 0
umask 077 # the keys
make_ca ca "lua-whatsapp-groups fake Graph test CA"
make_ca other-ca "lua-whatsapp-groups unrelated test CA"
make_server
chmod 644 ca.pem server.pem other-ca.pem
