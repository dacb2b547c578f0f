# SPDX-License-Identifier: GPL-2.0
#
# xenpt: the kernel modules are described by Kbuild; this file only drives
# kbuild and the project's scripts.
#
#   make            modules for KDIR, libxenpt, the xenpt CLI, test programs
#   make check      every test (installs what it needs)
#   make demo       boot a PVH dom0 under QEMU and show the GSI table
#   make bench      lookup benchmarks in QEMU, written to bench/results.md
#   make lint       checkpatch --strict, sparse and W=1 on the modules
#   make check-fresh  make check and make demo in a fresh minimal Debian 12
#                   root with an empty cache, as CI runs them
#
# KDIR is the kernel build tree: the running kernel's when it has one,
# otherwise Debian 12's linux-headers-*-amd64 (scripts/setup.sh installs it).

KDIR ?= $(shell scripts/kdir.sh)
BUILD ?= $(CURDIR)/build

.PHONY: all modules tools check check-fresh demo bench lint setup clean

all: modules tools

modules:
	@test -n "$(KDIR)" || { echo "no kernel build tree: run scripts/setup.sh or set KDIR" >&2; exit 1; }
	@d=$$(scripts/build-modules.sh $(KDIR)) && echo "modules: $$d/kernel/privcmd-gsi/privcmd-gsi.ko"

tools:
	$(MAKE) -C user
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

clean:
	rm -rf $(BUILD)
	$(MAKE) -C user clean
	$(MAKE) -C tests/guest clean
