# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/guest/init.sh (installed as /lib/xenpt/lib.sh): helpers
# for the scenarios.  Results go to stdout, the result channel
# (tests/RESULTS.md): TAP lines without numbers, which the host numbers
# (scripts/results.py), whoever printed them.

# step DESCRIPTION COMMAND...: one TAP line for a command's success.
step() {
	desc=$1
	shift
	if "$@"; then
		echo "ok - $desc"
	else
		echo "not ok - $desc"
	fi
}

# arg NAME: the value of xenpt.NAME= on the kernel command line.
arg() { sed -n "s/.*xenpt\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }

# block NAME COMMAND...: the command's output as block NAME.
block() {
	name=$1
	shift
	echo "BEGIN $name"
	"$@"
	echo
	echo "END $name"
}

# driver_of BDF: the PCI device's driver, or nothing.
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver")" 2>/dev/null; }

# The devices the Xen scenarios move around: 00:04.0 a plain slot, 01:01.0
# behind a bridge (pin swizzled), 00:06.0 no pin, 00:03.0 sharing its GSI
# with the bridge.
XEN_DEVICES="0000:00:04.0 0000:01:01.0 0000:00:06.0 0000:00:03.0"

# dom0_start: what every Xen scenario begins with (xen-pciback and
# xen-privcmd are loaded by each scenario, in the order it tests).
dom0_start() {
	step "dom0 is PVH" grep -qx PVH /sys/hypervisor/guest_type
	step "insmod e1000" insmod $M/e1000.ko
}

# kmod NAME: loads the kernel's module NAME (xen-privcmd, ...) from the
# initramfs, or finds it built in (the debug kernel has xen-privcmd so).
kmod() {
	if [ -e "$M/$1.ko" ]; then
		insmod "$M/$1.ko"
	else
		test -d "/sys/module/$(echo "$1" | tr - _)"
	fi
}

# builtin NAME: true when the kernel has NAME built in, not as a module.
builtin() { [ ! -e "$M/$1.ko" ]; }

# The test programs run through guest_run: a failing line when one crashed
# or could not run at all (its own failures exit 1, and it said which).
guest_run() {
	prog=$1
	shift
	command "$prog" "$@"
	rc=$?
	[ "$rc" -le 1 ] ||
		echo "not ok - $prog $1: exited $rc (crashed, or not in the initramfs)"
	return "$rc"
}
alias gsi-check='guest_run gsi-check' xen-view='guest_run xen-view' \
	xen-stress='guest_run xen-stress' xenpt='guest_run xenpt' \
	xc-gsi='guest_run xc-gsi'

# toolstack_start: Debian 13's Xen 4.20 toolstack in this dom0 (scenarios
# with "# needs: xen-tools"), as its init scripts would start it.
toolstack_start() {
	# /var/run is /run, as on a real system (libvirt's client and daemon
	# name the same socket by each of them).
	mkdir -p /run /var
	[ -e /var/run ] || ln -s /run /var/run
	mkdir -p /dev/pts /proc/xen /var/run/xen /var/run/xenstored \
		/var/lib/xen /var/log/xen/console
	mount -t devpts devpts /dev/pts
	for m in xen-evtchn xen-gntdev xen-gntalloc xenfs xen-privcmd; do
		kmod $m 2>/dev/null
	done
	mount -t xenfs xenfs /proc/xen
	/usr/lib/xen-4.20/bin/xenstored --pid-file /var/run/xenstored.pid \
		>/dev/null 2>&1 &&
		/usr/lib/xen-4.20/bin/xen-init-dom0 >/dev/null 2>&1 &&
		/usr/lib/xen-4.20/bin/xenconsoled --log=guest \
			--pid-file=/var/run/xenconsoled.pid >/dev/null 2>&1
}

# bind_pciback BDF: from its driver (if any) to pciback, as xl does.
bind_pciback() {
	drv=$(driver_of "$1")
	[ -z "$drv" ] || echo "$1" > "/sys/bus/pci/drivers/$drv/unbind"
	echo "$1" > /sys/bus/pci/drivers/pciback/new_slot
	echo "$1" > /sys/bus/pci/drivers/pciback/bind
	step "$1 to pciback" test "$(driver_of "$1")" = pciback
}

# --- guests (scenarios with "# needs: guest") --------------------------------

GUEST_DIR=/var/lib/xenpt-guest
PT=0000:00:04.0		# the NIC given to guests, with QEMU's user net

