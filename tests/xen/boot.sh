#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots the Xen hypervisor under QEMU (TCG) with a Linux kernel and initramfs
# as its PVH dom0 (test bed 3), and judges the serial log with
# scripts/check-log.sh.
#
# Usage: tests/xen/boot.sh --xen XEN_ELF --kernel VMLINUZ --initrd INITRD
#                          --log LOGFILE [--timeout SECONDS] [--append "ARGS"]
#   --xen XEN_ELF    the hypervisor as a plain ELF file (scripts/fetch-xen.sh
#                    gunzips Debian's /boot/xen-4.xx-amd64.gz into one)
#   --kernel, --initrd
#                    dom0's kernel and initramfs
#   --log LOGFILE    raw serial output: Xen's console, dom0's hvc0 within it
#   --timeout S      kill QEMU after S seconds (default 400)
#   --append ARGS    extra dom0 kernel arguments; no commas (QEMU splits
#                    multiboot modules at commas)
#
# Machine: q35 with an Intel IOMMU (Xen refuses a PVH dom0 without one),
# e1000 at 00:03.0 00:04.0 00:05.0, pci-testdev (no INTx pin) at 00:06.0, a
# PCI bridge at 00:07.0 with an e1000 at 01.0 behind it; AHCI is built in at
# 00:1f.2.  No NIC has a network backend.
#
# The guest's /init should print TAP lines ("ok N - ..."), then XENPT-DONE,
# then run "poweroff -f".  Dom0's power-off goes through Xen's ACPI sleep
# call and QEMU exits; but Xen is booted with noreboot, so on a panic or a
# halt it stays up: QEMU is stopped once the log shows Xen halting, or some
# seconds after it shows dom0 finishing, powering off or panicking, or a Xen
# panic.  Exit status: check-log's (0 pass, 1 fail), 124 when none of that
# happened in time, 2 on a usage error.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib.sh
. "$here/../../scripts/lib.sh"

usage() {
	sed -n 's/^# \{0,1\}//; 4,30p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

xen=
kernel=
initrd=
logfile=
timeout_s=400
extra_append=
while [ $# -gt 0 ]; do
	case $1 in
	--xen|--kernel|--initrd|--log|--timeout|--append)
		[ $# -ge 2 ] || { log "$1 needs an argument"; usage; }
		case $1 in
		--xen) xen=$2 ;;
		--kernel) kernel=$2 ;;
		--initrd) initrd=$2 ;;
		--log) logfile=$2 ;;
		--timeout) timeout_s=$2 ;;
		--append) extra_append=$2 ;;
		esac
		shift 2
		;;
	-h|--help) usage ;;
	*) log "unknown argument: $1"; usage ;;
	esac
done

[ -n "$xen" ] || { log "missing --xen"; usage; }
[ -n "$kernel" ] || { log "missing --kernel"; usage; }
[ -n "$initrd" ] || { log "missing --initrd"; usage; }
[ -n "$logfile" ] || { log "missing --log"; usage; }
[ -f "$xen" ] || die "Xen not found: $xen"
[ -f "$kernel" ] || die "kernel not found: $kernel"
[ -f "$initrd" ] || die "initrd not found: $initrd"
case $timeout_s in
''|*[!0-9]*|0) die "--timeout wants a positive number of seconds, got: $timeout_s" ;;
esac
case $extra_append in
*,*) die "--append: dom0 arguments cannot contain commas (QEMU splits multiboot modules at commas)" ;;
esac
# QEMU's multiboot loader takes only ELF images (or a multiboot header with
# load addresses); Debian ships Xen gzip'd.
[ "$(head -c 4 "$xen" | od -An -c | tr -d ' ')" = '177ELF' ] ||
	die "$xen is not an ELF file (gunzip Debian's xen-4.xx-amd64.gz; scripts/fetch-xen.sh does)"

qemu="qemu-system-x86_64"
command -v "$qemu" >/dev/null 2>&1 || die "$qemu not found (run scripts/setup.sh)"

xen_append='dom0=pvh dom0_mem=768M console=com1 loglvl=all guest_loglvl=all noreboot'
# The dyndbg quotes reach Linux intact: QEMU passes each module's string
# as is, and Xen only drops its first word (the image name).
dom0_append="console=hvc0 earlyprintk=xen $XENPT_LINUX_ARGS"
[ -z "$extra_append" ] || dom0_append+=" $extra_append"

