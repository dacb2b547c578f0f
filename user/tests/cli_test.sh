#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cli_test.sh XENPT MKFIXTURE PRELOAD: runs xenpt as a user would, against
# fixture trees (tests/fixture.h) with the fake kernel preloaded: exit
# codes, the "xenpt: BDF: reason" messages, text and --json output (parsed
# with python3).  TAP-like output, last line "N passed, N failed".
set -u
XENPT=$1
MKFIXTURE=$2
PRELOAD=$3
HERE=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/xenpt-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
pass=0
fail=0
cur=""

begin() {
	cur=$1
	failed=0
}
# expect DESCRIPTION COMMAND...: a check within the current test
expect() {
	what=$1
	shift
	if ! "$@"; then
		echo "# $cur: $what"
		echo "#   stdout: $(head -c 600 "$T/out" 2>/dev/null)"
		echo "#   stderr: $(head -c 600 "$T/err" 2>/dev/null)"
		failed=1
	fi
}
end() {
	n=$((n + 1))
	if [ "$failed" = 0 ]; then
		pass=$((pass + 1))
		echo "ok $n - $cur"
	else
		fail=$((fail + 1))
		echo "not ok $n - $cur"
	fi
}

# fixture [FLAGS...]: a new fixture root in $R
fixture() {
	R=$(mktemp -d "$T/root.XXXXXX")
	"$MKFIXTURE" "$R" "$@" || echo "# mkfixture failed"
}
# x ARGS...: runs xenpt on $R; $rc, $T/out, $T/err.  XENPT_ROOT is the one
# variable: the fake kernel (fakesys.so) plays the kernel below it and the
# CLI takes it as its --root.
x() {
	env XENPT_ROOT="$R" LD_PRELOAD="$PRELOAD" "$XENPT" "$@" \
		>"$T/out" 2>"$T/err"
	rc=$?
}
# k REL VALUE [REL VALUE]...: writes as another tool or the kernel would,
# through the fake kernel (bind, unbind, driver_override...)
k() {
	env XENPT_ROOT="$R" LD_PRELOAD="$PRELOAD" "$MKFIXTURE" --put "$R" "$@" ||
		echo "# k $*: refused"
}
D4=/sys/bus/pci/devices/0000:00:04.0
# a persistent 00:04.0 found back on e1000 with driver_override=pciback:
# e1000 (built in, in the initramfs) probed it before udev ran, or a rescan
native_first() {
	k /sys/bus/pci/drivers/pciback/unbind 0000:00:04.0 $D4/driver_override "" \
	  /sys/bus/pci/drivers/e1000/bind 0000:00:04.0 $D4/driver_override pciback
	: >"$R/.fake/xc.quarantined"
}
xc_log_has() { grep -qE -- "$1" "$R/.fake/xc.log"; }
# mkdev BDF PARENT VENDOR DEVICE CLASS DRIVER PIN IRQ: a PCI device made as
# the fixture's are (DRIVER - for none; PARENT a bus or bridge directory)
mkdev() { "$MKFIXTURE" --dev "$R" "$@" || echo "# mkdev $*: failed"; }
# put REL VALUE: a sysfs/proc file below $R, as the kernel shows it
put() { mkdir -p "$(dirname "$R$1")" && printf '%s\n' "$2" >"$R$1"; }
# lnk REL TARGET: REL becomes a link to TARGET, both below $R
lnk() { mkdir -p "$(dirname "$R$1")" && ln -sfn "$R$2" "$R$1"; }
# blk DIR [MAJ:MIN]: a block device at DIR with holders/ and its
# /sys/class/block link
blk() {
	mkdir -p "$R$1/holders" "$R/sys/class/block"
	[ -z "${2:-}" ] || printf '%s\n' "$2" >"$R$1/dev"
	ln -sfn "$R$1" "$R/sys/class/block/${1##*/}"
}
# vblk NAME MAJ:MIN: a virtual block device (dm, md, loop, bcache)
vblk() { blk "/sys/devices/virtual/block/$1" "$2"; }
# snap BDF: all an assignment call may change about a device; keep it in
# $T/before, then same_as_before BDF says nothing changed
snap() {
	{ readlink "$R/sys/bus/pci/devices/$1/driver"
	  cat "$R/sys/bus/pci/devices/$1/driver_override" \
	      "$R/sys/bus/pci/drivers/pciback/slots" "$R/var/lib/xenpt/devices/$1" \
	      "$R/.fake/xc.quarantined" "$R/etc/udev/rules.d/60-xenpt.rules"
	  ls "$R/var/lib/xenpt/journal"; } 2>/dev/null
}
before() { snap "$1" >"$T/before"; : >"$R/.fake/log"; }
same_as_before() { snap "$1" | cmp -s - "$T/before" && ! grep -q '^write /sys/' "$R/.fake/log"; }
# the same, the device having been changed and changed back
same_as_before_but_logged() { snap "$1" | cmp -s - "$T/before"; }
# no_root_mount: /proc/mounts without /dev/sda1 on /
no_root_mount() { grep -v '^/dev/sda1 ' "$R/proc/mounts" >"$T/m"; cat "$T/m" >"$R/proc/mounts"; }
# no_iommu_groups: as in a Xen dom0, where Linux's IOMMU is Xen's
no_iommu_groups() {
	rm -rf "$R/sys/kernel/iommu_groups"
	find "$R/sys/devices" -name iommu_group -type l -exec rm -f {} +
}
P=/sys/devices/pci0000:00
# cfg BDF SIZE HDR PCIE [ACSCAP ACSCTRL]: the device's config space: SIZE
# bytes (64 as a user reads it, 256, 4096), header type HDR, a PCI
# Express capability of port type PCIE (- none), an ACS capability
cfg() {
	python3 - "$R/sys/bus/pci/devices/$1/config" "$2" "$3" "$4" "${5:--}" "${6:-0}" <<'PY'
import sys
path, size, hdr, pcie, acap, actl = sys.argv[1:]
b = bytearray(open(path, "rb").read(64).ljust(4096, b"\0"))
b[0x0e] = (b[0x0e] & 0x80) | int(hdr)
b[0x06] &= ~0x10
b[0x34] = 0
if pcie != "-":
    b[0x06] |= 0x10
    b[0x34] = 0x40
    b[0x40:0x43] = bytes([0x10, 0, int(pcie) << 4 | 2])
if acap != "-":
    b[0x100:0x108] = bytes([0x0d, 0, 1, 0, int(acap, 0), 0, int(actl, 0), 0])
open(path, "wb").write(bytes(b[:int(size)]))
PY
}
rc_is() { [ "$rc" = "$1" ]; }
out_is() { [ "$(cat "$T/out")" = "$1" ]; }
err_is() { [ "$(cat "$T/err")" = "$1" ]; }
out_has() { grep -qE -- "$1" "$T/out"; }
err_has() { grep -qE -- "$1" "$T/err"; }
out_empty() { [ ! -s "$T/out" ]; }
err_empty() { [ ! -s "$T/err" ]; }
err_lines() { [ "$(wc -l <"$T/err")" = "$1" ]; }
# every stderr line is "xenpt: ..."
err_prefixed() { ! grep -qv '^xenpt: ' "$T/err"; }
driver_is() {
	d=$(readlink "$R/sys/bus/pci/devices/$1/driver" 2>/dev/null)
	[ "${d##*/}" = "$2" ]
}
# json PYTHON-EXPRESSION: evaluated with j = the parsed stdout
json() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
		"$T/out" "$1" 2>>"$T/err"
}

# --- usage --------------------------------------------------------------

begin help_and_version
fixture
x --help
expect "rc 0" rc_is 0
expect "usage" out_has '^Usage: xenpt'
expect "exit codes documented" out_has 'Exit status: 0 success, 1 .*2 usage error'
x help
expect "help command" out_has '^Usage: xenpt'
x --version
expect "version" out_has '^xenpt [0-9]'
end

begin usage_errors_exit_2
fixture
x
expect "no command: 2" rc_is 2
expect "message" err_has '^xenpt: missing command'
x frobnicate
expect "unknown command: 2" rc_is 2
expect "message" err_has "^xenpt: unknown command 'frobnicate'"
x --bogus list
expect "bad option: 2" rc_is 2
x assignable-add --bogus 00:04.0
expect "bad command option: 2" rc_is 2
x gsi
expect "missing BDF: 2" rc_is 2
x irq2gsi 5x
expect "bad irq: 2" rc_is 2
expect "bad irq message" err_has '^xenpt: 5x: invalid irq'
x irq2gsi -- -1
expect "negative irq: 2" rc_is 2
end

begin invalid_bdf_is_a_usage_error
fixture
for bad in 00:20.0 0000:00:04.8 100000000:00:04.0 "00:04.0 " "" 00:04 0x0:04.0 00:04.0,x; do
	x gsi "$bad"
	expect "'$bad': rc 2" rc_is 2
	expect "'$bad': message" err_has "^xenpt: $bad: invalid BDF \\(expected \\[DDDD:\\]BB:DD\\.F\\)"
done
x assignable-add 00:04.0 00:20.0
expect "nothing done when one BDF is invalid" driver_is 0000:00:04.0 e1000
# a domain above ffff is a valid address (Linux numbers VMD's so), here of
# no device
x gsi 10000:00:04.0
expect "domain 10000: rc 1" rc_is 1
expect "domain 10000: no such device" err_is "xenpt: 10000:00:04.0: no such PCI device"
end

# --- GSI ----------------------------------------------------------------

begin gsi_pvh_without_module_names_the_module
fixture
x gsi 0000:00:04.0
expect "rc 1" rc_is 1
expect "one line" err_lines 1
expect "message" err_has '^xenpt: 0000:00:04\.0: no GSI source on this PVH dom0.*modprobe privcmd-gsi'
expect "no output (never the irq)" out_empty
end

begin gsi_from_sysfs_files
fixture gsi
x gsi 00:04.0
expect "rc 0" rc_is 0
expect "output" out_is "0000:00:04.0 19 sysfs"
expect "quiet" err_empty
end

begin gsi_from_privcmd_gsi_ioctl
fixture
mkdir -p "$R/dev/xen" "$R/.fake/ioctl"
: >"$R/dev/xen/privcmd"
: >"$R/dev/xen/privcmd-gsi"
echo enotty >"$R/.fake/ioctl/privcmd"
printf 'sbdf 20 19\nsbdf 200 ENOENT\n' >"$R/.fake/ioctl/privcmd-gsi"
x gsi 0000:00:04.0
expect "output" out_is "0000:00:04.0 19 privcmd-gsi"
x gsi 0000:02:00.0
expect "unknown GSI: rc 1" rc_is 1
expect "unknown GSI message" err_has '^xenpt: 0000:02:00\.0: GSI not known: no ACPI route to it, and it was never enabled'
end

