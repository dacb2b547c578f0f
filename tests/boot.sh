#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots one test bed (tests/beds.sh) under QEMU (TCG) and judges it with
# scripts/results.py.  The one QEMU command line of the project.
#
# Usage: tests/boot.sh --bed BED --kernel KERNEL --initrd INITRD --out DIR
#                      [--xen XEN_ELF] [--disk IMAGE] [--append "ARGS"]
#                      [--timeout S] [--debug-kernel]
#   --kernel      Linux; under --xen, dom0's kernel
#   --xen         boot this hypervisor (a plain ELF) with Linux as its dom0;
#                 the bed must have Xen arguments
#   --out DIR     gets console.log (COM1: kernel, hypervisor), results.log
#                 (COM2: the guest's result channel), outcome (how the boot
#                 ended) and cmdline (the QEMU command, to reproduce it)
#   --disk IMAGE  a raw disk image on virtio-blk at 00:08.0, /dev/vda in
#                 the guest (behind the IOMMU: plain virtio hangs under Xen)
#   --append      more Linux arguments (under Xen: no commas, QEMU splits
#                 multiboot modules at commas)
#   --timeout S   stop QEMU after S seconds (default 300; 900 with
#                 --debug-kernel)
#   --debug-kernel  a KASAN/lockdep kernel: RCU stall timeout raised past
#                 TCG's slowness
#
# The boot ends when QEMU exits, a few seconds after the guest wrote DONE
# on the result channel or the console shows a panic, when Xen halts (it
# runs with noreboot), or at the timeout.  Exit status: results.py's (0
# nothing failed, 1 something did), 2 on a usage error.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib.sh"
. "$here/beds.sh"


bed= kernel= initrd= out= xen= extra= timeout_s= debug=0 disk=
while [ $# -gt 0 ]; do
	case $1 in
	--bed|--kernel|--initrd|--out|--xen|--append|--timeout|--disk)
		[ $# -ge 2 ] || { log "$1 needs an argument"; usage; }
		case $1 in
		--bed) bed=$2 ;;
		--kernel) kernel=$2 ;;
		--initrd) initrd=$2 ;;
		--out) out=$2 ;;
		--xen) xen=$2 ;;
		--append) extra=$2 ;;
		--timeout) timeout_s=$2 ;;
		--disk) disk=$2 ;;
		esac
		shift 2
		;;
	--debug-kernel) debug=1; shift ;;
	-h|--help) usage ;;
	*) log "unknown argument: $1"; usage ;;
	esac
done
[ -n "$bed" ] && [ -n "$kernel" ] && [ -n "$initrd" ] && [ -n "$out" ] || usage
bed_known "$bed" || die "unknown bed '$bed' (tests/beds.sh: ${!BED_MACHINE[*]})"
[ -f "$kernel" ] || die "kernel not found: $kernel"
[ -f "$initrd" ] || die "initrd not found: $initrd"
[ -n "$timeout_s" ] || timeout_s=$((debug ? 900 : 300))
case $timeout_s in ''|*[!0-9]*|0) die "--timeout wants seconds, got: $timeout_s" ;; esac
QEMU=qemu-system-x86_64
need "$QEMU" qemu-system-x86

append="${BED_LINUX[$bed]} $BED_LINUX_ALL"
[ "$debug" -eq 0 ] || append+=' rcupdate.rcu_cpu_stall_timeout=300'
[ -z "$extra" ] || append+=" $extra"

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/console.log" "$out/results.log" "$out/outcome"
: >"$out/console.log"
: >"$out/results.log"

# shellcheck disable=SC2206 # the table's device strings split on blanks
args=(-accel tcg -machine "${BED_MACHINE[$bed]}" -cpu "${BED_CPU[$bed]}"
	-m "${BED_MEM[$bed]}" -smp 1 -nodefaults -no-reboot -display none
	-monitor none
	-chardev "file,id=console,path=$out/console.log" -serial chardev:console
	-chardev "file,id=results,path=$out/results.log"
	-device isa-serial,chardev=results,iobase=0x2f8,irq=3
	${BED_DEVICES[$bed]})
