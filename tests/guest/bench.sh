# SPDX-License-Identifier: GPL-2.0
# Scenario bench (q35, stock kernel): lookup costs with 16 and 4096 records,
# as "DATA bench" lines (scripts/bench.sh turns them into bench/results.md).

insmod $M/e1000.ko
for records in 16 4096; do
	step "insmod with $records records" \
		insmod $M/privcmd-gsi.ko test_no_xen=1 test_fill_records=$records
	gsi-check bench $records
	step "rmmod privcmd-gsi" rmmod privcmd_gsi
done
