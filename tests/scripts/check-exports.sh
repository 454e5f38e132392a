#!/bin/sh
# Checks that the library exports exactly the names of the API tables (no
# OpenSSL, no internals), carries its SONAME, and that the framework alias
# links resolve to it.
# usage: check-exports.sh path/to/libsectrans.so path/to/sectrans-exports.txt
set -eu
lib=$1
expected=$2
dir=$(dirname "$lib")
fail=0

actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
# Names exactly as exported: a version suffix (name@@VER) would not match.
nm -D --defined-only "$lib" | awk '$2 != "A" {print $NF}' | sort -u >"$actual"

missing=$(comm -23 "$expected" "$actual")
extra=$(comm -13 "$expected" "$actual")
if [ -n "$missing" ]; then
    echo "FAIL: in the API tables but not exported:"; echo "$missing" | sed 's/^/  /'; fail=1
fi
if [ -n "$extra" ]; then
    echo "FAIL: exported but not in the API tables:"; echo "$extra" | sed 's/^/  /'; fail=1
fi

soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != "libsectrans.so.1" ]; then
    echo "FAIL: SONAME is '$soname', expected libsectrans.so.1"; fail=1
fi

real=$(readlink -f "$lib")
for alias in libsectrans.so libSecurity.so libCoreFoundation.so libCommonCrypto.so; do
    if [ "$(readlink -f "$dir/$alias")" != "$real" ]; then
        echo "FAIL: $dir/$alias does not resolve to $real"; fail=1
    fi
done

# Nothing of OpenSSL may leak out, even under another name.
if grep -Eq '^(SSL_|BIO_|EVP_|X509|OPENSSL|ERR_)' "$actual"; then
    echo "FAIL: OpenSSL symbols exported"; fail=1
fi

count=$(wc -l <"$actual")
[ "$fail" -eq 0 ] && echo "exports: $count symbols, exactly the API tables; SONAME $soname"
exit "$fail"
