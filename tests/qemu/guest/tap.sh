# SPDX-License-Identifier: GPL-2.0
# Sourced by the test beds' /init scripts (installed as /lib/xenpt-tap.sh).

n=0

# step DESCRIPTION COMMAND...: one TAP line for a command's success.
step() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
	fi
}

# arg NAME: the value of xenpt.NAME= on the kernel command line.
arg() { sed -n "s/.*xenpt\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