begin gsi_from_upstream_privcmd
fixture
mkdir -p "$R/dev/xen" "$R/.fake/ioctl"
: >"$R/dev/xen/privcmd"
echo 'sbdf 20 19' >"$R/.fake/ioctl/privcmd"
x gsi 0000:00:04.0
expect "output" out_is "0000:00:04.0 19 privcmd"
end

begin gsi_pv_and_native_use_the_irq
fixture pv
x gsi 0000:00:04.0
expect "pv" out_is "0000:00:04.0 51 irq"
fixture noxen
x gsi 0000:00:04.0
expect "not xen" out_is "0000:00:04.0 51 irq"
end

begin gsi_errors_and_wildcards
fixture gsi
x gsi 00:05.* 01:00.0 00:09.0
expect "rc 1" rc_is 1
expect "both functions" out_is "$(printf '0000:00:05.0 20 sysfs\n0000:00:05.1 21 sysfs')"
expect "no pin" err_has '^xenpt: 0000:01:00\.0: no GSI: the device has no INTx pin$'
expect "no device" err_has '^xenpt: 0000:00:09\.0: no such PCI device$'
expect "prefixed" err_prefixed
x gsi 00:09.*
expect "empty wildcard: rc 1" rc_is 1
expect "empty wildcard message" err_has '^xenpt: 0000:00:09\.\*: no such PCI device'
end

begin gsi_json
fixture gsi
x gsi --json 00:04.0 01:00.0
expect "rc 1" rc_is 1
expect "json" json 'j[0] == {"bdf": "0000:00:04.0", "sbdf": 32, "gsi": 19, "source": "sysfs", "trigger": "unknown", "polarity": "unknown", "origin": "unknown"}'
expect "json error" json 'j[1]["gsi"] is None and j[1]["error"] == "ENOENT" and j[1]["reason"] == "no GSI: the device has no INTx pin"'
x --json gsi 0001:00:02.0
expect "global --json" json 'j[0]["gsi"] == 23 and j[0]["sbdf"] == 0x10010'
end

begin irq2gsi
fixture gsi
x irq2gsi 53 51
expect "rc 0" rc_is 0
expect "scan" out_is "$(printf '53 21 sysfs\n51 19 sysfs')"
x --json irq2gsi 52
expect "json" json 'j == [{"irq": 52, "gsi": 20, "source": "sysfs", "trigger": "unknown", "polarity": "unknown", "origin": "unknown"}]'
fixture
mkdir -p "$R/dev/xen" "$R/.fake/ioctl"
: >"$R/dev/xen/privcmd-gsi"
echo 'irq 51 19' >"$R/.fake/ioctl/privcmd-gsi"
x irq2gsi 51 60
expect "rc 1" rc_is 1
expect "ioctl" out_is "51 19 privcmd-gsi"
expect "unmapped" err_has '^xenpt: irq 60: not mapped to a GSI$'
fixture
x irq2gsi 51
expect "pvh none" err_has '^xenpt: irq 51: no GSI source.*privcmd-gsi'
end

# A pin wired to nothing: the irq file holds IRQ_NOTCONNECTED (1U << 31).
# No GSI on any path, the reason said, exit 1.
begin gsi_not_connected_is_no_gsi
fixture pv
echo 2147483648 >"$R/sys/bus/pci/devices/0000:00:04.0/irq"
x gsi 00:04.0
expect "rc 1" rc_is 1
expect "no output" out_empty
expect "one line" err_lines 1
expect "message" err_has '^xenpt: 0000:00:04\.0: no GSI: its INTx pin is not connected \(irq file 2147483648'
x gsi --json 00:04.0
expect "json" json 'j == [{"bdf": "0000:00:04.0", "sbdf": 32, "gsi": None, "source": None, "error": "ENOENT", "reason": "no GSI: its INTx pin is not connected (irq file 2147483648, IRQ_NOTCONNECTED)"}]'
x list
expect "list: rc 0" rc_is 0
expect "list row" out_has '^0000:00:04\.0 8086:100e 020000 e1000 +- +- +- +no +2$'
expect "list: no number anywhere" sh -c "! grep -q 2147483648 '$T/out'"
x list --json
expect "list json" json '[d for d in j if d["bdf"] == "0000:00:04.0"][0]["gsi"] is None and [d for d in j if d["bdf"] == "0000:00:04.0"][0]["gsi_error"] == "ENOENT"'
x irq2gsi 2147483648
expect "irq2gsi: rc 1" rc_is 1
expect "irq2gsi: no output" out_empty
expect "irq2gsi message" err_has '^xenpt: irq 2147483648: not a legacy INTx line'
end

# A dom0 driver enabled MSI: the irq file holds the MSI irq (msi_irqs/125).
begin gsi_msi_irq_is_not_the_gsi
fixture pv msi
x gsi 00:1f.2
expect "rc 1" rc_is 1
expect "no output" out_empty
expect "says why" err_has '^xenpt: 0000:00:1f\.2: GSI not known: the irq file holds an MSI interrupt \(irq 125\), not INTx'
expect "one line" err_lines 1
x gsi 00:05.0
expect "MSI-X keeps the INTx irq" out_is "0000:00:05.0 52 irq"
x list
expect "list row" out_has '^0000:00:1f\.2 8086:2922 010601 ahci +125 +- +- +no +4$'
expect "list quiet" err_empty
x irq2gsi 125 126
expect "irq2gsi: rc 1" rc_is 1
expect "irq2gsi: no output" out_empty
expect "irq2gsi message" err_has '^xenpt: irq 125: an MSI interrupt of 0000:00:1f\.2, not a GSI$'
expect "irq2gsi MSI-X" err_has '^xenpt: irq 126: an MSI interrupt of 0000:00:05\.0, not a GSI$'
fixture pv msi gsi
x gsi 00:1f.2
expect "a source still answers" out_is "0000:00:1f.2 16 sysfs"
end

# --- list ----------------------------------------------------------------

begin list_text
fixture gsi
x list
expect "rc 0" rc_is 0
expect "header" out_has '^BDF +ID +CLASS +DRIVER +IRQ +GSI +SOURCE +ASSIGNABLE +GROUP$'
expect "rows" [ "$(wc -l <"$T/out")" = 10 ]
expect "row" out_has '^0000:00:04\.0 8086:100e 020000 e1000 +51 +19 sysfs +no +2$'
expect "no pin row" out_has '^0000:01:00\.0 1234:5678 ff0000 - +0 +- +- +no +5$'
expect "quiet" err_empty
end

begin list_pvh_warns_once
fixture
x list
expect "rc 0" rc_is 0
expect "one warning" err_lines 1
expect "warning" err_has '^xenpt: warning: 7 GSIs unknown: no GSI source.*privcmd-gsi'
x -q list
expect "-q" err_empty
end

begin list_json
fixture gsi
x assignable-add 00:04.0
x list --json
expect "rc 0" rc_is 0
expect "9 devices" json 'len(j) == 9'
expect "fields" json '[d for d in j if d["bdf"] == "0000:00:04.0"][0] == {"bdf": "0000:00:04.0", "sbdf": 32, "vendor": "8086", "device": "100e", "class": "020000", "driver": "pciback", "irq": 51, "pin": 1, "kind": "endpoint", "gsi": 19, "gsi_source": "sysfs", "gsi_error": None, "trigger": "unknown", "polarity": "unknown", "gsi_origin": "unknown", "assignable": True, "remembered_driver": "e1000", "persist": False, "name": None, "driver_override": "pciback", "quarantined": True, "problem": None, "iommu_group": 2}'
expect "no pin" json '[d for d in j if d["bdf"] == "0000:01:00.0"][0]["gsi_error"] == "ENOENT"'
fixture
x --json list
expect "pvh gsi error" json 'j[2]["gsi"] is None and j[2]["gsi_error"] == "ENOTSUP"'
end

# --- assignment ----------------------------------------------------------------

begin assignable_add_list_remove
fixture
x assignable-add 0000:00:04.0
expect "add: rc 0" rc_is 0
expect "add: silent" err_empty
expect "add: silent stdout" out_empty
expect "on pciback" driver_is 0000:00:04.0 pciback
x assignable-add 0000:00:04.0
expect "idempotent" rc_is 0
x assignable-list
expect "list" out_is "0000:00:04.0 e1000"
x assignable-list --json
expect "list json" json 'j == [{"bdf": "0000:00:04.0", "driver": "e1000", "known": True, "persist": False, "name": None, "assigned": True, "current_driver": "pciback", "quarantined": True, "problem": None, "present": True}]'
x assignable-remove -r 0000:00:04.0
expect "remove: rc 0" rc_is 0
expect "back on e1000" driver_is 0000:00:04.0 e1000
x assignable-list
expect "empty list" out_empty
end

begin assignable_remove_without_rebind
fixture
x assignable-add 00:04.0
x assignable-remove 00:04.0
expect "rc 0" rc_is 0
expect "unbound" driver_is 0000:00:04.0 ""
end

begin assignable_add_refuses_devices_in_use
fixture
x assignable-add 00:1f.2
expect "rc 1" rc_is 1
expect "message" err_is "xenpt: 0000:00:1f.2: in use by dom0: /dev/sda1 (sda1) is mounted on / (--force to assign it anyway)"
expect "untouched" driver_is 0000:00:1f.2 ahci
x assignable-add --force 00:1f.2
expect "forced" rc_is 0
expect "forced on pciback" driver_is 0000:00:1f.2 pciback
end

begin assignable_add_failure_puts_it_back
fixture
printf 'probe pciback 0 ENODEV -1\n' >"$R/.fake/fail"
x assignable-add 00:04.0
expect "rc 1" rc_is 1
expect "one line" err_lines 1
expect "message" err_is "xenpt: 0000:00:04.0: cannot bind to pciback: No such device; put back on e1000"
expect "back on e1000" driver_is 0000:00:04.0 e1000
expect "nothing remembered" [ ! -e "$R/var/lib/xenpt/devices/0000:00:04.0" ]
end

begin assignable_add_several_one_fails
fixture
x assignable-add 00:04.0 00:03.0 01:00.0
expect "rc 1" rc_is 1
expect "one error" err_lines 1
expect "message" err_has '^xenpt: 0000:00:03\.0: in use by dom0: network interface eth0 is up'
expect "others done" driver_is 0000:00:04.0 pciback
expect "others done 2" driver_is 0000:01:00.0 pciback
end

