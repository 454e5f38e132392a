#!/bin/sh
# Instruction counts of st-bench's fixed workload through sectrans and through
# raw OpenSSL, under callgrind: deterministic where seconds are not, so a
# regression shows as a changed ratio. It prints; it asserts nothing.
# usage: callgrind-ratio.sh PATH/TO/st-bench
set -eu
bench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for path in st raw; do
    valgrind --tool=callgrind --callgrind-out-file="$dir/$path.out" "$bench" --fixed "$path" \
        >/dev/null 2>"$dir/$path.log"
done
ir() { sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$1"; }
st=$(ir "$dir/st.out")
raw=$(ir "$dir/raw.out")
echo "instructions, fixed workload (20 TLS 1.3 handshakes, 8 MiB + 19 x 4 KiB):"
echo "  sectrans:    $st"
echo "  raw OpenSSL: $raw"
awk -v s="$st" -v r="$raw" 'BEGIN { printf "  ratio sectrans/raw: %.4f\n", s / r }'
