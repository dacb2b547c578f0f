#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots a kernel and initramfs on one of the QEMU test beds (TCG, no network)
# and judges the serial log with scripts/check-log.sh.
#
# Usage: boot.sh --bed q35|microvm --kernel BZIMAGE --initrd INITRD
#                --log LOGFILE [--timeout SECONDS] [--append "ARGS"]
#                [--debug-kernel]
#   --bed q35        bed 1: PC with an IO-APIC at GSI base 0, irq == gsi.
#                    e1000 at 00:03.0 00:04.0 00:05.0, pci-testdev (no INTx
#                    pin) at 00:06.0, a PCI bridge at 00:07.0 with an e1000 at
#                    01.0 behind it; AHCI is built in at 00:1f.2
#   --bed microvm    bed 2: no legacy PIC, so irqs are allocated dynamically
#                    and irq != gsi.  e1000 at 00:03.0..00:06.0 and a
#                    pci-testdev at 00:07.0 on the PCIe root bus pcie.0
#   --log LOGFILE    raw serial output of the guest
#   --timeout S      kill QEMU after S seconds (default 300, 600 with
#                    --debug-kernel)
#   --append ARGS    extra kernel command-line arguments
#   --debug-kernel   for debug kernels (KASAN, lockdep, ...): longer timeout
#                    and RCU stall timeout raised past TCG's slowness
#
# The guest's /init should print TAP lines ("ok N - ..."), then XENPT-DONE,
# then run "poweroff -f".  Exit status: check-log's (0 pass, 1 fail), or 124
# when the guest did not power off in time, 2 on a usage error.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib.sh
. "$here/../../scripts/lib.sh"

usage() {
	sed -n 's/^# \{0,1\}//; 4,26p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

bed=
kernel=
initrd=
logfile=
timeout_s=
extra_append=
debug_kernel=0
while [ $# -gt 0 ]; do
	case $1 in
	--bed|--kernel|--initrd|--log|--timeout|--append)
		[ $# -ge 2 ] || { log "$1 needs an argument"; usage; }
		case $1 in
		--bed) bed=$2 ;;
		--kernel) kernel=$2 ;;
		--initrd) initrd=$2 ;;
		--log) logfile=$2 ;;
		--timeout) timeout_s=$2 ;;
		--append) extra_append=$2 ;;
		esac
		shift 2
		;;
	--debug-kernel) debug_kernel=1; shift ;;
	-h|--help) usage ;;
	*) log "unknown argument: $1"; usage ;;
	esac
done

case $bed in
q35|microvm) ;;
'') log "missing --bed"; usage ;;
*) log "unknown bed '$bed' (q35 or microvm)"; usage ;;
esac
[ -n "$kernel" ] || { log "missing --kernel"; usage; }
[ -n "$initrd" ] || { log "missing --initrd"; usage; }
[ -n "$logfile" ] || { log "missing --log"; usage; }
[ -f "$kernel" ] || die "kernel not found: $kernel"
[ -f "$initrd" ] || die "initrd not found: $initrd"
if [ -z "$timeout_s" ]; then
	timeout_s=300
	[ "$debug_kernel" -eq 0 ] || timeout_s=600
fi
case $timeout_s in
''|*[!0-9]*|0) die "--timeout wants a positive number of seconds, got: $timeout_s" ;;
esac

qemu="qemu-system-x86_64"
command -v "$qemu" >/dev/null 2>&1 || die "$qemu not found (run scripts/setup.sh)"

append="console=ttyS0 $XENPT_LINUX_ARGS"
[ "$debug_kernel" -eq 0 ] || append+=' rcupdate.rcu_cpu_stall_timeout=300'

# QEMU warns "nic ... has no peer" for each NIC without a backend; that
# warning is dropped below.
nic=$XENPT_NIC
args=(-accel tcg -cpu max -m 1024 -smp 1 -nodefaults -no-reboot
	-display none -monitor none -serial stdio)
case $bed in
q35)
	args+=(-machine "q35" "${XENPT_Q35_DEVICES[@]}")
	;;
microvm)
	args+=(-machine "microvm,acpi=on,pcie=on,ioapic2=on,pic=off,pit=on,rtc=on"
		-device "$nic,bus=pcie.0,addr=03.0"
		-device "$nic,bus=pcie.0,addr=04.0"
		-device "$nic,bus=pcie.0,addr=05.0"
		-device "$nic,bus=pcie.0,addr=06.0"
		-device "pci-testdev,bus=pcie.0,addr=07.0")
	# TSC calibration against the PIT fails now and then under TCG and
	# the boot hangs at "Marking TSC unstable".
	append+=' tsc_early_khz=2000000'
	;;
esac
[ -z "$extra_append" ] || append+=" $extra_append"
args+=(-kernel "$kernel" -initrd "$initrd" -append "$append")

mkdir -p "$(dirname "$logfile")"
: >"$logfile" || die "cannot write $logfile"

log "booting $bed: $(basename "$kernel"), timeout ${timeout_s}s, log $logfile"
start=$(date +%s.%N)
# The serial port is QEMU's stdout; stdin is not the terminal, so QEMU leaves
# the terminal's mode alone.  timeout runs in a process group of its own,
# which a Ctrl-C on the terminal does not reach: pass signals on by hand.
timeout -k 10 "$timeout_s" "$qemu" "${args[@]}" </dev/null >"$logfile" \
	2> >(grep -v --line-buffered 'has no peer$' >&2) &
qpid=$!
# shellcheck disable=SC2317  # invoked by the trap below
on_signal() {
	kill -TERM "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
	log "$bed: interrupted; QEMU stopped"
	exit 130
}
trap on_signal INT TERM HUP
qemu_rc=0
wait "$qpid" || qemu_rc=$?
trap - INT TERM HUP
end=$(date +%s.%N)
elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')

timed_out=0
case $qemu_rc in
0) log "$bed: QEMU exited after ${elapsed}s" ;;
124|137) timed_out=1 ;;
*) log "$bed: QEMU exited with status $qemu_rc after ${elapsed}s" ;;
esac

rc=0
"$XENPT_TOP/scripts/check-log.sh" "$logfile" || rc=$?
if [ "$timed_out" -eq 1 ]; then
	log "$bed: TIMEOUT: the guest did not power off within ${timeout_s}s; QEMU killed (exit 124)"
	exit 124
fi
if [ "$rc" -eq 0 ] && [ "$qemu_rc" -ne 0 ]; then
	log "$bed: log is clean, but QEMU failed (status $qemu_rc)"
	rc=1
fi
exit "$rc"