begin assignable_add_warns_about_peers
fixture
x assignable-add 00:05.0
expect "rc 0" rc_is 0
expect "warning" err_has '^xenpt: warning: 0000:00:05\.0: 0000:00:05\.1 is in the same IOMMU group \(3\) and is not assignable \(driver igb\)'
x assignable-remove -r 00:05.0
x assignable-add --strict 00:05.0
expect "strict: rc 1" rc_is 1
expect "strict message" err_has '^xenpt: 0000:00:05\.0: 1 related device is not assignable \(--strict\)'
x assignable-add --strict 00:05.*
expect "all functions: rc 0" rc_is 0
expect "all functions: no warning" err_empty
end

begin assignable_remove_errors
fixture
x assignable-remove 00:04.0
expect "rc 1" rc_is 1
expect "message" err_is "xenpt: 0000:00:04.0: not assignable (not bound to pciback)"
x assignable-add 00:04.0
rm -rf "$R/sys/bus/pci/drivers/e1000"
x assignable-remove -r 00:04.0
expect "driver gone: rc 1" rc_is 1
expect "driver gone message" err_has '^xenpt: 0000:00:04\.0: cannot give it back to e1000: driver not loaded'
expect "stays on pciback" driver_is 0000:00:04.0 pciback
end

begin assignable_without_pciback
fixture nopciback
x assignable-add 00:04.0
expect "rc 1" rc_is 1
expect "message" err_is "xenpt: 0000:00:04.0: xen-pciback is not loaded (modprobe xen-pciback)"
end

begin assignable_persist_udev_rule
fixture
x assignable-add --persist 00:04.0
expect "rc 0" rc_is 0
expect "rule" grep -q 'KERNEL=="0000:00:04.0", ATTR{driver_override}="pciback"' "$R/etc/udev/rules.d/60-xenpt.rules"
x assignable-list
expect "persist listed" out_is "0000:00:04.0 e1000 persist"
x assignable-remove -r 00:04.0
expect "rule removed" [ ! -e "$R/etc/udev/rules.d/60-xenpt.rules" ]
x --udev-dir "$R/elsewhere" assignable-add -p 00:04.0
expect "udev dir" [ -e "$R/elsewhere/60-xenpt.rules" ]
end

# The rule follows the records, and seizes at boot even after the native
# driver: its line runs xenpt --boot assignable-add, as driverctl's does.
begin persist_rule_runs_the_boot_add
fixture
x assignable-add --persist 00:04.0
expect "rc 0" rc_is 0
expect "rule line" grep -qE '^ACTION=="add", SUBSYSTEM=="pci", KERNEL=="0000:00:04\.0", ATTR\{driver_override\}="pciback", RUN\{builtin\}\+="kmod load xen-pciback xen-privcmd", RUN\+="/[^"]*/xenpt --boot assignable-add 0000:00:04\.0"$' "$R/etc/udev/rules.d/60-xenpt.rules"
expect "one line" [ "$(grep -c '^ACTION' "$R/etc/udev/rules.d/60-xenpt.rules")" = 1 ]
end

begin boot_takes_a_persistent_device_from_its_native_driver
fixture gsi
x assignable-add --persist 00:04.0
native_first
expect "on e1000" driver_is 0000:00:04.0 e1000
x list
expect "list flags it" out_has '^0000:00:04\.0 8086:100e 020000 e1000 +51 +19 sysfs +idle +2$'
expect "list warns" err_has '^xenpt: warning: 0000:00:04\.0: persistent assignment not in effect: on e1000'
x list --json
expect "list json" json '[d for d in j if d["bdf"] == "0000:00:04.0"][0]["problem"] == "persist-not-in-effect"'
x assignable-list
expect "assignable-list says so" out_is "0000:00:04.0 e1000 persist (not in effect: on e1000)"
expect "assignable-list warns" err_has '^xenpt: warning: 0000:00:04\.0: persistent assignment not in effect'
x assignable-list --json
expect "assignable-list json" json 'j[0]["assigned"] is False and j[0]["current_driver"] == "e1000" and j[0]["problem"] == "persist-not-in-effect"'
: >"$R/.fake/xc.log"
x --boot assignable-add 0000:00:04.0
expect "boot: rc 0" rc_is 0
expect "boot: one line" err_is "xenpt: 0000:00:04.0: boot: on pciback (was on e1000)"
expect "boot: nothing on stdout" out_empty
expect "boot: on pciback" driver_is 0000:00:04.0 pciback
expect "boot: quarantined" xc_log_has '^xc_assign_device 0x7ff1 0x20 1 \[pciback\] -> ok$'
x assignable-list
expect "in effect" out_is "0000:00:04.0 e1000 persist"
expect "no warning" err_empty

x --boot assignable-add 0000:00:04.0
expect "boot again: rc 0" rc_is 0
expect "boot again: one line" err_is "xenpt: 0000:00:04.0: boot: on pciback"
x --boot list
expect "boot is for assignable-add" rc_is 2
# a boot add that cannot be done: one line, rc 1
x assignable-add --force --persist 00:03.0
k /sys/bus/pci/drivers/pciback/unbind 0000:00:03.0 \
  /sys/bus/pci/devices/0000:00:03.0/driver_override "" \
  /sys/bus/pci/drivers/e1000/bind 0000:00:03.0
x --boot assignable-add 0000:00:03.0
expect "boot refused: rc 1" rc_is 1
expect "boot refused: one line" err_is "xenpt: 0000:00:03.0: boot: not on pciback (on e1000): in use by dom0: network interface eth0 is up (--force to assign it anyway)"
end

# Run by udev's rule (its event in the environment), --boot's line goes
# to syslog: udevd keeps a RUN program's stderr for its debug log only.
begin boot_from_udev_says_it_in_syslog
fixture gsi
x assignable-add --persist 00:04.0
native_first
: >"$R/.fake/log"
ACTION=add DEVPATH=/devices/pci0000:00/0000:00:04.0 SEQNUM=4711 \
	x --boot assignable-add 0000:00:04.0
expect "rc 0" rc_is 0
expect "on pciback" driver_is 0000:00:04.0 pciback
expect "nothing on stderr" err_empty
expect "its line in syslog, as an error" \
	grep -qx 'syslog 3 xenpt: 0000:00:04.0: boot: on pciback (was on e1000)' "$R/.fake/log"
expect "one message" test "$(grep -c '^syslog ' "$R/.fake/log")" = 1
x assignable-add --force --persist 00:03.0
k /sys/bus/pci/drivers/pciback/unbind 0000:00:03.0 \
  /sys/bus/pci/devices/0000:00:03.0/driver_override "" \
  /sys/bus/pci/drivers/e1000/bind 0000:00:03.0
: >"$R/.fake/log"
ACTION=add DEVPATH=/devices/pci0000:00/0000:00:03.0 SEQNUM=4712 \
	x --boot assignable-add 0000:00:03.0
expect "refused: rc 1" rc_is 1
expect "refused: its reason in syslog" \
	grep -qx 'syslog 3 xenpt: 0000:00:03.0: boot: not on pciback (on e1000): in use by dom0: network interface eth0 is up (--force to assign it anyway)' "$R/.fake/log"
end

# xenpt-persist.service: --boot without a BDF takes every persistent
# device, before guests start, whether udev's rule ran yet or not.
begin boot_without_a_bdf_takes_every_persistent_device
fixture gsi
x assignable-add --persist 00:04.0
x assignable-add 00:05.0
x assignable-remove -r 00:05.0
native_first
expect "on e1000" driver_is 0000:00:04.0 e1000
x --boot assignable-add
expect "rc 0" rc_is 0
expect "one line" err_is "xenpt: 0000:00:04.0: boot: on pciback (was on e1000)"
expect "on pciback" driver_is 0000:00:04.0 pciback
expect "00:05.0 left alone" driver_is 0000:00:05.0 igb
x --boot assignable-add
expect "again: rc 0" rc_is 0
expect "again: still there" err_is "xenpt: 0000:00:04.0: boot: on pciback"
x assignable-remove -r 00:04.0
x --boot assignable-add
expect "none persistent: rc 0" rc_is 0
expect "none persistent: nothing said" err_empty
end

# A plain add of a persistent device keeps it persistent; a failed add
# leaves the record and the rule as they were; remove drops both.
begin persist_record_and_rule_agree
fixture
x assignable-add --persist 00:04.0
cp "$R/var/lib/xenpt/devices/0000:00:04.0" "$T/rec"
cp "$R/etc/udev/rules.d/60-xenpt.rules" "$T/rules"
native_first
x assignable-add 00:04.0
expect "plain add: rc 0" rc_is 0
x assignable-list
expect "still persistent" out_is "0000:00:04.0 e1000 persist"
expect "same record" cmp -s "$T/rec" "$R/var/lib/xenpt/devices/0000:00:04.0"
expect "same rule" cmp -s "$T/rules" "$R/etc/udev/rules.d/60-xenpt.rules"
native_first
echo 'probe pciback 0 ENODEV -1' >"$R/.fake/fail"
x assignable-add 00:04.0
expect "failed add: rc 1" rc_is 1
expect "failed add: message" err_has '^xenpt: 0000:00:04\.0: cannot bind to pciback: No such device; put back on e1000$'
expect "failed add: same record" cmp -s "$T/rec" "$R/var/lib/xenpt/devices/0000:00:04.0"
expect "failed add: same rule" cmp -s "$T/rules" "$R/etc/udev/rules.d/60-xenpt.rules"
: >"$R/.fake/fail"
x assignable-remove -r 00:04.0
expect "remove: rc 0" rc_is 0
expect "remove: no rule" [ ! -e "$R/etc/udev/rules.d/60-xenpt.rules" ]
expect "remove: no record" [ ! -e "$R/var/lib/xenpt/devices/0000:00:04.0" ]
expect "remove: on e1000" driver_is 0000:00:04.0 e1000
expect "remove: no override" grep -qx '(null)' "$R$D4/driver_override"
end

