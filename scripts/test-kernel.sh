#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds (or reuses) the x86_64 test kernel: Debian's 6.1 source, tinyconfig
# plus tests/kunit/test-kernel.config (KUnit, KASAN, kmemleak, lockdep, Xen
# dom0), built out of tree in the cache entry test-kernel/<key>.
#
#   KBUILD=$(scripts/test-kernel.sh [--xen])
#
# --xen builds the variant that boots as a Xen PVH dom0, with
# tests/kunit/test-kernel-xen.config on top (no KASAN, see there).
#
# The build dir holds arch/x86/boot/bzImage, the modules installed under
# modroot/ (stripped, unsigned), and is prepared for `make -C $KBUILD M=...`.
# The key hashes the fragment, the kernel source version and the compiler.
# Progress goes to stderr, make's output to build.log in the entry.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$XENPT_TOP/scripts/lib-cache.sh"

# Bump to force a rebuild when this script's build steps change.
KEY_VERSION=2
FRAGMENT=$XENPT_TOP/tests/kunit/test-kernel.config

fragments=("$FRAGMENT")
case $# in
0) ;;
1) [ "$1" = --xen ] || usage; fragments+=("$XENPT_TOP/tests/kunit/test-kernel-xen.config") ;;
*) usage ;;
esac
for f in "${fragments[@]}"; do
	[ -r "$f" ] || die "missing config fragment $f"
done
for t in gcc:build-essential make:make flex:flex bison:bison bc:bc; do
	need "${t%%:*}" "${t#*:}"
done
[ -r /usr/include/libelf.h ] || die "libelf.h not found: install libelf-dev, or run scripts/setup.sh"
[ -r /usr/include/openssl/ssl.h ] || die "openssl headers not found: install libssl-dev, or run scripts/setup.sh"

SRC=$("$XENPT_TOP/scripts/kernel-source.sh")
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
KEY=$(cache_key "key-version $KEY_VERSION" "source $version" \
	"compiler $(gcc --version | head -n 1)" "$(cat "${fragments[@]}")")

build() {
	local out=$1 blog=$1/build.log start=$SECONDS missing=() line sym got krel
	: >"$blog"
	kmake() {
		make -C "$SRC" ARCH=x86_64 O="$out" "$@" >>"$blog" 2>&1 || {
			tail -n 40 "$blog" >&2
			log "'make $*' failed; full log: $blog"
			return 1
		}
	}
	log "building the test kernel (Linux 6.1, $version, $(nproc) jobs): about 5-12 minutes"
	kmake tinyconfig || return 1
	(cd "$SRC" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m -O "$out" \
		"$out/.config" "${fragments[@]}") >>"$blog" 2>&1 ||
		{ log "merge_config.sh failed; see $blog"; return 1; }
	kmake olddefconfig || return 1
	# Every setting of the fragments (the last one for a symbol wins) must
	# have survived olddefconfig.
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF -- "$line" "$out/.config" || missing+=("$line") ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			! grep -q "^$sym=" "$out/.config" || missing+=("$line")
			;;
		esac
	done < <(cat "${fragments[@]}" | awk '
		/^CONFIG_[A-Za-z0-9_]+=/ { sym = $0; sub(/=.*/, "", sym) }
		/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { sym = $2 }
		sym != "" { last[sym] = $0; order[++n] = sym; sym = "" }
		END { for (i = 1; i <= n; i++) if (!(order[i] in seen)) {
			seen[order[i]] = 1; print last[order[i]] } }')
	if [ ${#missing[@]} -gt 0 ]; then
		for line in "${missing[@]}"; do
			sym=${line#\# }
			sym=${sym%%[= ]*}
			got=$(grep -E "^(# )?${sym}[= ]" "$out/.config" || echo absent)
			log "  wanted '$line', got '$got'"
		done
		log "${#missing[@]} setting(s) of ${fragments[*]} did not survive olddefconfig"
		return 1
	fi
	kmake -j"$(nproc)" bzImage modules || return 1
	kmake modules_prepare || return 1
	krel=$(cat "$out/include/config/kernel.release")
	kmake modules_install INSTALL_MOD_PATH="$out/modroot" INSTALL_MOD_STRIP=1 || return 1
	[ -s "$out/arch/x86/boot/bzImage" ] || { log "no bzImage after the build"; return 1; }
	# modules_install links build to where the tree is now; it moves.
	ln -sfn "$CACHE_FINAL" "$out/modroot/lib/modules/$krel/build"
	cat "${fragments[@]}" >"$out/xenpt-fragment.config"
	log "test kernel $krel built in $((SECONDS - start)) s"
}

cache_get "test-kernel/$KEY" "$KEY" build