# The module string names the files: link them from a directory whose path
# has no commas or spaces.
tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/xenpt-xen.XXXXXX")
trap 'rm -rf "$tmpdir"' EXIT
ln -s "$(realpath "$kernel")" "$tmpdir/vmlinuz"
ln -s "$(realpath "$initrd")" "$tmpdir/initrd.gz"
case $tmpdir in
*[,\ ]*) die "temporary directory path has a comma or space: $tmpdir" ;;
esac

# shellcheck disable=SC2054 # commas inside QEMU option values
args=(-accel tcg -machine q35 -cpu max,-rdtscp,-xsave -m 2048 -smp 1
	-nodefaults -no-reboot -display none -monitor none -serial stdio
	-device intel-iommu,intremap=on,aw-bits=48
	"${XENPT_Q35_DEVICES[@]}"
	-kernel "$xen" -append "$xen_append"
	-initrd "$tmpdir/vmlinuz $dom0_append,$tmpdir/initrd.gz")

mkdir -p "$(dirname "$logfile")"
: >"$logfile" || die "cannot write $logfile"

# Lines after which the machine does nothing useful any more.  "Ends": dom0
# finished or died; Xen may still print its side of it, so QEMU gets a grace
# period.  "Final": Xen itself halted.
ends_re='XENPT-DONE|reboot: Power down|Kernel panic - not syncing|Panic on CPU'
final_re='Hardware Dom0 (halted|crashed|shutdown)|Manual reset required|Reboot disabled'
grace_s=10

log "booting Xen $(basename "$xen") with dom0 $(basename "$kernel"), timeout ${timeout_s}s, log $logfile"
start=$(date +%s)
"$qemu" "${args[@]}" </dev/null >"$logfile" \
	2> >(grep -v --line-buffered -e 'has no peer$' -e 'terminating on signal' >&2) &
qpid=$!

stop_qemu() {
	kill -TERM "$qpid" 2>/dev/null || return 0
	local waited=0
	while [ "$waited" -lt 5 ] && kill -0 "$qpid" 2>/dev/null; do
		sleep 1
		waited=$((waited + 1))
	done
	kill -KILL "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
}
# shellcheck disable=SC2317 # invoked by the trap
on_signal() {
	stop_qemu
	log "interrupted; QEMU stopped"
	exit 130
}
trap on_signal INT TERM HUP

outcome=timeout
end_seen=
while kill -0 "$qpid" 2>/dev/null; do
	now=$(date +%s)
	if grep -qE "$final_re" "$logfile"; then
		sleep 1	# the rest of Xen's last lines
		outcome=halted
		break
	fi
	if [ -z "$end_seen" ] && grep -qE "$ends_re" "$logfile"; then
		end_seen=$now
	fi
	if [ -n "$end_seen" ] && [ $((now - end_seen)) -ge "$grace_s" ]; then
		outcome=ended
		break
	fi
	if [ $((now - start)) -ge "$timeout_s" ]; then
		break
	fi
	sleep 1
done
qemu_rc=
if kill -0 "$qpid" 2>/dev/null; then
	stop_qemu
else
	qemu_rc=0
	wait "$qpid" 2>/dev/null || qemu_rc=$?
	outcome=exited
fi
trap - INT TERM HUP
elapsed=$(($(date +%s) - start))

case $outcome in
halted) log "Xen halted after ${elapsed}s; QEMU stopped" ;;
ended) log "no Xen halt line ${grace_s}s after dom0 finished; QEMU stopped after ${elapsed}s" ;;
exited) log "QEMU exited with status $qemu_rc after ${elapsed}s" ;;
timeout) ;;
esac

rc=0
"$XENPT_TOP/scripts/check-log.sh" "$logfile" || rc=$?
if [ "$outcome" = timeout ]; then
	log "TIMEOUT: dom0 did not finish within ${timeout_s}s; QEMU killed (exit 124)"
	exit 124
fi
if [ "$rc" -eq 0 ] && [ "$outcome" = exited ] && [ "$qemu_rc" -ne 0 ]; then
	log "log is clean, but QEMU failed (status $qemu_rc)"
	rc=1
fi
exit "$rc"