if [ -n "$disk" ]; then
	[ -f "$disk" ] || die "disk image not found: $disk"
	args+=(-drive "file=$disk,if=none,id=d0,format=raw,cache=unsafe"
		-device virtio-blk-pci,drive=d0,iommu_platform=on,disable-legacy=on,addr=08.0)
fi
links=
if [ -n "$xen" ]; then
	[ -n "${BED_XEN[$bed]:-}" ] || die "bed $bed has no Xen arguments"
	[ -f "$xen" ] || die "Xen not found: $xen"
	case $append in *,*) die "dom0 arguments cannot contain commas: $append" ;; esac
	# The module string names the files: link them from a path without
	# commas or spaces.
	links=$(mktemp -d "${TMPDIR:-/tmp}/xenpt-boot.XXXXXX")
	ln -s "$(realpath "$kernel")" "$links/vmlinuz"
	ln -s "$(realpath "$initrd")" "$links/initrd"
	args+=(-kernel "$xen" -append "${BED_XEN[$bed]}"
		-initrd "$links/vmlinuz $append,$links/initrd")
else
	args+=(-kernel "$kernel" -initrd "$initrd" -append "$append")
fi
printf '%q ' "$QEMU" "${args[@]}" >"$out/cmdline"
echo >>"$out/cmdline"

# After these the machine does nothing useful any more.  "ends": the guest
# finished or died, the hypervisor may still print its side; "final": Xen
# itself halted.
ends_re='reboot: Power down|Kernel panic - not syncing|Panic on CPU'
final_re='Hardware Dom0 (halted|crashed|shutdown)|Manual reset required|Reboot disabled'
grace_s=5

log "$bed: booting $(basename "$kernel")${xen:+ under $(basename "$(dirname "$xen")") Xen}, timeout ${timeout_s}s, $out"
start=$SECONDS
"$QEMU" "${args[@]}" </dev/null >"$out/qemu.out" 2>&1 &
qpid=$!
stop_qemu() {
	kill -TERM "$qpid" 2>/dev/null || return 0
	local i
	for i in 1 2 3 4 5; do
		kill -0 "$qpid" 2>/dev/null || break
		sleep 1
	done
	kill -KILL "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
}
# shellcheck disable=SC2317 # invoked by the trap
on_signal() {
	stop_qemu
	[ -z "$links" ] || rm -rf "$links"
	log "$bed: interrupted; QEMU stopped"
	exit 130
}
trap on_signal INT TERM HUP

outcome=timeout
end_seen=
while kill -0 "$qpid" 2>/dev/null; do
	if grep -qE "$final_re" "$out/console.log"; then
		sleep 1
		outcome="ended: the hypervisor halted"
		break
	fi
	if [ -z "$end_seen" ] && { grep -qx 'DONE' "$out/results.log" ||
		grep -qE "$ends_re" "$out/console.log"; }; then
		end_seen=$SECONDS
	fi
	if [ -n "$end_seen" ] && [ $((SECONDS - end_seen)) -ge "$grace_s" ]; then
		outcome="ended: stopped ${grace_s}s after the guest finished"
		break
	fi
	if [ $((SECONDS - start)) -ge "$timeout_s" ]; then
		outcome="timeout after ${timeout_s}s"
		break
	fi
	sleep 0.5
done
if kill -0 "$qpid" 2>/dev/null; then
	stop_qemu
else
	rc=0
	wait "$qpid" 2>/dev/null || rc=$?
	outcome="exited: QEMU status $rc"
fi
trap - INT TERM HUP
[ -z "$links" ] || rm -rf "$links"
grep -v -e 'has no peer$' -e 'terminating on signal' "$out/qemu.out" >&2 || true
echo "$outcome ($((SECONDS - start)) s)" >"$out/outcome"
log "$bed: $outcome after $((SECONDS - start)) s"
exec python3 "$XENPT_TOP/scripts/results.py" boot "$out"
