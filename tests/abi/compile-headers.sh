#!/bin/sh
# Compiles header_user.c against each umbrella header with every compiler
# given (C99 with -pedantic, C11, and C++), warnings as errors, as a macOS
# program would be built. Compilers not given (empty argument) are skipped.
# usage: compile-headers.sh INCLUDE_DIR C_COMPILER [CLANG] [CXX]
set -eu
inc=$1
cc=$2
clang=${3:-}
cxx=${4:-}
src=$(dirname "$0")/header_user.c
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
for header in '<Security/Security.h>' '<Security/SecureTransport.h>' \
              '<CoreFoundation/CoreFoundation.h>'; do
    "$cc" -std=c99 -pedantic -Wall -Wextra -Werror -I"$inc" -DHEADER="$header" \
        -c "$src" -o "$out/c99.o"
    n=$((n + 1))
    if [ -n "$clang" ]; then
        "$clang" -std=c11 -Wall -Wextra -Werror -I"$inc" -DHEADER="$header" -c "$src" \
            -o "$out/c11.o"
        n=$((n + 1))
    fi
    if [ -n "$cxx" ]; then
        "$cxx" -x c++ -std=c++17 -Wall -Wextra -Werror -I"$inc" -DHEADER="$header" -c "$src" \
            -o "$out/cxx.o"
        n=$((n + 1))
    fi
done
# CommonCrypto's headers stand alone, as on macOS (they include no CoreFoundation).
for header in CommonCrypto CommonCryptoError CommonCryptor CommonDigest CommonHMAC \
              CommonKeyDerivation CommonRandom; do
    printf '#include <CommonCrypto/%s.h>\nint main(void) { return 0; }\n' "$header" >"$out/cc.c"
    "$cc" -std=c99 -pedantic -Wall -Wextra -Werror -I"$inc" -c "$out/cc.c" -o "$out/cc.o"
    n=$((n + 1))
    if [ -n "$cxx" ]; then
        "$cxx" -x c++ -std=c++17 -Wall -Wextra -Werror -I"$inc" -c "$out/cc.c" -o "$out/cxx.o"
        n=$((n + 1))
    fi
done
echo "headers: $n compilations clean"
