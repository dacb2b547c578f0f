#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Judges the serial log of a QEMU test boot.
#
# Usage: scripts/check-log.sh LOGFILE
#
# Fails (exit 1) when the log has
#   - a kernel splat (WARN, BUG, Oops, lockdep, KASAN, UBSAN, kmemleak,
#     RCU stall, hung task, panic, segfault, ...): printed with some context;
#   - a TAP line "not ok N - ..." at the start of the guest's output;
#   - no "XENPT-DONE" line, i.e. the guest's /init did not finish.
# Always prints a summary: "check-log: FILE: N ok, N not ok, N splats".
# Exit status: 0 pass, 1 fail, 2 usage error or unreadable log.

set -euo pipefail

prog=check-log
if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	sed -n 's/^# \{0,1\}//; 4,14p' "${BASH_SOURCE[0]}" >&2
	exit 2
fi
logfile=$1
if [ ! -f "$logfile" ] || [ ! -r "$logfile" ]; then
	printf '%s: cannot read %s\n' "$prog" "$logfile" >&2
	exit 2
fi

# Kernel splats (extended regular expressions, case-sensitive).  "WARNING:"
# counts where a kernel message starts with it (line start or right after a
# "] " timestamp or caller id), as WARN() and lockdep print it; a subsystem's
# own "RETBleed: WARNING: ..." notice is not a splat.  A WARN() line is also
# caught anywhere in the line, should user output run into it.
splat_re='(^|[]] )WARNING:|WARNING: CPU: [0-9]+ PID: [0-9]+'
splat_re+='|BUG:|kernel BUG|Oops|general protection fault|invalid opcode:'
splat_re+='|KASAN|UBSAN|Call Trace|unreferenced object|suspected memory leak'
splat_re+='|possible circular locking|inconsistent lock state'
splat_re+='|possible recursive locking|suspicious RCU usage'
splat_re+='|INFO: task .* blocked|sleeping function called from invalid context'
splat_re+='|lock held when returning|Kernel panic|rcu_.*detected stall|segfault'
# The Xen hypervisor's own WARN_ON, BUG_ON and panic (bed 3).
splat_re+='|Xen WARN at|Xen BUG at|Panic on CPU'

# Lines that match the above on a healthy boot: the kernel echoes its command
# line ("Command line:" and "Kernel command line:"), which may name anything.
benign_re='[Cc]ommand line:'

# Optional kernel timestamp before the guest's own output.
ts_re='^([[] *[0-9]+[.][0-9]+[]] )?'

export LC_ALL=C
exec awk -v file="$logfile" -v splat_re="$splat_re" \
	-v benign_re="$benign_re" -v ts_re="$ts_re" '
{
	gsub(/\r/, "")
	line[NR] = $0
	if ($0 ~ (ts_re "ok [0-9]+([^0-9]|$)")) {
		nok++
		next
	}
	if ($0 ~ (ts_re "not ok [0-9]+([^0-9]|$)")) {
		notok[++nnotok] = $0
		next
	}
	if ($0 ~ benign_re)
		next
	if ($0 ~ /XENPT-DONE/)
		done = 1
	if ($0 ~ splat_re)
		splat[++nsplat] = NR
}
END {
	budget = 40
	# Context around each splat, merging overlapping windows.
	last = 0
	for (i = 1; i <= nsplat && budget > 0; i++) {
		from = splat[i] - 3
		to = splat[i] + 6
		if (from <= last)
			from = last + 1
		if (from < 1)
			from = 1
		if (to > NR)
			to = NR
		if (from > to)
			continue
		if (last && from > last + 1 || !last && from > 1)
			print "--"
		for (n = from; n <= to && budget > 0; n++) {
			printf "%s%d: %s\n", (n == splat[i] ? ">" : " "), n, line[n]
			budget--
		}
		last = n - 1
	}
	if (nsplat > 0)
		print "--"
	for (i = 1; i <= nnotok; i++) {
		if (budget-- > 0)
			print notok[i]
	}
	if (!done) {
		printf "%s: XENPT-DONE missing: the guest did not finish; log ends with:\n", "check-log"
		from = NR - 9
		if (from < 1)
			from = 1
		for (n = from; n <= NR; n++)
			printf "  %s\n", line[n]
	}
	printf "check-log: %s: %d ok, %d not ok, %d splats\n", file, nok, nnotok, nsplat
	exit (nsplat || nnotok || !done) ? 1 : 0
}' "$logfile"
