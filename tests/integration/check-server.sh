#!/bin/sh
# st-server (written only against Apple's API) against `openssl s_client`
# on 127.0.0.1: TLS 1.2 and 1.3, PEM and PKCS#12 identities, SNI, ALPN,
# client certificates, OCSP stapling, HTTP requests split across records and
# kept alive, resumption with -sess_out/-sess_in (by default, per client
# address, and not with --no-resume), and DTLS 1.2 and 1.0.
#   check-server.sh SOURCE-DIR BUILD-DIR
set -eu
root=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
server_bin="$build/bin/st-server"
work=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
"$root/tools/make-pki" "$work"
cd "$work"

fail() {
    echo "check-server: $*" >&2
    exit 1
}

# start_server ARGS...: runs st-server in the background and sets $port.
start_server() {
    # Emptied here, not by the background job's own redirection, which may
    # come after the first look below and leave the last server's port there.
    : >server.out
    "$server_bin" "$@" >>server.out 2>&1 &
    server_pid=$!
    port=
    for _ in $(seq 1 50); do
        port=$(sed -n 's/^listening on 127.0.0.1://p' server.out)
        [ -n "$port" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    fail "st-server did not start: $(cat server.out)"
}

stop_server() {
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}

# client ARGS...: s_client sending an HTTP request; its output in client.out.
client() {
    printf 'GET / HTTP/1.0\r\n\r\n' |
        timeout 20 openssl s_client -connect "127.0.0.1:$port" -CAfile ca.pem -ign_eof "$@" \
            >client.out 2>&1 || true
}

expect() {
    grep -q -- "$1" "$2" || fail "$3: no '$1' in $2: $(cat "$2")"
}

# TLS 1.3 and 1.2, PEM identity, SNI and ALPN.
for version in 1_3 1_2; do
    start_server --cert server.pem --key server.key --alpn h2,http/1.1
    client "-tls$version" -servername localhost -alpn http/1.1
    stop_server
    expect "Verify return code: 0 (ok)" client.out "TLS $version"
    expect "sni localhost, alpn offered http/1.1" client.out "TLS $version"
    expect "ALPN protocol: http/1.1" client.out "TLS $version"
    expect "protocol TLS $(echo "$version" | tr _ .)" server.out "TLS $version"
done

# PKCS#12 identity; client certificates required.
start_server --identity server.p12 --password secret --client-auth always --ca ca.pem
client -cert client.pem -key client.key
stop_server
expect "client certificate sectrans demo client" client.out "client certificate"
start_server --identity server.p12 --password secret --client-auth always --ca ca.pem
client -tls1_2
stop_server
expect "connection failed: -9807" server.out "missing client certificate"

# OCSP stapling.
start_server --cert server.pem --key server.key --ocsp ocsp.der
client -status
stop_server
expect "OCSP Response Status: successful" client.out "OCSP stapling"
expect "Cert Status: good" client.out "OCSP stapling"

# pieces_client PIECE...: s_client sending each piece on its own (s_client
# writes what it reads from its input as one record; the pauses only let the
# pieces arrive apart); its output in client.out.
pieces_client() {
    for piece in "$@"; do
        printf '%b' "$piece"
        sleep 0.3
    done | timeout 20 openssl s_client -connect "127.0.0.1:$port" -CAfile ca.pem -ign_eof \
        >client.out 2>&1 || true
}

# A request in four pieces is answered once, after its blank line: the reply
# counts the whole header block and honours the Connection: close of the
# third piece.
request='GET /split HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
request_bytes=$(printf '%b' "$request" | wc -c)
start_server --cert server.pem --key server.key
pieces_client 'GET /split HTTP/1.1\r\n' 'Host: localhost\r\n' 'Connection: close\r\n' '\r\n'
stop_server
expect "request 1: GET /split HTTP/1.1 ($request_bytes header bytes)" client.out "split request"
expect "^Connection: close" client.out "split request"
[ "$(grep -c '^HTTP/1.1 200 OK' client.out)" = 1 ] || fail "split request: not one reply: $(cat client.out)"

# Keep-alive: two requests on one connection, the second one closing it; the
# first one's body (Content-Length) is not taken for the second request.
start_server --cert server.pem --key server.key
pieces_client 'POST /one HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello' \
    'GET /two HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
stop_server
expect "request 1: POST /one HTTP/1.1" client.out "keep-alive"
expect "request 2: GET /two HTTP/1.1" client.out "keep-alive"
expect "request 2: GET /two HTTP/1.1" server.out "keep-alive"
[ "$(grep -c '^HTTP/1.1 200 OK' client.out)" = 2 ] || fail "keep-alive: not two replies: $(cat client.out)"

# Resumption: the second connection reuses the first one's session, under an
# explicit peer ID and by default (the client's address as peer ID).
for version in 1_2 1_3; do
    for peer in "--peer-id check-server" ""; do
        # shellcheck disable=SC2086
        start_server --cert server.pem --key server.key $peer --count 2
        client "-tls$version" -sess_out session.pem
        client "-tls$version" -sess_in session.pem
        stop_server
        expect "^Reused, TLSv1" client.out "resumption over TLS $version ${peer:-by default}"
        expect "resumed yes" server.out "resumption over TLS $version ${peer:-by default}"
    done
done
# ... and not with --no-resume.
start_server --cert server.pem --key server.key --no-resume --count 2
client -tls1_2 -sess_out session.pem
client -tls1_2 -sess_in session.pem
stop_server
expect "^New, TLSv1" client.out "--no-resume"
grep -q "resumed yes" server.out && fail "--no-resume: a session was resumed: $(cat server.out)"

# DTLS 1.2 and 1.0: one datagram in, one out.
for version in 1_2 1; do
    extra=
    min=dtls1.2
    if [ "$version" = 1 ]; then
        extra="-cipher DEFAULT@SECLEVEL=0"
        min=dtls1.0
    fi
    start_server --dtls --cert server.pem --key server.key --min "$min"
    # shellcheck disable=SC2086
    (echo "hello over DTLS"; sleep 1) |
        timeout 20 openssl s_client "-dtls$version" $extra -connect "127.0.0.1:$port" \
            -CAfile ca.pem -servername localhost >client.out 2>&1 || true
    stop_server
    expect "st-server: protocol DTLS 1\.[02]" client.out "DTLS $version"
done
echo "check-server: st-server works with openssl s_client"