# Left half-way by another tool: shown, and repaired by assignable-remove.
begin stuck_overrides_are_shown_and_repaired
fixture gsi
k $D4/driver_override pciback /sys/bus/pci/drivers/e1000/unbind 0000:00:04.0
x list
expect "list: stuck" out_has '^0000:00:04\.0 8086:100e 020000 - +51 +19 sysfs +stuck +2$'
expect "list: warning" err_is "xenpt: warning: 0000:00:04.0: stuck: unbound with driver_override=pciback (left by another tool); 'xenpt assignable-remove -r 0000:00:04.0' gives it back to its driver"
x list --json
expect "json" json '[d for d in j if d["bdf"] == "0000:00:04.0"][0]["problem"] == "stuck" and [d for d in j if d["bdf"] == "0000:00:04.0"][0]["driver_override"] == "pciback"'
x assignable-remove -r 00:04.0
expect "repair: rc 0" rc_is 0
expect "repair: said" err_has '^xenpt: warning: 0000:00:04\.0: was left unbound with driver_override=pciback by another tool; repaired: override cleared, now on e1000$'
expect "repair: on e1000" driver_is 0000:00:04.0 e1000
x list
expect "clean again" err_empty
k $D4/driver_override pciback
x list
expect "stale override" out_has '^0000:00:04\.0 8086:100e 020000 e1000 +51 +19 sysfs +stale +2$'
expect "stale warning" err_has "^xenpt: warning: 0000:00:04\.0: stale driver_override=pciback: bound to e1000"
x assignable-remove 00:04.0
expect "stale: rc 0" rc_is 0
expect "stale: cleared" grep -qx '(null)' "$R$D4/driver_override"
expect "stale: still on e1000" driver_is 0000:00:04.0 e1000
x assignable-remove 00:04.0
expect "nothing to do: rc 1" rc_is 1
end

begin assignable_list_without_pciback_fails
fixture nopciback
x assignable-list
expect "rc 1" rc_is 1
expect "message" err_is "xenpt: xen-pciback is not loaded (modprobe xen-pciback)"
expect "no output" out_empty
end

# An SR-IOV PF: unbinding its driver destroys its VFs.
begin sriov_pf_with_vfs_in_use_is_refused
fixture sriov
x assignable-add --strict 00:04.0
expect "strict: rc 1" rc_is 1
expect "strict: names the VF and its user" err_is "xenpt: 0000:00:04.0: in use: unbinding it from e1000 destroys its SR-IOV virtual functions, and this one is used: 0000:00:10.0 (igbvf: network interface eth9 is up) (--strict)"
expect "untouched" driver_is 0000:00:04.0 e1000
x assignable-add 00:04.0
expect "default: rc 1" rc_is 1
expect "default: --force" err_has '\(--force to assign it anyway\)$'
x assignable-add --strict --force 00:04.0
expect "strict wins over force" rc_is 1
x assignable-add --force 00:04.0
expect "force: rc 0" rc_is 0
expect "force: warned" err_has '^xenpt: warning: 0000:00:04\.0: unbinding it from e1000 destroys its SR-IOV virtual functions, in use: 0000:00:10\.0'
end

# xl pci-assignable-add -n NAME, pci-assignable-remove NAME, -list -n.
begin names_as_xl
fixture
x pci-assignable-add -n gpu 00:04.0
expect "add: rc 0" rc_is 0
x pci-assignable-list -n
expect "list -n" out_is "0000:00:04.0 gpu e1000"
x assignable-list --json
expect "json" json 'j[0]["name"] == "gpu"'
x assignable-add --name gpu 00:05.0
expect "unique: rc 1" rc_is 1
expect "unique: message" err_has '^xenpt: 0000:00:05\.0: the name "gpu" is 0000:00:04\.0.s already$'
expect "unique: untouched" driver_is 0000:00:05.0 igb
for bad in "a b" "a,b" "00:05.0" "a=b" ""; do
	x assignable-add -n "$bad" 00:05.0
	expect "'$bad': usage" rc_is 2
done
x assignable-add -n two 00:05.0 00:05.1
expect "one device per name" rc_is 2
x assignable-add -n two '00:05.*'
expect "no wildcard" rc_is 2
x assignable-add 00:04.0
x assignable-list -n
expect "a plain add keeps the name" out_is "0000:00:04.0 gpu e1000"
x assignable-remove nosuch
expect "unknown name: rc 1" rc_is 1
expect "unknown name: message" err_is "xenpt: nosuch: no assignable device has that name"
x pci-assignable-remove -r gpu
expect "remove by name" rc_is 0
expect "remove by name: on e1000" driver_is 0000:00:04.0 e1000
x assignable-add -n nic 00:04.0
x assignable-remove -r -n nic
expect "remove -n" driver_is 0000:00:04.0 e1000
x assignable-remove "a b"
expect "neither BDF nor name: usage" rc_is 2
end

# Xen's quarantine through the running Xen's libxenctrl (here the fake
# libxenctrl.so.4.20 of tests/fakexc.c, through LD_LIBRARY_PATH).
begin quarantine_through_libxenctrl
fixture
x assignable-add 00:04.0
expect "add: rc 0" rc_is 0
expect "quarantined on pciback" xc_log_has '^xc_assign_device 0x7ff1 0x20 1 \[pciback\] -> ok$'
x assignable-remove -r 00:04.0
expect "out of it while still on pciback" xc_log_has '^xc_deassign_device 0x7ff1 0x20 \[pciback\] -> ok$'
expect "back on e1000" driver_is 0000:00:04.0 e1000
echo 22 >"$R/sys/hypervisor/version/minor"
x assignable-add 0001:00:02.0
expect "no library: rc 1" rc_is 1
# one line for the device, saying it all (the library's reason in its result)
expect "no library: names it" err_has ': libxenctrl\.so\.4\.22 \(the libxenctrl of the running Xen 4\.22\) is not installed; install Xen 4\.22.s libraries, or skip the quarantine \(--no-quarantine\)$'
expect "no library: the device" err_has '^xenpt: 0001:00:02\.0: not assigned, still on e1000: it cannot be quarantined: '
expect "no library: one line" err_lines 1
expect "no library: untouched" driver_is 0001:00:02.0 e1000
x assignable-add --no-quarantine 0001:00:02.0
expect "--no-quarantine: rc 0" rc_is 0
expect "--no-quarantine: on pciback" driver_is 0001:00:02.0 pciback
fixture noxen
x assignable-add 00:04.0
expect "not Xen: rc 0" rc_is 0
expect "not Xen: no libxenctrl" [ ! -e "$R/.fake/xc.log" ]
end

# A persistent device added without the quarantine is not quarantined at
# boot either (the boot has no libxenctrl to find, and is not asked to).
begin boot_keeps_no_quarantine
fixture
x assignable-add --persist --no-quarantine 00:04.0
expect "add: rc 0" rc_is 0
native_first
: >"$R/.fake/xc.log"
x --boot assignable-add 0000:00:04.0
expect "boot: rc 0" rc_is 0
expect "boot: on pciback" driver_is 0000:00:04.0 pciback
expect "boot: not quarantined" [ ! -s "$R/.fake/xc.log" ]
echo 22 >"$R/sys/hypervisor/version/minor"
native_first
x --boot assignable-add 0000:00:04.0
expect "boot without libxenctrl: rc 0" rc_is 0
expect "boot without libxenctrl: on pciback" driver_is 0000:00:04.0 pciback
end

begin xl_spellings
fixture
x pci-assignable-add 00:04.0
expect "add" rc_is 0
x pci-assignable-list
expect "list" out_is "0000:00:04.0 e1000"
x pci-assignable-remove -r 00:04.0
expect "remove" driver_is 0000:00:04.0 e1000
end

begin xenpt_root_environment
fixture pv
env XENPT_ROOT="$R" "$XENPT" gsi 00:04.0 >"$T/out" 2>"$T/err"
expect "XENPT_ROOT" out_is "0000:00:04.0 51 irq"
end

# --root DIR does what XENPT_ROOT does, and wins over it
begin root_option
fixture pv
env -u XENPT_ROOT "$XENPT" --root "$R" gsi 00:04.0 >"$T/out" 2>"$T/err"
expect "--root" out_is "0000:00:04.0 51 irq"
env XENPT_ROOT=/nonexistent "$XENPT" --root "$R" gsi 00:04.0 >"$T/out" 2>"$T/err"
expect "--root wins" out_is "0000:00:04.0 51 irq"
end

begin state_dir_option
fixture
x --state-dir "$R/mystate" assignable-add 00:04.0
expect "rc 0" rc_is 0
expect "record there" [ -e "$R/mystate/devices/0000:00:04.0" ]
end

# --- dom0 uses it: the kinds (issue 18) -------------------------------------------

# Input 1: Linux's native NVMe multipath: the namespace hangs below the
# subsystem, linked to the controller only from there; dom0's root on it.
begin nvme_native_multipath_root_is_refused
fixture
no_root_mount
mkdev 0000:03:00.0 $P 144d a824 010802 nvme 1 0
C=$P/0000:03:00.0/nvme/nvme0
S=/sys/devices/virtual/nvme-subsystem/nvme-subsys0
put $C/dev 240:0
put $C/nvme0c0n1/dev 259:3
lnk $S/nvme0 $C
blk $S/nvme0n1 259:0
blk $S/nvme0n1/nvme0n1p2 259:2
echo '/dev/nvme0n1p2 / ext4 rw 0 0' >>"$R/proc/mounts"
before 0000:03:00.0
x assignable-add 03:00.0
expect "rc 1" rc_is 1
expect "says what is mounted" err_is "xenpt: 0000:03:00.0: in use by dom0: /dev/nvme0n1p2 (nvme0n1p2) is mounted on / (--force to assign it anyway)"
expect "untouched" same_as_before 0000:03:00.0
x assignable-add --strict 03:00.0
expect "strict: rc 1" rc_is 1
expect "strict: untouched" same_as_before 0000:03:00.0
end

# md over a multipath NVMe namespace's partition, nothing mounted
begin md_over_nvme_multipath_is_refused
fixture
mkdev 0000:03:00.0 $P 144d a824 010802 nvme 1 0
C=$P/0000:03:00.0/nvme/nvme0
S=/sys/devices/virtual/nvme-subsystem/nvme-subsys0
put $C/dev 240:0
lnk $S/nvme0 $C
blk $S/nvme0n1 259:0
blk $S/nvme0n1/nvme0n1p1 259:1
vblk md0 9:0
put /sys/devices/virtual/block/md0/md/level raid1
lnk $S/nvme0n1/nvme0n1p1/holders/md0 /sys/devices/virtual/block/md0
before 0000:03:00.0
x assignable-add 03:00.0
expect "rc 1" rc_is 1
expect "names the holder" err_is "xenpt: 0000:03:00.0: in use by dom0: nvme0n1p1 is held by md0 (raid1) (--force to assign it anyway)"
expect "untouched" same_as_before 0000:03:00.0
end

