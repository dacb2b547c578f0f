#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the default kernel build tree: the running kernel's if it has one,
# else Debian 12's 6.1 headers.  Prints nothing when neither exists.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

running=/lib/modules/$(uname -r)/build
if [ -f "$running/Makefile" ]; then
	echo "$running"
	exit 0
fi
kver=$(debian_kver)
if [ -n "$kver" ] && [ -f "/lib/modules/$kver/build/Makefile" ]; then
	echo "/lib/modules/$kver/build"
fi
