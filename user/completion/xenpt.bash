# SPDX-License-Identifier: GPL-2.0
# bash completion for xenpt: its commands, options, and PCI addresses
# (from sysfs; pciback's devices for the commands that take those).
_xenpt_devices()
{
	local d
	for d in /sys/bus/pci/devices/*; do
		[ -e "$d" ] && echo "${d##*/}"
	done
}

_xenpt_pciback_devices()
{
	local d
	for d in /sys/bus/pci/drivers/pciback/????:??:??.?; do
		[ -e "$d" ] && echo "${d##*/}"
	done
}

_xenpt()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd= i
	local commands="list gsi irq2gsi assignable-add assignable-remove assignable-list qemu-args"
	local names=
	[ -d /var/lib/xenpt/devices ] &&
		names=$(sed -n 's/^name=\(..*\)$/\1/p' /var/lib/xenpt/devices/* 2>/dev/null)
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $cmd in
	'')
		COMPREPLY=($(compgen -W "$commands --json --boot --root --state-dir --udev-dir --verbose --quiet --help --version" -- "$cur"))
		;;
	assignable-remove|pci-assignable-remove)
		COMPREPLY=($(compgen -W "$(_xenpt_pciback_devices) $names -r --rebind -n --name" -- "$cur"))
		;;
	qemu-args)
		COMPREPLY=($(compgen -W "$(_xenpt_pciback_devices) --permissive --json" -- "$cur"))
		;;
	assignable-add|pci-assignable-add)
		COMPREPLY=($(compgen -W "$(_xenpt_devices) --force --persist --strict --no-quarantine -n --name" -- "$cur"))
		;;
	gsi)
		COMPREPLY=($(compgen -W "$(_xenpt_devices) --json" -- "$cur"))
		;;
	list)
		COMPREPLY=($(compgen -W "--json -l --long" -- "$cur"))
		;;
	assignable-list|pci-assignable-list)
		COMPREPLY=($(compgen -W "--json -n --show-names" -- "$cur"))
		;;
	esac
}
complete -F _xenpt xenpt
