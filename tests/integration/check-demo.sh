#!/bin/sh
# The README demo as a test: the unmodified st-client (linked against the
# do-nothing provider) talks TLS to openssl s_server through sectrans-run,
# once with the library's own verification and once breaking on server auth
# and judging the trust itself.
set -eu
root=$1
build=$2
fail() {
    echo "check-demo: $*" >&2
    exit 1
}
if readelf -d "$build/bin/st-client-unmodified" | grep -q libsectrans; then
    fail "st-client-unmodified must not be linked against libsectrans"
fi
for extra in "" "--break-auth" "--nonblocking"; do
    # shellcheck disable=SC2086
    out=$("$root/tools/demo" --no-build --build-dir "$build" -- $extra) ||
        fail "demo failed ($extra): $out"
    for want in "verdict: trusted" "HTTP/1.0 200 ok" "alpn: http/1.1" "protocol: TLS 1.3"; do
        printf '%s\n' "$out" | grep -q "$want" || fail "no '$want' in the demo's output ($extra): $out"
    done
done
echo "check-demo: unmodified binary works through sectrans-run"
