#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The one summariser of xenpt's test results (see tests/RESULTS.md).

    results.py boot DIR            judge one test-bed boot
    results.py count FILE [--rc N] [--name NAME]
                                   summarise any stage's output
    results.py block DIR NAME      print block NAME of a boot's results
    results.py data DIR KIND       print the DATA lines of KIND (fields only)

A boot directory (tests/boot.sh) holds console.log, the serial console
(kernel and hypervisor messages), results.log, the guest's own result
channel, and outcome, how the boot ended.  "boot" prints the guest's TAP
lines, a flat TAP line per KUnit case of each "ktap" block, one failing
line per kernel or hypervisor fault found in the console (a splat, a
panic), one for a guest that did not finish (with the reason: timeout,
crash, no DONE), and last "N passed, N failed".

"count" reads output made of such lines: it counts the TAP lines at the
start of a line and prints "N passed, N failed".  A command that failed
(--rc not 0) without a failing line counts as one failure, with its reason
on one line.  Every stage of make check is counted this way.

Exit status: 0 when nothing failed, 1 otherwise, 2 on a usage error.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

TAP = re.compile(r"^(not ok|ok)\b(.*)$")
DIRECTIVE_TODO = re.compile(r"#\s*TODO\b", re.I)

# Kernel and hypervisor faults in a console log.  "WARNING:" counts where a
# kernel message starts with it (after a timestamp or caller id), as WARN()
# and lockdep print it; a subsystem's "RETBleed: WARNING: ..." notice is no
# splat.
SPLAT = re.compile("|".join([
    r"(^|[]] )WARNING:", r"WARNING: CPU: [0-9]+ PID: [0-9]+",
    r"BUG:", r"kernel BUG", r"Oops", r"general protection fault",
    r"invalid opcode:", r"KASAN", r"UBSAN", r"Call Trace",
    r"unreferenced object", r"suspected memory leak",
    r"possible circular locking", r"inconsistent lock state",
    r"possible recursive locking", r"suspicious RCU usage",
    r"INFO: task .* blocked", r"sleeping function called from invalid context",
    r"lock held when returning", r"Kernel panic", r"rcu_.*detected stall",
    r"segfault",
    # The Xen hypervisor's own WARN_ON, BUG_ON and panic.
    r"Xen WARN at", r"Xen BUG at", r"Panic on CPU",
]))
# Lines that match the above on a healthy boot: the kernel echoes its
# command line, which may name anything.
BENIGN = re.compile(r"[Cc]ommand line:")
# Splats a scenario declares expected, one regular expression per line of
# the boot directory's "expect-splats" file, and kmemleak reports it
# declares expected ("expect-leaks": a regular expression matching a line
# of the report's backtrace); see tests/RESULTS.md.
EXPECT_FILE = "expect-splats"
EXPECT_LEAKS = "expect-leaks"
# ... and WARN() reports it declares expected ("expect-warns": a regular
# expression matching a line between "cut here" and "end trace").
EXPECT_WARNS = "expect-warns"
WARN_START = re.compile(r"-+\[ cut here \]-+")
WARN_END = re.compile(r"-+\[ end trace [0-9a-f]+ \]-+")
LEAK_START = re.compile(r"unreferenced object 0x")
LEAK_SUMMARY = re.compile(r"kmemleak: \d+ new suspected memory leaks")
KMSG = re.compile(r"^\[\s*\d+\.\d+\]")