# guest_cfg NAME pv|hvm [BDF]: writes /etc/xen/NAME.cfg.
guest_cfg() {
	{
		echo "name = \"$1\""
		echo "type = \"$2\""
		echo "kernel = \"$GUEST_DIR/vmlinuz\""
		echo "ramdisk = \"$GUEST_DIR/initrd.gz\""
		if [ "$2" = pv ]; then
			echo 'extra = "console=hvc0 iommu=soft"'
		else
			# QEMU's emulated UART is slow under TCG: quiet.
			echo 'device_model_version = "qemu-xen"'
			echo 'extra = "console=ttyS0 quiet loglevel=1"'
			echo "serial = \"file:/tmp/serial-$1.log\""
			echo 'vnc = 0'
			echo 'sdl = 0'
			echo 'vga = "none"'
			echo 'vkb_device = 0'
		fi
		echo 'on_poweroff = "destroy"'
		echo 'on_reboot = "destroy"'
		echo "$2" > "/tmp/guest-type-$1"
		echo 'memory = 256'
		echo 'vcpus = 1'
		echo 'on_crash = "destroy"'
		# Without a device at creation, xc_assign_device() of a later
		# pci-attach fails (EOPNOTSUPP) unless the guest has an IOMMU
		# context from the start.
		if [ -n "$3" ]; then
			echo "pci = [ '$3' ]"
		else
			echo 'passthrough = "enabled"'
		fi
	} > "/etc/xen/$1.cfg"
}

# The guest's console: xenconsoled's log (PV), QEMU's serial file (HVM).
guest_log() {
	if [ "$(cat "/tmp/guest-type-$1" 2>/dev/null)" = hvm ]; then
		echo "/tmp/serial-$1.log"
	else
		echo "/var/log/xen/console/guest-$1.log"
	fi
}

# guest_create NAME pv|hvm [BDF]: xl create; its output as block xl-create-NAME.
guest_create() {
	rm -f "$(guest_log "$1")"
	guest_cfg "$@"
	xl create "/etc/xen/$1.cfg" > "/tmp/xl-create-$1" 2>&1
	rc=$?
	block "xl-create-$1" cat "/tmp/xl-create-$1"
	[ $rc = 0 ] || [ ! -e "/var/log/xen/qemu-dm-$1.log" ] ||
		block "qemu-dm-$1" cat "/var/log/xen/qemu-dm-$1.log"
	return $rc
}

# guest_wait NAME REGEX SECONDS: until the guest's console has a line.
guest_wait() {
	i=0
	while [ $i -lt "$3" ]; do
		grep -q "$2" "$(guest_log "$1")" 2>/dev/null && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# guest_round NAME N [SECONDS]: the guest's Nth NIC got interrupts and answers.
guest_round() {
	log=$(guest_log "$1")
	step "$1: round $2: the guest sees the NIC" guest_wait "$1" "GUEST ROUND $2 PINGS" "${3:-120}"
	set -- "$1" "$2" $(sed -n "s/.*GUEST ROUND $2 IRQS \([0-9]*\) \([0-9]*\) \([0-9]*\).*/\1 \2 \3/p" "$log") \
		$(sed -n "s/.*GUEST ROUND $2 PINGS \([0-9]*\) \([0-9]*\).*/\1 \2/p" "$log")
	echo "# $1 round $2: INTx count $3 -> $4 -> $5 around the pings, $7 of $6 answered"
	step "$1: round $2: its INTx count rose ($3 -> $4 -> $5)" \
		test "${4:-0}" -gt "${3:-0}"
	step "$1: round $2: pings answered (${7:-0} of ${6:-0})" test "${7:-0}" -ge 4
}

# pt_dom0 at-boot|late|none [no-toolstack]: the passthrough beds' dom0, in the order the
# scenario tests: xenpt's modules before xen-pciback (at-boot, as the
# packages load them), after it (late), or not at all (none).  00:04.0 is
# hidden with xen-pciback.hide= on the kernel command line.
pt_dom0() {
	step "dom0 is PVH" grep -qx PVH /sys/hypervisor/guest_type
	if [ "$1" = at-boot ]; then
		step "insmod privcmd-gsi before pciback" insmod $M/privcmd-gsi.ko
		step "insmod pciback-ext before pciback" insmod $M/pciback-ext.ko
	fi
	step "xen-privcmd" kmod xen-privcmd
	hide=$(sed -n 's/.*xen-pciback\.hide=\([^ ]*\).*/\1/p' /proc/cmdline)
	step "insmod xen-pciback hide=$hide" insmod $M/xen-pciback.ko "hide=$hide"
	step "$PT seized by pciback at boot" test "$(driver_of $PT)" = pciback
	step "insmod e1000 (for the other NICs)" insmod $M/e1000.ko
	if [ "$1" = late ]; then
		step "insmod privcmd-gsi after pciback" insmod $M/privcmd-gsi.ko
		step "insmod pciback-ext after pciback" insmod $M/pciback-ext.ko
	fi
	[ "$2" = no-toolstack ] || step "Xen 4.20 toolstack started" toolstack_start
}

# irq_count IFACE: its interrupts so far, summed over CPUs (the
# /proc/interrupts line naming it, alone or with the devices sharing it).
irq_count() {
	awk -v i="$1" '{
		hit = 0
		for (c = 3; c <= NF; c++) { w = $c; sub(/,$/, "", w); if (w == i) hit = 1 }
		if (!hit) next
		n = 0; for (c = 2; c <= NF && $c ~ /^[0-9]+$/; c++) n += $c
		print n; f = 1
	} END { if (!f) print 0 }' /proc/interrupts
}

