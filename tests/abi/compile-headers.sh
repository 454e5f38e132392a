#!/bin/sh
# The public headers compile on their own, warning-free, in every language
# mode a port may use, as Apple's do: one translation unit per header (so a
# header that leans on another's includes fails), each built with -Wall
# -Wextra -pedantic -Werror as C89, gnu89, C99, C11, C17 (every C compiler
# given) and as C++98, C++11, C++17, C++20 (every C++ compiler given). The
# umbrella headers are also built with header_user.c, which uses them the way
# macOS code does, and each program in standalone/ (named after the one
# header it includes) checks that header declares on its own what Apple's
# does. -fsyntax-only and two jobs at a time keep it quick.
#
# usage: compile-headers.sh [--selftest] INCLUDE_DIR CC[,CC...] [CXX[,CXX...]]
#   --selftest  copies INCLUDE_DIR, breaks one header in ways only some modes
#               reject, and succeeds only if the matrix catches every break.
# HEADERS_ONLY="A.h B.h" restricts the run to those headers (paths below
# INCLUDE_DIR).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
selftest=0
if [ "${1:-}" = --selftest ]; then
    selftest=1
    shift
fi
inc=$1
ccs=$(echo "$2" | tr ',' ' ')
cxxs=$(echo "${3:-}" | tr ',' ' ')
c_stds="c89 gnu89 c99 c11 c17"
cxx_stds="c++98 c++11 c++17 c++20"
jobs=${HEADERS_JOBS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# list_headers DIR: every public header, as the path a program includes.
list_headers() {
    (cd "$1" && find . -name '*.h' | sed 's|^\./||' | LC_ALL=C sort)
}

# run_matrix DIR "HEADERS" all|some: writes one source per header (named
# after it) and one per umbrella use of header_user.c (with "all", adds the
# standalone programs and all headers together), then compiles all of them once per compiler and mode,
# two compilers at a time; fails, after printing the diagnostics, if any
# compilation does (xargs then exits 123).
run_matrix() {
    dir=$1
    headers=$2
    src=$work/src
    rm -rf "$src"
    mkdir -p "$src"
    for h in $headers; do
        name=$(echo "$h" | sed 's|/|_|g; s|\.h$||')
        printf '#include <%s>\nint main(void) { return 0; }\n' "$h" >"$src/$name.c"
        case $h in
        Security/Security.h | Security/SecureTransport.h | CoreFoundation/CoreFoundation.h)
            printf '#define HEADER <%s>\n#include "%s/header_user.c"\n' "$h" "$here" \
                >"$src/user_of_$name.c"
            ;;
        esac
    done
    # A full run (not a restricted one) adds the standalone programs and one
    # that includes every header, where a name two headers declare
    # differently (or a typedef given twice, an error before C11) fails.
    if [ "$3" = all ]; then
        for f in "$here"/standalone/*.c; do cp "$f" "$src/standalone_${f##*/}"; done
        for h in $headers; do printf '#include <%s>\n' "$h"; done >"$src/all_headers_together.c"
        echo 'int main(void) { return 0; }' >>"$src/all_headers_together.c"
    fi
    list=$work/jobs
    : >"$list"
    for cc in $ccs; do
        for std in $c_stds; do echo "$cc c $std" >>"$list"; done
    done
    for cxx in $cxxs; do
        for std in $cxx_stds; do echo "$cxx c++ $std" >>"$list"; done
    done
    count=$(($(wc -l <"$list") * $(find "$src" -name '*.c' | wc -l)))
    # shellcheck disable=SC2016
    if ! xargs -P"$jobs" -L1 sh -c '
        if ! out=$("$2" -x "$3" -std="$4" -Wall -Wextra -pedantic -Werror -fsyntax-only \
                -I"$1" "$0"/*.c 2>&1); then
            printf "FAIL: %s -x %s -std=%s\n%s\n" "$2" "$3" "$4" "$out"
            exit 1
        fi' "$src" "$dir" <"$list"; then
        return 1
    fi
    echo "headers: $count compilations clean"
}

if [ "$selftest" = 0 ]; then
    if [ -n "${HEADERS_ONLY:-}" ]; then
        run_matrix "$inc" "$HEADERS_ONLY" some
    else
        run_matrix "$inc" "$(list_headers "$inc")" all
    fi
    exit 0
fi

# The self-test: each break is accepted by some modes and must fail the run.
victim=CoreFoundation/CFBase.h
for brk in comment comma longlong; do
    copy=$work/inc-$brk
    cp -R "$inc" "$copy"
    case $brk in
    comment) echo '// a C99 comment' >>"$copy/$victim" ;;
    comma) echo 'enum { kSelftestA = 1, kSelftestB = 2, };' >>"$copy/$victim" ;;
    longlong) echo 'typedef long long SelftestWide;' >>"$copy/$victim" ;;
    esac
    if run_matrix "$copy" "$victim" some >"$work/log" 2>&1; then
        echo "selftest: a header with a $brk break passed the matrix"
        exit 1
    fi
    echo "selftest: $brk break caught"
done
# And a header that is not self-sufficient: it uses CFIndex without including CFBase.h.
copy=$work/inc-include
cp -R "$inc" "$copy"
printf '#ifndef SELFTEST_H\n#define SELFTEST_H\nextern CFIndex SelftestCount;\n#endif\n' \
    >"$copy/Security/SelftestNeedsBase.h"
if run_matrix "$copy" Security/SelftestNeedsBase.h some >"$work/log" 2>&1; then
    echo "selftest: a header missing an include passed the matrix"
    exit 1
fi
echo "selftest: missing include caught"
