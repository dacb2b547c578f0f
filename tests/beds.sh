# SPDX-License-Identifier: GPL-2.0
# The test beds: each named once, with its machine, CPU, memory, devices and
# kernel arguments.  Sourced by tests/boot.sh, the one place that turns a
# bed into a QEMU command line.  A new bed is one more row.
#
# Every bed has two serial ports, added by tests/boot.sh: COM1 is the
# console (kernel and hypervisor messages, judged for faults), COM2 the
# guest's result channel (tests/RESULTS.md).  No NIC has a network backend unless the bed
# says so; romfile= skips option ROMs, which only slow the firmware.
#
# Devices that the checks rely on:
#   q35, xen*: e1000 at 00:03.0, 00:04.0, 00:05.0; a pci-testdev (no INTx
#     pin) at 00:06.0; a PCI bridge at 00:07.0 with an e1000 at 01:01.0
#     behind it (its pin swizzled); AHCI built in at 00:1f.2.  One IO-APIC
#     at GSI base 0, so irq == GSI.
#   microvm: no legacy PIC, so Linux numbers irqs dynamically and irq !=
#     GSI (GSI 19 is irq 51); e1000 at 00:03.0..00:06.0, pci-testdev 00:07.0.

nic=e1000,romfile=
q35_devices="-device $nic,addr=03.0 -device $nic,addr=04.0 -device $nic,addr=05.0
 -device pci-testdev,addr=06.0 -device pci-bridge,id=br1,chassis_nr=1,addr=07.0
 -device $nic,bus=br1,addr=01.0"
# Xen refuses a PVH dom0 without an IOMMU; without aw-bits=48 it cannot set
# up dom0's devices (-12) and their BARs read as all-ones.
iommu="-device intel-iommu,intremap=on,aw-bits=48"

declare -A BED_MACHINE BED_CPU BED_MEM BED_DEVICES BED_LINUX BED_XEN

# bed 1: plain q35, irq == GSI
BED_MACHINE[q35]=q35
BED_CPU[q35]=max
BED_MEM[q35]=1024
BED_DEVICES[q35]=$q35_devices
BED_LINUX[q35]="console=ttyS0"

# bed 1b: i440fx ("pc"), whose _PRT routes every slot through the link
# devices LNKA-LNKD, each with several possible IRQs (5, 10, 11): Linux
# picks one by penalty and sets it with _SRS.  No IOMMU (QEMU's are q35
# only), so no Xen PVH dom0 on it.
BED_MACHINE[pc]=pc
BED_CPU[pc]=max
BED_MEM[pc]=1024
BED_DEVICES[pc]=$q35_devices
BED_LINUX[pc]="console=ttyS0"

# bed 2: microvm without a PIC, irq != GSI.  TSC calibration against the
# PIT fails now and then under TCG, hanging at "Marking TSC unstable".
BED_MACHINE[microvm]=microvm,acpi=on,pcie=on,ioapic2=on,pic=off,pit=on,rtc=on
BED_CPU[microvm]=max
BED_MEM[microvm]=1024
BED_DEVICES[microvm]="-device $nic,bus=pcie.0,addr=03.0 -device $nic,bus=pcie.0,addr=04.0
 -device $nic,bus=pcie.0,addr=05.0 -device $nic,bus=pcie.0,addr=06.0
 -device pci-testdev,bus=pcie.0,addr=07.0"
BED_LINUX[microvm]="console=ttyS0 tsc_early_khz=2000000"

# bed 3: real Xen with a PVH dom0 on bed 1's devices.  Without -rdtscp dom0
# dies on an RDTSCP it cannot emulate, without -xsave its userspace crashes
# on FPU state.  noreboot: Xen halts instead of rebooting (tests/boot.sh
# watches for that).  smap=hvm: QEMU 7.2 reads IRET's stack as a supervisor
# access, and Xen's SMAP would fault 64-bit PV guests at their first IRET.
BED_MACHINE[xen]=q35
BED_CPU[xen]=max,-rdtscp,-xsave
BED_MEM[xen]=2048
BED_DEVICES[xen]="$iommu $q35_devices"
BED_LINUX[xen]="console=hvc0 earlyprintk=xen"
BED_XEN[xen]="dom0=pvh dom0_mem=768M console=com1 loglvl=all guest_loglvl=all noreboot smap=hvm"

# bed 4: bed 3 where 00:04.0 has a network (QEMU's user net, the guest at
# 10.0.2.15, gateway 10.0.2.2), and so has 01:01.0, which shares its GSI
# 20 (10.0.3.0/24, gateway 10.0.3.2); room for a dom0 toolstack and a
# guest.
pt_devices=${q35_devices/-device $nic,addr=04.0/-netdev user,id=pt0 -device $nic,netdev=pt0,addr=04.0}
pt_devices=${pt_devices/-device $nic,bus=br1,addr=01.0/-netdev user,id=pt1,net=10.0.3.0/24 -device $nic,netdev=pt1,bus=br1,addr=01.0}
BED_MACHINE[xen-pt]=q35
BED_CPU[xen-pt]=max,-rdtscp,-xsave
BED_MEM[xen-pt]=3072
BED_DEVICES[xen-pt]="$iommu $pt_devices"
BED_LINUX[xen-pt]="console=hvc0 earlyprintk=xen"
BED_XEN[xen-pt]="dom0=pvh dom0_mem=1024M,max:1024M console=com1 loglvl=all guest_loglvl=all noreboot smap=hvm"

# bed 5: bed 4 for libvirt: 00:04.0 an e1000e (PCIe, with a PM capability:
# libvirt can "reset" it from user space) on QEMU's user net; 00:05.0 stays
# a plain e1000, which libvirt cannot reset (no FLR, no PM, on bus 0).
BED_MACHINE[xen-lv]=q35
BED_CPU[xen-lv]=max,-rdtscp,-xsave
BED_MEM[xen-lv]=3072
BED_DEVICES[xen-lv]="$iommu ${pt_devices/-device $nic,netdev=pt0,addr=04.0/-device e1000e,romfile=,netdev=pt0,addr=04.0}"
BED_LINUX[xen-lv]="console=hvc0 earlyprintk=xen"
BED_XEN[xen-lv]=${BED_XEN[xen-pt]}

# Arguments every bed's Linux gets: a crash ends the run, and the kernel
# prints its own "PCI INT x -> GSI n -> IRQ m" lines, the truth the checks
# compare against.
BED_LINUX_ALL='panic=-1 oops=panic dyndbg="file pci_irq.c +p"'

# bed_known BED: true for a bed of the table.
bed_known() { [ -n "${BED_MACHINE[$1]:-}" ]; }
