# SPDX-License-Identifier: GPL-2.0
#
# xenpt: the kernel modules are described by Kbuild; this file only drives
# kbuild, user/'s Makefile and the project's scripts.
#
#   make            modules for KDIR, libxenpt, the xenpt CLI, test programs
#   make check      every test (installs what it needs)
#   make demo       the main job in QEMU: a guest gets a passed-through NIC
#   make bench      benchmarks in QEMU, written to bench/results.md
#   make lint       checkpatch --strict, sparse and W=1 on the modules
#   make check-fresh  make check and make demo in a fresh minimal Debian 12
#                   root with an empty cache, as CI runs them
#   make install    libxenpt, the CLI and the boot configuration (DESTDIR,
#                   PREFIX, LIBDIR, SBINDIR, ... as user/Makefile has them)
#   make modules_install  the modules for KDIR, into
#                   /lib/modules/<release>/updates/xenpt (INSTALL_MOD_PATH)
#   make install-dkms  the modules' source for DKMS, into
#                   DESTDIR/usr/src/xenpt-XENPT_VERSION
#
# KDIR is the kernel build tree: the running kernel's when it has one,
# otherwise Debian 12's linux-headers-*-amd64 (scripts/setup.sh installs it).

KDIR ?= $(shell scripts/kdir.sh)
BUILD ?= $(CURDIR)/build
XENPT_VERSION ?= $(shell sed -n '1s/^xenpt (\([^)-]*\).*/\1/p' debian/changelog)

DESTDIR ?=
PREFIX ?= /usr/local
# Where kmod and initramfs-tools look, whatever the prefix.
MODPROBEDIR ?= /lib/modprobe.d
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
INITRAMFSDIR ?= /usr/share/initramfs-tools
INSTALL_MOD_DIR ?= updates/xenpt

.PHONY: all modules tools check check-fresh demo bench lint setup clean \
	install install-boot install-dkms modules_install

all: modules tools

modules:
	@test -n "$(KDIR)" || { echo "no kernel build tree: run scripts/setup.sh or set KDIR" >&2; exit 1; }
	@d=$$(scripts/build-modules.sh $(KDIR)) && echo "modules: $$d/kernel/{privcmd-gsi,pciback-ext}"

tools:
	$(MAKE) -C user VERSION=$(XENPT_VERSION)
	$(MAKE) -C tests/guest

setup:
	scripts/setup.sh

check:
	scripts/check.sh

check-fresh:
	scripts/fresh-root.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

lint:
	scripts/check.sh lint

install: install-boot
	$(MAKE) -C user install VERSION=$(XENPT_VERSION)

# What loads the modules at boot, before xen-pciback (kernel/boot/).
install-boot:
	install -D -m 0644 kernel/boot/modprobe.conf $(DESTDIR)$(MODPROBEDIR)/xenpt.conf
	install -D -m 0644 kernel/boot/modules-load.conf $(DESTDIR)$(MODULESLOADDIR)/xenpt.conf
	install -D -m 0755 kernel/boot/initramfs-hook $(DESTDIR)$(INITRAMFSDIR)/hooks/xenpt
	install -D -m 0755 kernel/boot/initramfs-init-top \
	  $(DESTDIR)$(INITRAMFSDIR)/scripts/init-top/xenpt

modules_install: modules
	$(MAKE) -C $(KDIR) M=$$(scripts/build-modules.sh $(KDIR) 2>/dev/null) \
	  INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install

# The modules' source as DKMS builds it: Kbuild, kernel/ and the uapi header.
install-dkms:
	d=$(DESTDIR)/usr/src/xenpt-$(XENPT_VERSION); \
	install -d $$d && \
	install -m 0644 Kbuild $$d/ && \
	for f in $$(find kernel/privcmd-gsi kernel/pciback-ext kernel/compat include/uapi -type f \
	    \( -name Kbuild -o -name '*.mk' -o -name '*.c' -o -name '*.h' \)); do \
	  install -D -m 0644 $$f $$d/$$f || exit 1; \
	done && \
	sed 's/#MODULE_VERSION#/$(XENPT_VERSION)/' kernel/dkms.conf > $$d/dkms.conf

clean:
	rm -rf $(BUILD)
	$(MAKE) -C user clean
	$(MAKE) -C tests/guest clean