# dom0_ping BDF ADDR GATEWAY NAME: dom0's own driver of the device brings
# its interface up at ADDR/24 and pings GATEWAY (QEMU's user net): the
# pings are answered and its INTx count rises (three TAP lines).
dom0_ping() {
	# On a real system udev renames a new interface: after that.
	! command -v udevadm >/dev/null || udevadm settle --timeout=30
	ifc=$(ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n 1)
	step "$4: $1 has a network interface in dom0 (${ifc:-none})" test -n "$ifc"
	[ -n "$ifc" ] || return
	ip link set "$ifc" up
	ip addr add "$2/24" dev "$ifc" 2>/dev/null
	i=0
	while [ "$(cat "/sys/class/net/$ifc/carrier" 2>/dev/null)" != 1 ] && [ $i -lt 20 ]; do
		sleep 1
		i=$((i + 1))
	done
	before=$(irq_count "$ifc")
	# busybox says "6 packets received", iputils (a real system) "6 received"
	answered=$(ping -c 6 -W 2 "$3" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) \(packets \)\{0,1\}received.*/\1/p')
	after=$(irq_count "$ifc")
	echo "# $4: dom0's $ifc ($1): INTx count $before -> $after, ${answered:-0} of 6 pings answered"
	grep -E " $ifc(,|\$)" /proc/interrupts | sed "s/^/# $4: /"
	step "$4: dom0's driver of $1 gets its interrupts ($before -> $after)" \
		test "$after" -gt "$before"
	step "$4: dom0's pings over $1 answered (${answered:-0} of 6)" \
		test "${answered:-0}" -ge 4
}

# dom0_down BDF: its interface in dom0 down again (before it goes).
dom0_down() {
	for ifc in $(ls "/sys/bus/pci/devices/$1/net" 2>/dev/null); do
		ip addr flush dev "$ifc"
		ip link set "$ifc" down
	done
}

# --- libvirt (scenarios with "# needs: libvirt") ------------------------------

# libvirt_start [hook]: Debian 13's libvirtd in this dom0, after the
# toolstack, as root without polkit or systemd; with "hook", xenpt's hook
# as /etc/libvirt/hooks/libxl.d/xenpt (libvirtd reads its hooks at start).
libvirt_start() {
	L=/etc/xenpt-libvirt
	C=/usr/share/libvirt/cpu_map
	mkdir -p /etc/libvirt/hooks/libxl.d /var/log/libvirt /var/lib/libvirt /run/libvirt
	cp $L/libvirtd.conf $L/libxl.conf /etc/libvirt/
	# Xen under TCG reports a CPU no model of libvirt's fits: see there.
	if ! grep -q xenpt-tcg $C/index.xml; then
		cp $L/x86_xenpt-tcg.xml $C/
		awk '{ print } /x86_486.xml/ && !done {
			print "      <include filename=\x27x86_xenpt-tcg.xml\x27/>"; done = 1 }' \
			$C/index.xml >/tmp/index.xml && cp /tmp/index.xml $C/index.xml
	fi
	[ -s /etc/passwd ] || echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
	[ -s /etc/group ] || echo 'root:x:0:' >/etc/group
	printf 'passwd: files\ngroup: files\n' >/etc/nsswitch.conf
	[ -e /usr/sbin/xenpt ] || ln -s /bin/xenpt /usr/sbin/xenpt
	rm -f /etc/libvirt/hooks/libxl.d/xenpt
	if [ "${1:-}" = hook ]; then
		# (busybox has no install)
		cp /usr/lib/xenpt/libvirt-hook /etc/libvirt/hooks/libxl.d/xenpt &&
			chmod 0755 /etc/libvirt/hooks/libxl.d/xenpt || return
	fi
	! pidof libvirtd >/dev/null || { echo "# libvirtd is still running"; return 1; }
	libvirtd --daemon --config /etc/libvirt/libvirtd.conf || return
	# Its socket appears once its drivers are up (seconds under TCG).
	i=0
	until virsh -c xen:///system version >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -ge 120 ] || ! kill -0 "$(cat /run/libvirtd.pid 2>/dev/null)" 2>/dev/null; then
			tail -n 30 /var/log/libvirt/libvirtd.log 2>/dev/null | sed 's/^/# libvirtd: /'
			return 1
		fi
		sleep 1
	done
}

# libvirt_stop: libvirtd gone (the process, not only its pid file).
libvirt_stop() {
	pid=$(cat /run/libvirtd.pid 2>/dev/null)
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	! kill -0 "$pid" 2>/dev/null
}

# virsh_do OUT ARGS...: virsh -c xen:///system ARGS, its output in OUT.
virsh_do() {
	out=$1
	shift
	timeout 300 virsh -c xen:///system "$@" >"$out" 2>&1
}

# not COMMAND...: succeeds when the command fails (functions included).
not() { ! "$@"; }
