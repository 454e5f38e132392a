#!/bin/sh
# st-abicheck against our library (must conform), each deliberately broken
# build (must fail, naming the exact check), and the do-nothing stub.
# usage: check-abicheck.sh ST-ABICHECK LIBSECTRANS BROKEN-DIR STUB
set -u
checker=$1 lib=$2 broken=$3 stub=$4
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0
passed=0

ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }

# expect_flaw LIB GROUP LINE: the checker exits 1 and prints LINE among its failures.
expect_flaw() {
    "$checker" "$1" --only "$2" >"$out" 2>&1
    status=$?
    if [ "$status" -ne 1 ]; then
        bad "$(basename "$1"): exit status $status, expected 1"
        cat "$out"
    elif ! grep -qF -- "$3" "$out"; then
        bad "$(basename "$1"): no line starting \"$3\""
        grep '^FAIL' "$out"
    else
        ok "$(basename "$1"): $(grep -F -- "$3" "$out" | head -n 1)"
    fi
}

"$checker" "$lib" >"$out" 2>&1
status=$?
if [ "$status" -eq 0 ] && ! grep -q '^FAIL' "$out"; then
    ok "libsectrans conforms: $(tail -n 2 "$out" | head -n 1)"
else
    bad "libsectrans: exit status $status"
    grep '^FAIL' "$out"
fi
# The JSON document says the same.
"$checker" "$lib" --json --only symbols >"$out" 2>&1
if grep -q '"conforms": true' "$out" && grep -q '"result": "pass"' "$out"; then
    ok "--json reports conformance"
else
    bad "--json"
    tail -n 3 "$out"
fi

expect_flaw "$broken/libabi_broken_missing.so" symbols \
    "FAIL  symbols    SSLGetBufferedReadSize: exported: missing: not exported"
expect_flaw "$broken/libabi_broken_cipher16.so" tls \
    "FAIL  tls        TLS 1.2: SSLGetNegotiatedCipher: wrote 2 of the 4 bytes of SSLCipherSuite"
expect_flaw "$broken/libabi_broken_bool_int.so" outparams \
    "FAIL  outparams  CFBooleanGetValue(@kCFBooleanTrue): return value: 0 read as Boolean (1 bytes), expected 1"
expect_flaw "$broken/libabi_broken_null_getter.so" contexts \
    "FAIL  contexts   SSLGetSessionState: NULL context: crashed"
expect_flaw "$broken/libabi_broken_connection_ref.so" tls \
    "FAIL  tls        TLS 1.2: connection ref:"

# A hollow implementation: every symbol is there, nothing behaves.
"$checker" "$stub" >"$out" 2>&1
status=$?
if [ "$status" -eq 1 ] && grep -q '^pass  symbols' "$out" && grep -q '^FAIL  tls' "$out" &&
    grep -q '^FAIL  contexts' "$out"; then
    ok "the stub is caught: $(tail -n 2 "$out" | head -n 1)"
else
    bad "the stub: exit status $status"
    tail -n 5 "$out"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