def read_lines(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    return data.decode("utf-8", errors="replace").replace("\r", "").split("\n")


def blocks(lines, name=None):
    """Yield (name, lines) of every BEGIN/END block (or only NAME's)."""
    cur = None
    body = []
    for line in lines:
        if cur is None:
            if line.startswith("BEGIN "):
                cur = line[6:].strip()
                body = []
            continue
        if line.strip() == "END " + cur:
            if name is None or cur == name:
                yield cur, body
            cur = None
            continue
        body.append(line)
    if cur is not None and (name is None or cur == name):
        yield cur, body + ["(block not ended)"]


class Counter:
    """Counts TAP lines and prints them numbered: the one place a boot's
    lines get their numbers (guests print them unnumbered)."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def line(self, ok, text):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print("%s %d - %s" % ("ok" if ok else "not ok",
                              self.passed + self.failed, text))

    def tap(self, line):
        """A TAP line as a guest printed it, numbered or not."""
        m = TAP.match(line)
        text = re.sub(r"^\s*\d*\s*(-\s*)?", "", m.group(2))
        ok = m.group(1) == "ok" or bool(DIRECTIVE_TODO.search(line))
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print("%s %d - %s" % (m.group(1), self.passed + self.failed, text))

    def summary(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


def leak_reports(console, expected_leaks):
    """Line numbers of kmemleak reports whose backtrace matches an expected
    leak, and whether any report is not expected."""
    skip = set()
    unexpected = False
    i = 0
    while i < len(console):
        if not LEAK_START.search(console[i]):
            i += 1
            continue
        # The report's lines are indented; kernel messages (timestamped)
        # may land between them on the console.
        j = i + 1
        while j < len(console) and not LEAK_START.search(console[j]) and \
                (console[j][:1] in (" ", "\t") or KMSG.match(console[j])):
            j += 1
        if any(e.search(line) for line in console[i:j] for e in expected_leaks):
            skip.update(k for k in range(i, j) if not KMSG.match(console[k]))
        else:
            unexpected = True
        i = j
    return skip, unexpected


def warn_reports(console, expected_warns):
    """Line numbers of WARN() reports with a line matching an expected one."""
    skip = set()
    i = 0
    while i < len(console):
        if not WARN_START.search(console[i]):
            i += 1
            continue
        j = i + 1
        while j < len(console) and j - i < 200 and not WARN_END.search(console[j]):
            j += 1
        if any(e.search(line) for line in console[i:j + 1] for e in expected_warns):
            skip.update(range(i, j + 1))
        i = j + 1
    return skip


def splats(console, expected, expected_leaks=(), expected_warns=()):
    """Lines of console that are faults, with some context; expected ones
    are reported as such and do not count."""
    found = []
    allowed = []
    skip, unexpected_leak = leak_reports(console, expected_leaks)
    skip |= warn_reports(console, expected_warns)
    for i, line in enumerate(console):
        if BENIGN.search(line) or not SPLAT.search(line):
            continue
        if i in skip or any(e.search(line) for e in expected) or \
                (LEAK_SUMMARY.search(line) and not unexpected_leak and skip):
            allowed.append(line.strip())
            continue
        found.append(i)
    return found, allowed


def cmd_boot(d):
    c = Counter()
    results = read_lines(os.path.join(d, "results.log"))
    console = read_lines(os.path.join(d, "console.log"))
    outcome = read_lines(os.path.join(d, "outcome"))
    outcome = outcome[0].strip() if outcome and outcome[0].strip() else "unknown"
    expected = []
    for e in read_lines(os.path.join(d, EXPECT_FILE)) or []:
        if e.strip() and not e.startswith("#"):
            expected.append(re.compile(e.strip()))
    expected_leaks = []
    for e in read_lines(os.path.join(d, EXPECT_LEAKS)) or []:
        if e.strip() and not e.startswith("#"):
            expected_leaks.append(re.compile(e.strip()))
    expected_warns = []
    for e in read_lines(os.path.join(d, EXPECT_WARNS)) or []:
        if e.strip() and not e.startswith("#"):
            expected_warns.append(re.compile(e.strip()))

    if results is None:
        results = []
        c.line(False, "no result channel (%s/results.log missing)" % d)
    done = False
    for line in results:
        if TAP.match(line):
            c.tap(line)
        elif line.strip() == "DONE":
            done = True
    for name, body in blocks(results, "ktap"):
        s = ktap.summarise(body)
        for status, path in s.cases:
            if status == "skip":
                c.line(True, "kunit %s # SKIP" % path)
            else:
                c.line(status == "ok", "kunit " + path)
        for p in s.problems:
            c.line(False, "kunit output " + p)
        if not s.cases:
            c.line(False, "kunit: no test case in the ktap block")

    if console is None:
        c.line(False, "no console log (%s/console.log missing)" % d)
        console = []
    found, allowed = splats(console, expected, expected_leaks, expected_warns)
    if allowed:
        print("# %d console line(s) expected by the scenario, first: %s"
              % (len(allowed), allowed[0]))
    if found:
        for i in found[:8]:
            ctx = console[max(0, i - 2):i + 6]
            print("# console line %d:" % (i + 1))
            for line in ctx:
                print("#   " + line)
        c.line(False, "console: %d kernel or hypervisor fault line(s), first: %s"
               % (len(found), console[found[0]].strip()))
    if not done:
        tail = [x for x in console if x.strip()][-1:] or ["(empty)"]
        c.line(False, "the guest did not finish (boot %s; no DONE on the result "
               "channel); console ends: %s" % (outcome, tail[0].strip()))
    elif outcome.startswith("timeout"):
        c.line(False, "boot %s after DONE" % outcome)
    return c.summary()


def cmd_count(path, rc, name):
    lines = read_lines(path)
    if lines is None:
        lines = []
        rc = rc or 1
    passed = failed = 0
    for line in lines:
        m = TAP.match(line)
        if not m:
            continue
        if m.group(1) == "ok" or DIRECTIVE_TODO.search(line):
            passed += 1
        else:
            failed += 1
    if rc and not failed:
        last = [x for x in lines if x.strip()][-1:] or ["(no output)"]
        print("not ok - %s failed as a whole (exit %d): %s"
              % (name or path, rc, last[0].strip()))
        failed = 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def cmd_block(d, name):
    lines = read_lines(os.path.join(d, "results.log")) or []
    n = 0
    for _, body in blocks(lines, name):
        n += 1
        print("\n".join(body))
    return 0 if n else 1


def cmd_data(d, kind):
    lines = read_lines(os.path.join(d, "results.log")) or []
    prefix = "DATA %s " % kind
    for line in lines:
        if line.startswith(prefix):
            print(line[len(prefix):])
    return 0


def usage():
    sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
    return 2


def main(argv):
    if len(argv) < 3:
        return usage()
    cmd = argv[1]
    if cmd == "boot" and len(argv) == 3:
        return cmd_boot(argv[2])
    if cmd == "count":
        rc = 0
        name = None
        rest = argv[3:]
        while rest:
            if rest[0] == "--rc" and len(rest) > 1:
                rc = int(rest[1])
            elif rest[0] == "--name" and len(rest) > 1:
                name = rest[1]
            else:
                return usage()
            rest = rest[2:]
        return cmd_count(argv[2], rc, name)
    if cmd == "block" and len(argv) == 4:
        return cmd_block(argv[2], argv[3])
    if cmd == "data" and len(argv) == 4:
        return cmd_data(argv[2], argv[3])
    return usage()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