# Input 2: an LV a guest uses through blkback (held, not mounted), and md0
# holding a partition of an AHCI disk.
begin holders_without_a_mount_are_refused
fixture
mkdev 0000:03:00.0 $P 144d a808 010802 nvme 1 0
C=$P/0000:03:00.0/nvme/nvme0
put $C/dev 240:0
put $C/nvme0n1/dev 259:0
put $C/nvme0n1/nvme0n1p1/dev 259:1
put /sys/devices/virtual/block/dm-0/dev 253:0
put /sys/devices/virtual/block/dm-0/dm/name vg0-guest1
lnk $C/nvme0n1/nvme0n1p1/holders/dm-0 /sys/devices/virtual/block/dm-0
before 0000:03:00.0
x assignable-add 03:00.0
expect "lv: rc 1" rc_is 1
expect "lv: names the holder" err_is "xenpt: 0000:03:00.0: in use by dom0: nvme0n1p1 is held by dm-0 (vg0-guest1) (--force to assign it anyway)"
expect "lv: untouched" same_as_before 0000:03:00.0
mkdev 0000:04:00.0 $P 8086 2922 010601 ahci 1 0
B=$P/0000:04:00.0/ata2/host1/target1:0:0/1:0:0:0/block/sdb
blk $B 8:16
blk $B/sdb1 8:17
vblk md0 9:0
lnk $B/sdb1/holders/md0 /sys/devices/virtual/block/md0
before 0000:04:00.0
x assignable-add 04:00.0
expect "md: rc 1" rc_is 1
expect "md: names the holder" err_is "xenpt: 0000:04:00.0: in use by dom0: sdb1 is held by md0 (--force to assign it anyway)"
expect "md: untouched" same_as_before 0000:04:00.0
x assignable-add --force 04:00.0
expect "forced: rc 0" rc_is 0
expect "forced: on pciback" driver_is 0000:04:00.0 pciback
end

# Other members of the storage kind, each on an AHCI disk sdb: dm-crypt
# (held), bcache (mounted above; a cache device), a loop device backed by
# the partition, a multi-device btrfs mounted through another disk, a ZFS
# vdev, blkback serving a guest.
begin storage_stacks_are_refused
fixture
mkdev 0000:04:00.0 $P 8086 2922 010601 ahci 1 0
B=$P/0000:04:00.0/ata2/host1/target1:0:0/1:0:0:0/block/sdb
V=/sys/devices/virtual/block
blk $B 8:16
blk $B/sdb1 8:17
put $B/sdb1/partition 1
refused() {
	before 0000:04:00.0
	x assignable-add 04:00.0
	expect "$1: rc 1" rc_is 1
	expect "$1: reason" err_is "xenpt: 0000:04:00.0: in use by dom0: $2 (--force to assign it anyway)"
	expect "$1: untouched" same_as_before 0000:04:00.0
}
vblk dm-1 253:1
put $V/dm-1/dm/name luks-1234
put $V/dm-1/dm/uuid CRYPT-LUKS2-1234abcd-luks-1234
lnk $B/sdb1/holders/dm-1 $V/dm-1
refused dm-crypt "sdb1 is held by dm-1 (luks-1234, dm-crypt)"
rm "$R$B/sdb1/holders/dm-1"
vblk bcache0 252:0
lnk $B/holders/bcache0 $V/bcache0
mkdir -p "$R$B/bcache"
echo '/dev/bcache0 /srv ext4 rw 0 0' >>"$R/proc/mounts"
refused bcache "/dev/bcache0 (bcache0) is mounted on /srv"
rm "$R$B/holders/bcache0"
refused "bcache cache" "sdb is registered with bcache"
rm -r "$R$B/bcache"
vblk loop0 7:0
put $V/loop0/loop/backing_file /dev/sdb1
refused loop "sdb1 is the backing file of loop0"
rm -r "$R$V/loop0/loop"
lnk /sys/fs/btrfs/8e0a4d2c/devices/sdb1 $B/sdb1
lnk /sys/fs/btrfs/8e0a4d2c/devices/sdz1 $V/sdz1
put /sys/fs/btrfs/8e0a4d2c/label data
echo '/dev/sdz1 /data btrfs rw 0 0' >>"$R/proc/mounts"
refused btrfs 'sdb1 is a device of the btrfs file system "data" mounted on /data'
rm -r "$R/sys/fs/btrfs"
put /run/udev/data/b8:17 "$(printf 'E:ID_FS_TYPE=zfs_member\nE:ID_FS_LABEL=tank')"
put /proc/spl/kstat/zfs/tank/state ONLINE
refused zfs "sdb1 is a vdev of the imported ZFS pool tank"
rm -r "$R/proc/spl"
put /sys/bus/xen-backend/devices/vbd-3-51712/physical_device 8:11
refused blkback "sdb1 is a disk of domain 3 (blkback vbd-3-51712)"
rm -r "$R/sys/bus/xen-backend"
x assignable-add 04:00.0
expect "nothing left: rc 0" rc_is 0
end

# More storage stacks: dm-multipath mounted through kpartx's mapping,
# swap on an LV, the root mounted as /dev/root (mountinfo's MAJ:MIN), LIO
# and NVMe target backstores.
begin storage_stacks_more_are_refused
fixture
mkdev 0000:04:00.0 $P 8086 2922 010601 ahci 1 0
B=$P/0000:04:00.0/ata2/host1/target1:0:0/1:0:0:0/block/sdb
V=/sys/devices/virtual/block
blk $B 8:16
blk $B/sdb1 8:17
blk $B/sdb2 8:18
refused() {
	before 0000:04:00.0
	x assignable-add 04:00.0
	expect "$1: rc 1" rc_is 1
	expect "$1: reason" err_is "xenpt: 0000:04:00.0: in use by dom0: $2 (--force to assign it anyway)"
	expect "$1: untouched" same_as_before 0000:04:00.0
}
vblk dm-3 253:3
put $V/dm-3/dm/name mpatha
put $V/dm-3/dm/uuid mpath-3600a098038303053
vblk dm-4 253:4
put $V/dm-4/dm/name mpatha1
put $V/dm-4/dm/uuid part1-mpath-3600a098038303053
lnk $B/holders/dm-3 $V/dm-3
lnk $V/dm-3/holders/dm-4 $V/dm-4
cp "$R/proc/mounts" "$T/mounts"
echo '/dev/mapper/mpatha1 /var xfs rw 0 0' >>"$R/proc/mounts"
refused multipath "/dev/mapper/mpatha1 (dm-4) is mounted on /var"
cp "$T/mounts" "$R/proc/mounts"
refused "multipath unmounted" "sdb is held by dm-3 (mpatha, multipath)"
rm "$R$B/holders/dm-3"
vblk dm-5 253:5
put $V/dm-5/dm/name vg-swap
put $V/dm-5/dm/uuid LVM-swap
lnk $B/sdb2/holders/dm-5 $V/dm-5
printf '/dev/dm-5\tpartition\t1000\t0\t-2\n' >>"$R/proc/swaps"
refused "swap on LVM" "/dev/dm-5 (dm-5) is used for swap"
rm "$R$B/sdb2/holders/dm-5"
head -1 "$R/proc/swaps" >"$T/swaps" && cp "$T/swaps" "$R/proc/swaps"
put /proc/self/mountinfo "25 1 8:17 / / rw,relatime shared:1 - ext4 /dev/root rw"
refused "/dev/root" "/dev/root (sdb1) is mounted on /"
rm "$R/proc/self/mountinfo"
put /sys/kernel/config/target/core/iblock_0/disk1/udev_path /dev/sdb
refused LIO "sdb is exported by the LIO target (iblock_0/disk1)"
rm -r "$R/sys/kernel/config/target"
put /sys/kernel/config/nvmet/subsystems/nqn.x/namespaces/1/device_path /dev/sdb2
put /sys/kernel/config/nvmet/subsystems/nqn.x/namespaces/1/enable 1
refused nvmet "sdb2 is exported by the NVMe target (nqn.x, namespace 1)"
put /sys/kernel/config/nvmet/subsystems/nqn.x/namespaces/1/enable 0
x assignable-add 04:00.0
expect "a disabled namespace holds nothing: rc 0" rc_is 0
end

# Displays: a framebuffer, a lit DRM connector, a console on a serial
# card's port; a second GPU with nothing lit is free.
begin displays_and_consoles_are_refused
fixture
mkdev 0000:06:00.0 $P 1002 67df 030000 amdgpu 1 58
G=$P/0000:06:00.0
put $G/boot_vga 0
put $G/graphics/fb1/dev 29:1
before 0000:06:00.0
x assignable-add 06:00.0
expect "fb: reason" err_is "xenpt: 0000:06:00.0: in use by dom0: framebuffer fb1 is on it (--force to assign it anyway)"
expect "fb: untouched" same_as_before 0000:06:00.0
rm -r "$R$G/graphics"
put $G/drm/card1/card1-HDMI-A-1/status connected
put $G/drm/card1/card1-HDMI-A-1/enabled enabled
x assignable-add 06:00.0
expect "lit: reason" err_is "xenpt: 0000:06:00.0: in use by dom0: display card1-HDMI-A-1 is connected and on (--force to assign it anyway)"
expect "lit: untouched" same_as_before 0000:06:00.0
put $G/drm/card1/card1-HDMI-A-1/status disconnected
x assignable-add 06:00.0
expect "nothing lit: rc 0" rc_is 0
mkdev 0000:07:00.0 $P 1c00 3253 070002 serial 1 19
mkdir -p "$R$P/0000:07:00.0/tty/ttyS4"
lnk /sys/class/tty/ttyS4 $P/0000:07:00.0/tty/ttyS4
put /sys/class/tty/console/active "tty0 ttyS4"
before 0000:07:00.0
x assignable-add 07:00.0
expect "serial: reason" err_is "xenpt: 0000:07:00.0: in use by dom0: the console ttyS4 is on it (--force to assign it anyway)"
expect "serial: untouched" same_as_before 0000:07:00.0
end

# Input 3: the GPU driving dom0's console: refused unless --force.
begin console_gpu_is_refused_unless_forced
fixture
mkdev 0000:06:00.0 $P 1002 67df 030000 amdgpu 1 58
G=$P/0000:06:00.0
put $G/boot_vga 1
put $G/drm/card0/dev 226:0
put $G/graphics/fb0/dev 29:0
before 0000:06:00.0
x assignable-add 06:00.0
expect "rc 1" rc_is 1
expect "says it drives the console" err_is "xenpt: 0000:06:00.0: in use by dom0: it is the boot VGA device (boot_vga): dom0's console; framebuffer fb0 is on it (--force to assign it anyway)"
expect "untouched" same_as_before 0000:06:00.0
x assignable-add --force 06:00.0
expect "forced: rc 0" rc_is 0
expect "forced: on pciback" driver_is 0000:06:00.0 pciback
end

