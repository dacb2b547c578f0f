#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the xenpt CLI's JSON from a real-Xen dom0 run (tests/guest/xen-check.sh).

    check-cli.py BOOTDIR

Reads the JSON blocks and the kernel's own GSI lines ("gsi-lines") from the
boot's result channel and prints TAP lines; exit 1 on any failure.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import results  # noqa: E402

DEV = "0000:00:05.0"


def main(path):
    lines = results.read_lines(os.path.join(path, "results.log")) or []
    blocks = {name: "\n".join(body) for name, body in results.blocks(lines)}
    truth = {}
    for bdf, gsi in re.findall(r" (\S+): PCI INT .*-> GSI (\d+) ", blocks.get("gsi-lines", "")):
        truth[bdf] = int(gsi)
    checks = []

    def check(ok, what):
        checks.append(bool(ok))
        print("%sok %d - %s" % ("" if ok else "not ", len(checks), what))

    parsed = {}
    for name in ("assignable", "list", "assignable-after"):
        try:
            parsed[name] = json.loads(blocks[name])
            check(True, "%s --json parses" % name)
        except (KeyError, ValueError) as e:
            check(False, "%s --json parses (%s)" % (name, e))
            parsed[name] = []

    assigned = {d.get("bdf"): d for d in parsed["assignable"]}
    check(DEV in assigned, "assignable-list holds %s" % DEV)
    check(assigned.get(DEV, {}).get("driver") == "e1000",
          "it remembers e1000 (%s)" % assigned.get(DEV, {}).get("driver"))
    check(DEV not in {d.get("bdf") for d in parsed["assignable-after"]},
          "assignable-list after remove -r no longer holds %s" % DEV)

    devs = {d.get("bdf"): d for d in parsed["list"]}
    check(len(devs) >= 9, "list shows every PCI device (%d)" % len(devs))
    check(devs.get(DEV, {}).get("driver") == "pciback", "list: %s on pciback" % DEV)
    check(devs.get(DEV, {}).get("remembered_driver") == "e1000",
          "list: %s remembers e1000" % DEV)
    check(len(truth) >= 4, "the log holds the kernel's GSI lines (%d)" % len(truth))
    for bdf, gsi in sorted(truth.items()):
        d = devs.get(bdf, {})
        check(d.get("gsi") == gsi, "list: %s gsi %s == kernel GSI %d (source %s)"
              % (bdf, d.get("gsi"), gsi, d.get("gsi_source")))
    pinless = devs.get("0000:00:06.0", {})
    check(pinless.get("gsi") is None and pinless.get("pin") == 0,
          "list: pin-less 0000:00:06.0 has no GSI")

    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
