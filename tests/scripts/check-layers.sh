#!/bin/sh
# Checks the architecture docs/design.md draws, from the compiled objects:
#   1. no two source files call each other in a circle (the CoreFoundation
#      runtime counts as one file: its class registry knows every CF type);
#   2. compat/sec's rooms call only the floors below them;
#   3. no file of interpose/ outside engine/ includes an OpenSSL header itself
#      (engine/st_engine.h is the one boundary that brings OpenSSL's types in).
# A call is an undefined symbol of one object that another object defines.
# usage: check-layers.sh SOURCE_DIR OBJECT... (an argument may be a ;-list, as CTest passes
# $<TARGET_OBJECTS:...>)
set -eu
export LC_ALL=C # sort and join must agree on one collation
src=$1
shift
objects=$(printf '%s\n' "$@" | tr ';' '\n' | sed '/^$/d')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

# The source file an object was built from: .../sectrans_compat.dir/sec/trust/sec_trust.c.o
# becomes compat/sec/trust/sec_trust.c; compat/cf/* becomes the one module compat/cf.
module_of() {
    printf '%s\n' "$1" | sed -e 's|.*/sectrans_compat\.dir/|compat/|' \
        -e 's|.*/sectrans_interpose\.dir/|interpose/|' -e 's|.*/sectrans_trace\.dir/|trace/|' \
        -e 's|\.o$||' -e 's|^compat/cf/.*|compat/cf|'
}

: >"$work/defs"
: >"$work/uses"
printf '%s\n' "$objects" | while IFS= read -r obj; do
    [ -n "$obj" ] || continue
    m=$(module_of "$obj")
    nm -P --defined-only "$obj" | awk -v m="$m" '$2 ~ /^[TDBRCVW]$/ {print $1, m}' >>"$work/defs"
    nm -P -u "$obj" | awk -v m="$m" '{print m, $1}' >>"$work/uses"
done
sort -u -k1,1 "$work/defs" >"$work/defs.sorted"
sort -k2,2 "$work/uses" >"$work/uses.sorted"
# caller callee, for each symbol defined elsewhere in the library
join -1 2 -2 1 -o 1.1,2.2 "$work/uses.sorted" "$work/defs.sorted" |
    awk '$1 != $2' | sort -u >"$work/edges"

# A check that reads nothing proves nothing.
if [ ! -s "$work/edges" ]; then
    echo "FAIL: no calls found between the objects given"
    exit 1
fi

# 1. Circles: tsort finds one when a topological order does not exist.
# (Some tsorts report a loop on stderr and still exit 0: either counts.)
if ! tsort "$work/edges" >/dev/null 2>"$work/tsort" || [ -s "$work/tsort" ]; then
    echo "FAIL: files that call each other in a circle:"
    sed 's/^tsort: //' "$work/tsort" | sed 's/^/  /'
    fail=1
fi

# 2. Floors of compat/sec, lowest first (docs/design.md, compat/CMakeLists.txt).
awk '
function floor(m) {
    if (m !~ /^compat\/sec\//) return -1
    if (m ~ /^compat\/sec\/keys\//) return 1
    if (m ~ /^compat\/sec\/certificates\//) return 2
    if (m ~ /^compat\/sec\/trust\//) return 3
    if (m ~ /^compat\/sec\/keychain\//) return 4
    if (m ~ /^compat\/sec\/import\//) return 5
    if (m ~ /^compat\/sec\/[^\/]+$/) return 0
    return 99
}
{
    a = floor($1); b = floor($2)
    if (a == 99 || b == 99) { print "FAIL: " ($1 ~ /\/sec\// && a == 99 ? $1 : $2) " is in no room of compat/sec"; bad = 1 }
    else if (a >= 0 && b > a) { print "FAIL: " $1 " calls up into " $2; bad = 1 }
}
END { exit bad }' "$work/edges" || fail=1

# 3. OpenSSL stays behind interpose/engine/.
openssl_users=$(find "$src/interpose" -path "$src/interpose/engine" -prune -o \
    \( -name '*.c' -o -name '*.h' \) -exec grep -l '<openssl/' {} + 2>/dev/null || true)
if [ -n "$openssl_users" ]; then
    echo "FAIL: outside interpose/engine/, these include OpenSSL:"
    printf '%s\n' "$openssl_users" | sed 's/^/  /'
    fail=1
fi

if [ "$fail" -eq 0 ]; then
    echo "layers: $(wc -l <"$work/edges") calls between $(cut -d' ' -f1 "$work/edges" | sort -u | wc -l) files, no circle, rooms in order"
fi
exit "$fail"