# dom0's console input: a keyboard below a USB controller (the VT
# console's kbd handler in /proc/bus/input/devices); a USB device behind
# it usbback gives a guest; the console's output through netconsole on an
# interface.
begin console_keyboard_and_netconsole_are_refused
fixture
mkdev 0000:00:14.0 $P 8086 a36d 0c0330 xhci_hcd 1 17
K=/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/0003:046D:C31C.0001/input/input5
mkdir -p "$R/sys$K" "$R/proc/bus/input"
printf 'N: Name="Logitech USB Keyboard"\nS: Sysfs=%s\nH: Handlers=sysrq kbd leds event5\n' "$K" \
	>"$R/proc/bus/input/devices"
before 0000:00:14.0
x assignable-add 00:14.0
expect "keyboard: rc 1" rc_is 1
expect "keyboard: reason" err_is "xenpt: 0000:00:14.0: in use by dom0: keyboard \"Logitech USB Keyboard\" (input5) is on it: dom0's console reads it (--force to assign it anyway)"
expect "keyboard: untouched" same_as_before 0000:00:14.0
U=$P/0000:00:14.0/usb1/1-3/1-3:1.0
mkdir -p "$R$U"
lnk /sys/bus/usb/drivers/usbback/1-3:1.0 $U
x assignable-add --force 00:14.0
expect "usbback: forced past the keyboard" rc_is 0
x assignable-remove -r 00:14.0
rm "$R/proc/bus/input/devices"
x assignable-add 00:14.0
expect "usbback: rc 1" rc_is 1
expect "usbback: reason" err_is "xenpt: 0000:00:14.0: in use by dom0: USB interface 1-3:1.0 is on it, given to a guest (usbback) (--force to assign it anyway)"
put /sys/kernel/config/netconsole/target1/dev_name eth1
put /sys/kernel/config/netconsole/target1/enabled 1
before 0000:00:04.0
x assignable-add 00:04.0
expect "netconsole: rc 1" rc_is 1
expect "netconsole: reason" err_is "xenpt: 0000:00:04.0: in use by dom0: netconsole target1 sends dom0's console through eth1 (--force to assign it anyway)"
expect "netconsole: untouched" same_as_before 0000:00:04.0
end

# Network interfaces: up, with addresses, or enslaved (a bond's port).
begin enslaved_interface_is_refused
fixture
lnk $P/0000:00:04.0/net/eth1/master /sys/devices/virtual/net/bond0
before 0000:00:04.0
x assignable-add 00:04.0
expect "rc 1" rc_is 1
expect "reason" err_is "xenpt: 0000:00:04.0: in use by dom0: network interface eth1 is enslaved to bond0 (--force to assign it anyway)"
expect "untouched" same_as_before 0000:00:04.0
end

# Input 4: a host bridge and a PCIe root port are never assigned, whatever
# the flags; qemu-args refuses a bridge another tool put on pciback.
begin bridges_are_never_assigned
fixture
before 0000:00:00.0
x assignable-add --strict 00:00.0
expect "host bridge: rc 1" rc_is 1
expect "host bridge: why" err_is "xenpt: 0000:00:00.0: a host bridge (class 0600), not an endpoint: it cannot be passed through"
expect "host bridge: untouched" same_as_before 0000:00:00.0
x assignable-add --force 00:00.0
expect "host bridge forced: rc 1" rc_is 1
expect "host bridge forced: untouched" same_as_before 0000:00:00.0
mkdev 0000:00:1c.0 $P 8086 a110 060400 pcieport 1 60
before 0000:00:1c.0
x assignable-add --strict 00:1c.0
expect "root port: rc 1" rc_is 1
expect "root port: why" err_is "xenpt: 0000:00:1c.0: a PCI bridge (class 0604), not an endpoint: it cannot be passed through"
expect "root port: untouched" same_as_before 0000:00:1c.0
expect "root port: on pcieport" driver_is 0000:00:1c.0 pcieport
x list
expect "list says never" out_has '^0000:00:1c\.0 8086:a110 060400 pcieport +60 +- +- +never +-$'
expect "list: host bridge never" out_has '^0000:00:00\.0 8086:29c0 060000 - +0 +- +- +never +0$'
x list --json
expect "list json kind" json '[d for d in j if d["bdf"] == "0000:00:1c.0"][0]["kind"] == "bridge"'
k /sys/bus/pci/drivers/pcieport/unbind 0000:00:1c.0 $P/0000:00:1c.0/driver_override pciback \
  /sys/bus/pci/drivers/pciback/bind 0000:00:1c.0
expect "xl put it on pciback" driver_is 0000:00:1c.0 pciback
x qemu-args 00:1c.0
expect "qemu-args: rc 1" rc_is 1
expect "qemu-args: nothing printed" out_empty
expect "qemu-args: why" err_is "xenpt: 0000:00:1c.0: a PCI bridge (class 0604), not an endpoint: it cannot be passed through"
end

