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
# x ARGS...: runs xenpt on $R; $rc, $T/out, $T/err
x() {
	env FAKESYS_ROOT="$R" LD_PRELOAD="$PRELOAD" "$XENPT" --root "$R" "$@" \
		>"$T/out" 2>"$T/err"
	rc=$?
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
for bad in 00:20.0 0000:00:04.8 10000:00:04.0 "00:04.0 " "" 00:04 0x0:04.0 00:04.0,x; do
	x gsi "$bad"
	expect "'$bad': rc 2" rc_is 2
	expect "'$bad': message" err_has "^xenpt: $bad: invalid BDF \\(expected \\[DDDD:\\]BB:DD\\.F\\)"
done
x assignable-add 00:04.0 00:20.0
expect "nothing done when one BDF is invalid" driver_is 0000:00:04.0 e1000
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
expect "json" json 'j[0] == {"bdf": "0000:00:04.0", "sbdf": 32, "gsi": 19, "source": "sysfs"}'
expect "json error" json 'j[1]["gsi"] is None and j[1]["error"] == "ENOENT"'
x --json gsi 0001:00:02.0
expect "global --json" json 'j[0]["gsi"] == 23 and j[0]["sbdf"] == 0x10010'
end

begin irq2gsi
fixture gsi
x irq2gsi 53 51
expect "rc 0" rc_is 0
expect "scan" out_is "$(printf '53 21 sysfs\n51 19 sysfs')"
x --json irq2gsi 52
expect "json" json 'j == [{"irq": 52, "gsi": 20, "source": "sysfs"}]'
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
expect "fields" json '[d for d in j if d["bdf"] == "0000:00:04.0"][0] == {"bdf": "0000:00:04.0", "sbdf": 32, "vendor": "8086", "device": "100e", "class": "020000", "driver": "pciback", "irq": 51, "pin": 1, "gsi": 19, "gsi_source": "sysfs", "gsi_error": None, "assignable": True, "remembered_driver": "e1000", "persist": False, "iommu_group": 2}'
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
expect "list json" json 'j == [{"bdf": "0000:00:04.0", "driver": "e1000", "known": True, "persist": False}]'
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

begin state_dir_option
fixture
x --state-dir "$R/mystate" assignable-add 00:04.0
expect "rc 0" rc_is 0
expect "record there" [ -e "$R/mystate/devices/0000:00:04.0" ]
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

# --- man page ---------------------------------------------------------------------

begin man_page_documents_everything
ok=0
for w in list gsi irq2gsi assignable-add assignable-remove assignable-list qemu-args \
	--json --root --state-dir --udev-dir --force --persist --strict --rebind --permissive \
	XENPT_ROOT "EXIT STATUS" 60-xenpt.rules; do
	expect "mentions $w" sh -c "sed 's/\\\\-/-/g' '$HERE/man/xenpt.8' | grep -q -- '$w'"
done
if command -v man >/dev/null 2>&1; then
	expect "renders" sh -c "MANWIDTH=80 man -l '$HERE/man/xenpt.8' >/dev/null 2>&1"
fi
end

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
