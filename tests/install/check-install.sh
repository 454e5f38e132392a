#!/bin/sh
# Installs the build into a scratch prefix and builds a consumer against it
# twice: with pkg-config and with CMake's find_package(sectrans).
# usage: check-install.sh SOURCE_DIR BUILD_DIR C_COMPILER [SANITIZERS]
set -eu
src=$1
build=$2
cc=$3
# A sanitized library needs sanitized consumers (the runtime must come first).
flags=${4:+-fsanitize=$4}
here=$src/tests/install
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(dirname "$(find "$prefix" -name libsectrans.so.1 | head -n 1)")
for f in libsectrans.so libsectrans.so.1 libSecurity.so libCoreFoundation.so libCommonCrypto.so \
         pkgconfig/sectrans.pc cmake/sectrans/sectransConfig.cmake; do
    [ -e "$libdir/$f" ] || { echo "FAIL: $libdir/$f not installed"; exit 1; }
done
[ -f "$prefix/include/sectrans/Security/SecureTransport.h" ] &&
    [ -f "$prefix/include/sectrans/CommonCrypto/CommonCrypto.h" ] ||
    { echo "FAIL: headers not installed"; exit 1; }
if find "$prefix/include" -name 'st_*.h' -o -name 'cf_*.h' -o -name 'cc_*.h' | grep -q .; then
    echo "FAIL: internal headers installed"; exit 1
fi

# pkg-config
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
# shellcheck disable=SC2046
"$cc" $flags -Wall -Wextra -Werror -o "$work/consumer-pc" "$here/consumer.c" \
    $(pkg-config --cflags --libs sectrans)
LD_LIBRARY_PATH=$libdir "$work/consumer-pc"

# CMake package
cmake -S "$here" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$flags" >"$work/cmake.log"
cmake --build "$work/cmake-build" >>"$work/cmake.log"
LD_LIBRARY_PATH=$libdir "$work/cmake-build/consumer"
echo "install: pkg-config and find_package consumers built and ran"