# Other bridges: ISA (LPC), CardBus, a type 1 header whatever the class, a
# PCIe downstream port seen by its capability; class 0680 with a normal
# header is an endpoint.
begin every_kind_of_bridge_is_refused
fixture
mkdev 0000:00:1f.0 $P 8086 2918 060100 lpc_ich 0 0
mkdev 0000:00:1d.0 $P 1234 0001 ff0000 - 0 0
mkdev 0000:00:1d.1 $P 1234 0002 088000 - 0 0
mkdev 0000:00:1d.2 $P 1180 0476 060700 yenta_cardbus 1 17
mkdev 0000:0a:00.0 $P 10de 0aa4 068000 - 1 22
cfg 0000:00:1d.0 256 1 -
cfg 0000:00:1d.1 4096 0 6
for d in "0000:00:1f.0:an ISA bridge (class 0601)" "0000:00:1d.0:a PCI-to-PCI bridge (header type 1)" \
	 "0000:00:1d.1:a PCI Express downstream port" "0000:00:1d.2:a CardBus bridge (class 0607)"; do
	b=${d%%:a*}; b=${b%%:an*}; w=${d#"$b":}
	before "$b"
	x assignable-add --force "$b"
	expect "$b: rc 1" rc_is 1
	expect "$b: why" err_is "xenpt: $b: $w, not an endpoint: it cannot be passed through"
	expect "$b: untouched" same_as_before "$b"
done
x assignable-add 0a:00.0
expect "0680, normal header: an endpoint" rc_is 0
end

# No IOMMU groups, PCI Express: a root port without ACS lets the NICs
# below its switch reach each other; with ACS enabled they are isolated;
# its config space unreadable: said, --strict refuses.
begin no_iommu_groups_acs_on_the_root_port
fixture
no_iommu_groups
mkdev 0000:00:1c.0 $P 8086 a110 060400 pcieport 1 60
mkdev 0000:0b:00.0 $P/0000:00:1c.0 10b5 8747 060400 pcieport 1 0
mkdev 0000:0c:08.0 $P/0000:00:1c.0/0000:0b:00.0 10b5 8747 060400 pcieport 1 0
mkdev 0000:0c:09.0 $P/0000:00:1c.0/0000:0b:00.0 10b5 8747 060400 pcieport 1 0
mkdev 0000:0d:00.0 $P/0000:00:1c.0/0000:0b:00.0/0000:0c:08.0 8086 10d3 020000 e1000 1 16
mkdev 0000:0e:00.0 $P/0000:00:1c.0/0000:0b:00.0/0000:0c:09.0 8086 10d3 020000 e1000 1 17
cfg 0000:00:1c.0 4096 1 4
cfg 0000:0b:00.0 4096 1 5
cfg 0000:0c:08.0 4096 1 6 0x1f 0x1d
cfg 0000:0c:09.0 4096 1 6 0x1f 0x1d
cfg 0000:0d:00.0 4096 0 0
cfg 0000:0e:00.0 4096 0 0
before 0000:0d:00.0
x assignable-add --strict 0d:00.0
expect "no ACS: rc 1" rc_is 1
expect "no ACS: the peer" err_is "xenpt: 0000:0d:00.0: 1 related device is not assignable (--strict): 0000:0e:00.0 is below 0000:00:1c.0 too, which has no ACS (driver e1000)"
expect "no ACS: untouched" same_as_before 0000:0d:00.0
cfg 0000:00:1c.0 64 1 4
x assignable-add --strict 0d:00.0
expect "unreadable: rc 1" rc_is 1
expect "unreadable: said" err_is "xenpt: 0000:0d:00.0: cannot tell whether it is isolated: 0000:00:1c.0's config space cannot be read in full (64 bytes) (--strict): 0000:0e:00.0 (driver e1000) may reach it"
cfg 0000:00:1c.0 4096 1 4 0x1f 0x1d
x assignable-add --strict 0d:00.0
expect "ACS enabled: rc 0" rc_is 0
expect "ACS enabled: quiet" err_empty
end

# Input 5: an assigned device that was hot-removed: shown as absent,
# forgotten on remove (record, rule line, name), exit 0 with a note.
begin hot_removed_device_is_shown_and_forgotten
fixture
x assignable-add -p -n guestnic 00:04.0
expect "add: rc 0" rc_is 0
"$MKFIXTURE" --unplug "$R" 0000:00:04.0
x assignable-list
expect "list: rc 0" rc_is 0
expect "list: shown absent" out_is "0000:00:04.0 e1000 persist (absent: hot-removed?)"
expect "list: warned" err_is "xenpt: warning: 0000:00:04.0: remembered, but there is no such device (hot-removed?); 'xenpt assignable-remove 0000:00:04.0' forgets it"
x assignable-list -n --json
expect "list json" json 'j == [{"bdf": "0000:00:04.0", "driver": "e1000", "known": True, "persist": True, "name": "guestnic", "assigned": False, "current_driver": None, "quarantined": False, "problem": "absent", "present": False}]'
x assignable-remove guestnic
expect "remove: rc 0" rc_is 0
expect "remove: the note" err_is "xenpt: warning: 0000:00:04.0: absent (hot-removed?): forgot its record, its name guestnic and its udev rule line"
expect "record gone" [ ! -e "$R/var/lib/xenpt/devices/0000:00:04.0" ]
expect "rule gone" [ ! -e "$R/etc/udev/rules.d/60-xenpt.rules" ]
x assignable-remove guestnic
expect "name gone: rc 1" rc_is 1
expect "name gone" err_is "xenpt: guestnic: no assignable device has that name"
x assignable-list
expect "list empty" out_empty
x assignable-remove 00:04.0
expect "nothing left: rc 1" rc_is 1
expect "nothing left: message" err_is "xenpt: 0000:00:04.0: no such PCI device"
end

# Input 6: Intel VMD's domain 10000: listed, and refused with the reason.
begin vmd_domain_is_listed_and_refused_with_the_reason
fixture
mkdev 0000:00:0e.0 $P 8086 467f 010400 vmd 0 0
mkdev 10000:e1:00.0 $P/0000:00:0e.0/pci10000:e0 144d a80a 010802 nvme 1 0
x list
expect "list: rc 0" rc_is 0
expect "list: listed" out_has '^10000:e1:00\.0 144d:a80a 010802 nvme +0 +- +- +never +-$'
x list --json
expect "list json" json '[d for d in j if d["bdf"] == "10000:e1:00.0"][0]["sbdf"] is None and [d for d in j if d["bdf"] == "10000:e1:00.0"][0]["gsi_error"] == "ERANGE" and [d for d in j if d["bdf"] == "10000:e1:00.0"][0]["kind"] == "no SBDF"'
x gsi 10000:e1:00.0
expect "gsi: rc 1" rc_is 1
expect "gsi: the reason" err_is "xenpt: 10000:e1:00.0: no SBDF: domain 10000 is above ffff (Linux numbers the domain of the devices behind the VMD controller 0000:00:0e.0 itself; their DMA carries its requester ID), and Xen's SBDF, as the GSI ABI's, has 16 bits of segment"
before 10000:e1:00.0
x assignable-add --force 10000:e1:00.0
expect "add: rc 1" rc_is 1
expect "add: the reason" err_has '^xenpt: 10000:e1:00\.0: no SBDF: .*16 bits of segment$'
expect "add: untouched" same_as_before 10000:e1:00.0
end

# Input 7: no IOMMU groups (a Xen dom0): two e1000s behind a PCIe-to-PCI
# bridge share its requester ID; --strict refuses, otherwise a warning.
begin no_iommu_groups_shared_requester_id
fixture
no_iommu_groups
mkdev 0000:00:1e.0 $P 8086 244e 060401 - 0 0
mkdev 0000:05:00.0 $P/0000:00:1e.0 8086 100e 020000 e1000 1 20
mkdev 0000:05:01.0 $P/0000:00:1e.0 8086 100e 020000 e1000 1 21
before 0000:05:00.0
x assignable-add --strict 05:00.0
expect "strict: rc 1" rc_is 1
expect "strict: names the peer" err_is "xenpt: 0000:05:00.0: 1 related device is not assignable (--strict): 0000:05:01.0 shares its requester ID (behind PCI bridge 0000:00:1e.0) (driver e1000)"
expect "strict: untouched" same_as_before 0000:05:00.0
x assignable-add 05:00.0
expect "default: rc 0" rc_is 0
expect "default: warning" err_is "xenpt: warning: 0000:05:00.0: 0000:05:01.0 shares its requester ID (behind PCI bridge 0000:00:1e.0) and is not assignable (driver e1000)"
x assignable-remove -r 05:00.0
x assignable-add --strict 05:00.0 05:01.0
expect "together: rc 0" rc_is 0
expect "together: quiet" err_empty
# one guest gets both or neither: qemu-args says so when it gets one
x qemu-args 05:00.0
expect "qemu-args one: rc 0" rc_is 0
expect "qemu-args one: said" err_is "xenpt: warning: 0000:05:00.0: shares its requester ID with 0000:05:01.0 (behind PCI bridge 0000:00:1e.0): the IOMMU cannot tell them apart; give them to one guest"
x qemu-args 05:00.0 05:01.0
expect "qemu-args both: quiet" err_empty
end

# SR-IOV VFs are independent functions: each its own guest slot.
begin qemu_args_vfs_each_their_own_slot
fixture sriov
put $P/0000:00:10.0/net/eth9/flags 0x1002
put $P/0000:00:10.0/net/eth9/operstate down
x assignable-add 00:10.0 00:10.1
expect "add: rc 0" rc_is 0
vf() { printf -- "-device '{\"driver\":\"xen-pci-passthrough\",\"id\":\"pci-pt-00_10.%s\",\"hostaddr\":\"0000:00:10.%s\"}'" "$1" "$1"; }
x qemu-args 00:10.0 00:10.1
expect "two slots, no multifunction" out_is "$(vf 0; echo; vf 1)"
x qemu-args '00:10.*'
expect "wildcard: the same" out_is "$(vf 0; echo; vf 1)"
end

# list -l: the GSI's trigger, polarity and origin from privcmd-gsi's
# records (PRIVCMD_GSI_IOCTL_GET_RECORD), "unknown" where none says.
begin list_long_shows_trigger_polarity_origin
fixture
mkdir -p "$R/dev/xen" "$R/.fake/ioctl"
: >"$R/dev/xen/privcmd-gsi"
printf 'record 20 19 level low registered\nrecord 18 11 edge high acpi\n' >"$R/.fake/ioctl/privcmd-gsi"
x list -l
expect "rc 0" rc_is 0
expect "header" out_has '^BDF +ID +CLASS +DRIVER +IRQ +GSI +SOURCE +TRIGGER +POLARITY +ORIGIN +ASSIGNABLE +GROUP$'
expect "row" out_has '^0000:00:04\.0 8086:100e 020000 e1000 +51 +19 privcmd-gsi +level +low +registered +no +2$'
expect "edge" out_has '^0000:00:03\.0 8086:100e 020000 e1000 +11 +11 privcmd-gsi +edge +high +acpi +no +1$'
expect "unknown" out_has '^0000:00:05\.0 8086:10c9 020000 igb +52 +- +- +unknown +unknown +unknown +no +3$'
x list --json
expect "json" json '[d for d in j if d["bdf"] == "0000:00:04.0"][0]["trigger"] == "level" and [d for d in j if d["bdf"] == "0000:00:04.0"][0]["polarity"] == "low" and [d for d in j if d["bdf"] == "0000:00:04.0"][0]["gsi_origin"] == "registered"'
x gsi --json 00:04.0
expect "gsi json" json 'j == [{"bdf": "0000:00:04.0", "sbdf": 32, "gsi": 19, "source": "privcmd-gsi", "trigger": "level", "polarity": "low", "origin": "registered"}]'
end

# --- qemu-args ------------------------------------------------------------------

begin qemu_args
fixture
x assignable-add 00:04.0 0001:00:02.0
x qemu-args 00:04.0
expect "rc 0" rc_is 0
expect "args" out_is "-device '{\"driver\":\"xen-pci-passthrough\",\"id\":\"pci-pt-00_04.0\",\"hostaddr\":\"0000:00:04.0\"}'"
x qemu-args --permissive 0001:00:02.0
expect "permissive, segment" out_is "-device '{\"driver\":\"xen-pci-passthrough\",\"id\":\"pci-pt-0001_00_02.0\",\"hostaddr\":\"0001:00:02.0\",\"permissive\":true}'"
x qemu-args --json 00:04.0
expect "json" json 'j[0]["args"][0] == "-device" and json.loads(j[0]["args"][1]) == {"driver": "xen-pci-passthrough", "id": "pci-pt-00_04.0", "hostaddr": "0000:00:04.0"}'
x qemu-args 00:03.0
expect "not assignable: rc 1" rc_is 1
expect "message" err_has '^xenpt: 0000:00:03\.0: not assignable \(not bound to pciback\)'
end

begin qemu_args_shell_round_trip
fixture
x assignable-add 00:04.0
x qemu-args 00:04.0
# the line as a shell would split it: two words, the second valid JSON
eval "set -- $(cat "$T/out")"
expect "two words" [ "$#" = 2 ]
expect "-device" [ "$1" = -device ]
printf '%s' "$2" >"$T/out"
expect "json object" json 'j["driver"] == "xen-pci-passthrough"'
end

# One host slot, one guest slot, as libxl lays functions out: each keeps its
# number, function 0 says multifunction; xl's PCI spec syntax.
begin qemu_args_multifunction_as_libxl
fixture
x assignable-add '00:05.*' 00:04.0 0001:00:02.0
q5() { printf -- "-device '{\"driver\":\"xen-pci-passthrough\",\"id\":\"pci-pt-00_05.%s\",\"hostaddr\":\"0000:00:05.%s\",\"addr\":\"%s\"%s}'" "$1" "$1" "$2" "$3"; }
x qemu-args '00:05.*'
expect "rc 0" rc_is 0
expect "one slot, numbers kept" out_is "$(q5 0 1f.0 ',"multifunction":true'; echo; q5 1 1f.1 '')"
x qemu-args 00:05.1 00:05.0
expect "functions named apart: the same" out_is "$(q5 0 1f.0 ',"multifunction":true'; echo; q5 1 1f.1 '')"
x qemu-args '00:05.*@6,permissive=1' 00:04.0@3
expect "vslot and permissive" out_is "$(q5 0 06.0 ',"multifunction":true,"permissive":true'; echo; q5 1 06.1 ',"permissive":true'; echo
	printf -- "-device '{\"driver\":\"xen-pci-passthrough\",\"id\":\"pci-pt-00_04.0\",\"hostaddr\":\"0000:00:04.0\",\"addr\":\"03.0\"}'")"
x qemu-args 00:05.1@4
expect "a lone function is function 0" out_is "$(q5 1 04.0 '')"
x qemu-args bdf=00:05.1,vslot=0x4,permissive=
expect "keys, empty value = default" out_is "$(q5 1 04.0 '')"
x qemu-args --json '00:05.*' 00:04.0
expect "json" json '[e["addr"] for e in j] == ["1f.0", "1f.1", None] and json.loads(j[0]["args"][1])["multifunction"] is True and "multifunction" not in json.loads(j[1]["args"][1])'
x qemu-args '00:05.*'
eval "set -- $(sed -n 1p "$T/out")"
expect "shell words" [ "$#" = 2 ] && [ "$1" = -device ]
x assignable-add -n gpu 0001:00:02.0
x qemu-args name=gpu,vslot=7,rdm_policy=relaxed
expect "name=" out_is "-device '{\"driver\":\"xen-pci-passthrough\",\"id\":\"pci-pt-0001_00_02.0\",\"hostaddr\":\"0001:00:02.0\",\"addr\":\"07.0\"}'"
x qemu-args 00:04.0,msitranslate=1,power_mgmt=1
expect "qemu-traditional keys: rc 0" rc_is 0
expect "msitranslate said" err_has '^xenpt: warning: 00:04\.0,msitranslate=1,power_mgmt=1: msitranslate=1 ignored'
expect "power_mgmt said" err_has 'power_mgmt=1 ignored'
x qemu-args 01:00.0
expect "not assignable: rc 1" rc_is 1
expect "not assignable: seize" err_has 'run xenpt assignable-add 0000:01:00\.0 first \(or give seize=1\)$'
expect "nothing printed" out_empty
x qemu-args 01:00.0,seize=1
expect "seize=1: rc 0" rc_is 0
expect "seize=1: assigned" driver_is 0000:01:00.0 pciback
for bad in '00:05.*@0' '00:05.0@20' '00:05.0@' '00:05.0,,permissive=1' 'permissive=1' \
	'00:05.0,permissive=2' '00:05.0,foo=1' '00:05.0,vslot=3,vslot=4' \
	'bdf=00:05.0,name=gpu' '00:05.0,rdm_policy=loose' '00:05.0,seize' \
	'00:05.0,bdf=00:04.0' '05.0' '00:05.0@5,x'; do
	x qemu-args "$bad"
	expect "'$bad': usage" rc_is 2
	expect "'$bad': message" err_has "^xenpt: .*invalid PCI spec: .*\\(expected \\[DDDD:\\]BB:DD\\.F\\[@VSLOT\\]\\[,KEY=VALUE\\.\\.\\.\\]\\)$"
