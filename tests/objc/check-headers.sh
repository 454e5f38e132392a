#!/bin/sh
# Compiles an Objective-C file that includes gnustep-base's Foundation and our
# Security headers, in both orders, with -Werror: no macro redefinition or
# other warning may come from their meeting.
# Usage: check-headers.sh <gcc> <our include dir> <gnustep-config --objc-flags...>
set -eu
cc=$1
include=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '#import <Foundation/Foundation.h>\n#include <Security/Security.h>\n#include <Security/SecureTransport.h>\nint main(void) { return [[(NSString *)CFSTR("x") description] length] == 1 ? 0 : 1; }\n' >"$dir/foundation_first.m"
printf '#include <Security/Security.h>\n#include <CoreFoundation/CoreFoundation.h>\n#import <Foundation/Foundation.h>\n#include <AvailabilityMacros.h>\nint main(void) { return MAC_OS_X_VERSION_MIN_REQUIRED >= MAC_OS_X_VERSION_10_10 ? 0 : 1; }\n' >"$dir/security_first.m"
for f in foundation_first security_first; do
    "$cc" "$@" -Werror -Wall -I"$include" -fsyntax-only "$dir/$f.m"
    echo "$f.m: no warning"
done
