#!/bin/sh
# sectrans-run's options reach the preloaded library: --trace=FILE writes the
# calls of an unmodified binary, --trace=errors:FILE only the failing ones,
# --keylog sets SSLKEYLOGFILE for the child.
# usage: check-sectrans-run.sh SOURCE-DIR TRACE-CHILD
set -eu
root=$1 child=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run="$root/tools/sectrans-run"

"$run" --trace="$dir/all" "$child" script
grep -q 'SSLCreateContext(alloc=NULL, protocolSide=kSSLClientSide (1)' "$dir/all"
[ "$(wc -l <"$dir/all")" -eq 8 ]

"$run" --trace="errors:$dir/errors" --trace-json "$child" script
[ "$(wc -l <"$dir/errors")" -eq 2 ]
grep -q '"function": "SSLHandshake".*"result": "errSecBadReq (-909)"' "$dir/errors"

"$run" --keylog "$dir/keys" env | grep -qx "SSLKEYLOGFILE=$dir/keys"
if "$run" --bogus true 2>/dev/null; then
    echo "an unknown option was accepted" >&2
    exit 1
fi
echo "sectrans-run: 4 passed, 0 failed"