done
x qemu-args '00:05.*' 00:05.1
expect "twice" err_has '^xenpt: 0000:00:05\.1: given twice'
x qemu-args 00:05.0@5 00:04.0@5
expect "one vslot, two slots" err_has '^xenpt: vslot 5 is given to both 0000:00:05 and 0000:00:04'
x qemu-args 00:05.0@5 00:05.1@6
expect "one slot, two vslots" rc_is 2
end

# --- libvirt's hook (libvirt/xenpt-hook) ------------------------------------------

# hook DOMAIN OP SUBOP XML: libvirt's call of the hook, the domain's XML on
# its standard input, this xenpt on $R as its xenpt; a modprobe that only
# says what it was asked ($T/modprobe.log)
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "modprobe $*" >>"%s/modprobe.log"\n' "$T" >"$T/bin/modprobe"
printf '#!/bin/sh\nexec env XENPT_ROOT="$HOOK_ROOT" LD_PRELOAD="%s" "%s" "$@"\n' \
	"$PRELOAD" "$XENPT" >"$T/bin/xenpt"
chmod +x "$T/bin/modprobe" "$T/bin/xenpt"
hook() {
	env HOOK_ROOT="$R" XENPT_ROOT="$R" XENPT="$T/bin/xenpt" PATH="$T/bin:$PATH" \
		sh "$HERE/libvirt/xenpt-hook" "$1" "$2" "$3" - <"$4" >"$T/out" 2>"$T/err"
	rc=$?
}
# domxml FILE HOSTDEV...: a domain's XML with these <hostdev> elements
domxml() {
	f=$1
	shift
	{ echo "<domain type='xen'><name>g1</name><devices>"
	  printf '%s\n' "$@"
	  echo "<interface type='bridge'><source bridge='xenbr0'/></interface></devices></domain>"; } >"$f"
}
pci() { echo "<hostdev mode='subsystem' type='pci' managed='$1'><source><address $2/></source><address type='pci' domain='0x0000' bus='0x00' slot='0x0$3' function='0x0'/></hostdev>"; }

# Every managed PCI hostdev, whatever the address's spelling; unmanaged
# ones and USB devices left to libvirt.
# resettable BDF METHODS: the kernel's reset_method of a device
resettable() { put "/sys/bus/pci/devices/$1/reset_method" "$2"; }

begin libvirt_hook_adds_managed_pci_hostdevs_and_gives_them_back
fixture gsi
resettable 0000:00:04.0 "flr bus"
resettable 0000:00:05.0 pm
domxml "$T/g1.xml" \
	"$(pci yes "domain='0x0000' bus='0x00' slot='0x04' function='0x0'" 5)" \
	"$(pci no "domain='0x0000' bus='0x00' slot='0x06' function='0x0'" 6)" \
	"<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>" \
	"$(pci yes "bus='0' slot='5' function='0'" 7)"
: >"$T/modprobe.log"
hook g1 prepare begin "$T/g1.xml"
expect "prepare: rc 0" rc_is 0
expect "prepare: pciback loaded first" grep -qx 'modprobe -q xen-pciback' "$T/modprobe.log"
expect "00:04.0 on pciback" driver_is 0000:00:04.0 pciback
expect "00:05.0 (no domain, decimal) on pciback" driver_is 0000:00:05.0 pciback
expect "both quarantined" sh -c "grep -c '^xc_assign_device .* -> ok$' '$R/.fake/xc.log' | grep -qx 2"
expect "00:06.0 (unmanaged) untouched" sh -c "! grep -q '0000:00:06.0' '$R/.fake/log'"
x assignable-list
expect "xenpt holds both" out_is "0000:00:04.0 e1000
0000:00:05.0 igb"
for op in "start begin" "started begin" "stopped end" "reconnect begin" "migrate begin"; do
	hook g1 $op "$T/g1.xml"
	expect "$op: nothing done" driver_is 0000:00:04.0 pciback
done
hook g1 release end "$T/g1.xml"
expect "release: rc 0" rc_is 0
expect "00:04.0 back on e1000" driver_is 0000:00:04.0 e1000
expect "00:05.0 back on igb" driver_is 0000:00:05.0 igb
expect "out of the quarantine" sh -c "grep -c '^xc_deassign_device .* -> ok$' '$R/.fake/xc.log' | grep -qx 2"
x assignable-list
expect "nothing held" out_empty
end

# A device dom0 uses: the start is refused with xenpt's reason, and the
# devices added before it are given back.
begin libvirt_hook_refuses_a_device_dom0_uses_and_undoes_the_rest
fixture gsi
resettable 0000:00:04.0 pm
resettable 0000:00:03.0 pm
domxml "$T/g1.xml" \
	"$(pci yes "domain='0x0000' bus='0x00' slot='0x04' function='0x0'" 5)" \
	"$(pci yes "domain='0x0000' bus='0x00' slot='0x03' function='0x0'" 6)"
before 0000:00:04.0
hook g1 prepare begin "$T/g1.xml"
expect "rc 1: libvirt aborts the start" rc_is 1
expect "xenpt's reason" err_has '^xenpt: 0000:00:03\.0: in use by dom0: network interface eth0 is up'
expect "the hook's line" err_has '^xenpt: libvirt hook: g1: 0000:00:03\.0 not given to the guest'
expect "00:03.0 still on e1000" driver_is 0000:00:03.0 e1000
expect "00:04.0 back as it was" same_as_before_but_logged 0000:00:04.0
end

# A device libvirt cannot reset (it fails the start after the hook and
# calls no other): refused before anything changes, the reason said.
begin libvirt_hook_refuses_what_libvirt_cannot_reset
fixture gsi
resettable 0000:00:04.0 pm
resettable 0000:00:05.0 "acpi device_specific"
domxml "$T/g1.xml" \
	"$(pci yes "domain='0x0000' bus='0x00' slot='0x04' function='0x0'" 5)" \
	"$(pci yes "domain='0x0000' bus='0x00' slot='0x05' function='0x0'" 6)"
before 0000:00:04.0
: >"$T/modprobe.log"
hook g1 prepare begin "$T/g1.xml"
expect "rc 1" rc_is 1
expect "the reason" err_is "xenpt: libvirt hook: g1: 0000:00:05.0: libvirt cannot reset it (no FLR, PM or bus reset in its reset_method): not given to the guest"
expect "00:04.0 untouched" same_as_before 0000:00:04.0
expect "00:05.0 untouched" driver_is 0000:00:05.0 igb
expect "nothing loaded" sh -c "! test -s '$T/modprobe.log'"
rm -f "$R/sys/bus/pci/devices/0000:00:05.0/reset_method"
hook g1 prepare begin "$T/g1.xml"
expect "no reset_method (no method at all): rc 1" rc_is 1
expect "no reset_method: 00:04.0 untouched" same_as_before 0000:00:04.0
end

# What xenpt did not add (libvirt's own, xl's) is libvirt's to give back.
begin libvirt_hook_leaves_what_xenpt_did_not_add
fixture gsi
k $D4/driver_override pciback /sys/bus/pci/drivers/e1000/unbind 0000:00:04.0 \
  /sys/bus/pci/drivers/pciback/bind 0000:00:04.0
expect "00:04.0 on pciback, no record" driver_is 0000:00:04.0 pciback
domxml "$T/g1.xml" "$(pci yes "domain='0x0000' bus='0x00' slot='0x04' function='0x0'" 5)"
hook g1 release end "$T/g1.xml"
expect "rc 0" rc_is 0
expect "left on pciback" driver_is 0000:00:04.0 pciback
end

# Bad XML: a clear error, nothing changed; no hostdev: nothing to do.
begin libvirt_hook_bad_or_empty_xml
fixture gsi
domxml "$T/g1.xml" "$(pci yes "domain='0x0000' bus='0x00' slot='0xzz' function='0x0'" 5)"
before 0000:00:04.0
hook g1 prepare begin "$T/g1.xml"
expect "bad number: rc 1" rc_is 1
expect "bad number: said" err_is "xenpt: libvirt hook: g1: PCI hostdev 1: slot is not a number"
expect "bad number: nothing changed" same_as_before 0000:00:04.0
domxml "$T/g2.xml"
hook g2 prepare begin "$T/g2.xml"
expect "no hostdev: rc 0" rc_is 0
expect "no hostdev: silent" err_empty
printf 'not xml' >"$T/g3.xml"
hook g3 prepare begin "$T/g3.xml"
expect "not XML: rc 1" rc_is 1
expect "not XML: said" err_is "xenpt: libvirt hook: g3: xmllint cannot read the domain's XML"
end

# --- man page ---------------------------------------------------------------------

begin man_page_documents_everything
ok=0
for w in list gsi irq2gsi assignable-add assignable-remove assignable-list qemu-args \
	--json --root --state-dir --udev-dir --force --persist --strict --rebind --permissive \
	XENPT_ROOT "EXIT STATUS" 60-xenpt.rules --boot --no-quarantine --name --show-names \
	DOMID_IO libxenctrl.so multifunction vslot seize rdm_policy stuck IRQ_NOTCONNECTED \
	msi_irqs SR-IOV --long TRIGGER POLARITY ORIGIN never absent VMD ACS "requester ID" \
	"held by" boot_vga mountinfo btrfs ZFS blkback bcache "cannot see" \
	xenpt-persist.service hooks/libxl.d xen-privcmd syslog; do
	expect "mentions $w" sh -c "sed 's/\\\\-/-/g' '$HERE/man/xenpt.8' | grep -q -- '$w'"
done
if command -v man >/dev/null 2>&1; then
	expect "renders" sh -c "MANWIDTH=80 man -l '$HERE/man/xenpt.8' >/dev/null 2>&1"
fi
end

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
