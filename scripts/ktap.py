# SPDX-License-Identifier: GPL-2.0
"""KTAP, as KUnit prints it to the kernel log, reduced to its test cases.

summarise(lines) reads kernel log lines as they are (carriage returns,
kernel timestamps and unrelated kernel messages included), follows the
KTAP/TAP output from the first "KTAP version"/"TAP version" marker on, and
returns a Summary: passed, failed, skipped, one line per failed case
(failures) and what makes the output incomplete (problems).  Used by
scripts/results.py, the one summariser of test results.

Nesting is taken from indentation, as KUnit prints it: a suite's cases sit
one level deeper than the suite's own result line, and parameterised cases
one level deeper again.  Leaf results are the test cases counted; a suite
result counts only when it reports something its cases do not (a failed
suite_init, a suite skipped as a whole).

The output is incomplete when a plan "1..N" has fewer than N results, or a
nested suite's own result line never came.
"""

import re

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
CALLER = re.compile(r"^\[\s*[CT]\d+\]\s?")
MARKER = re.compile(r"K?TAP version \d+")
RESULT = re.compile(r"^(not ok|ok)\s+(\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*?))?\s*$")
PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#.*)?$")
SUBTEST = re.compile(r"^#\s*Subtest:\s*(.*?)\s*$")
DIAG = re.compile(r"^#\s*(\S+?):\s*(.*(?:FAILED at|timed out|crashed).*?)\s*$")


class Block:
	"""One level of KTAP output: a suite, or the cases of a parameterised test."""

	def __init__(self, indent, parent):
		self.indent = indent
		self.parent = parent
		self.name = None
		self.plan = None
		self.results = 0
		self.fresh = True	# nothing but a header seen yet
		self.leaves = 0		# test cases counted in this block and below
		self.failed = 0		# failed test cases counted in this block and below
		self.diag = {}		# case name -> first failure message

	def path(self, leaf=None):
		names = []
		b = self
		while b is not None:
			if b.name:
				names.append(b.name)
			b = b.parent
		names.reverse()
		if leaf:
			names.append(leaf)
		return ".".join(names) if names else "(unnamed)"


class Summary:
	def __init__(self):
		self.stack = []
		self.passed = 0
		self.failed = 0
		self.skipped = 0
		self.failures = []
		self.problems = []
		self.cases = []		# (status, "suite.case"), status ok/skip/fail

	def top(self):
		return self.stack[-1] if self.stack else None

	def close(self, block, closed_by_result):
		"""Take block off the stack, checking that it is complete."""
		self.stack.remove(block)
		if block.plan is not None and block.results < block.plan:
			self.problems.append("truncated: %s planned %d results, got %d"
					     % (block.path(), block.plan, block.results))
		elif block.indent > 0 and not closed_by_result:
			self.problems.append("truncated: no result line for %s"
					     % block.path())
		if block.parent is not None:
			block.parent.leaves += block.leaves
			block.parent.failed += block.failed

	def close_deeper(self, indent):
		"""Close every open block deeper than indent; return the shallowest."""
		child = None
		while self.stack and self.stack[-1].indent > indent:
			b = self.stack[-1]
			above = self.stack[-2] if len(self.stack) > 1 else None
			# Only the shallowest of them is ended by a result at indent.
			is_child = above is None or above.indent <= indent
			self.close(b, is_child)
			if is_child:
				child = b
		return child

	def block_at(self, indent, new=False):
		"""The open block at exactly indent, opened if needed."""
		self.close_deeper(indent)
		b = self.top()
		if b is not None and b.indent == indent and new and not b.fresh:
			# A sibling starts where an earlier block never ended.
			self.close(b, False)
			b = self.top()
		if b is None or b.indent != indent:
			b = Block(indent, b)
			self.stack.append(b)
		return b

	def header(self, indent, name=None):
		b = self.block_at(indent, new=True)
		if name is not None:
			if b.name is not None and b.name != name:
				self.close(b, False)
				b = self.block_at(indent, new=True)
			b.name = name

	def plan(self, indent, count):
		b = self.block_at(indent)
		if b.plan is not None:
			b = self.block_at(indent, new=True)
		b.plan = count
		b.fresh = False

	def comment(self, indent, text):
		m = DIAG.match(text)
		if not m:
			return
		for b in reversed(self.stack):
			if b.indent == indent:
				b.diag.setdefault(m.group(1), m.group(2))
				break

	def result(self, indent, ok, name, directive):
		child = self.close_deeper(indent)
		b = self.block_at(indent)
		b.results += 1
		b.fresh = False
		skip = directive is not None and directive.upper().startswith("SKIP")
		if child is not None:
			# A suite's (or parameterised case's) own line: counted only
			# when its cases do not already say it.
			if skip and child.leaves == 0:
				self.skipped += 1
				b.leaves += 1
				self.cases.append(("skip", b.path(name)))
			elif not ok and not skip and child.failed == 0:
				self.fail(b, name, child.diag.get(name) or "suite failed, no case did")
			return
		b.leaves += 1
		if skip:
			self.skipped += 1
			self.cases.append(("skip", b.path(name)))
		elif ok:
			self.passed += 1
			self.cases.append(("ok", b.path(name)))
		else:
			why = b.diag.get(name)
			if why is None and b.parent is not None:
				# Parameterised cases log under the case's name.
				why = b.parent.diag.get(b.name)
			self.fail(b, name, why)

	def fail(self, block, name, why):
		self.failed += 1
		block.failed += 1
		line = "FAIL " + block.path(name)
		if why:
			line += " (" + why + ")"
		self.failures.append(line)
		self.cases.append(("fail", block.path(name) + (" (" + why + ")" if why else "")))

	def finish(self):
		while self.stack:
			self.close(self.stack[-1], False)


def clean(raw):
	line = raw.replace("\r", "").rstrip("\n")
	line = TIMESTAMP.sub("", line, count=1)
	line = CALLER.sub("", line, count=1)
	return line.expandtabs(8).rstrip()


def summarise(lines):
	s = Summary()
	started = False
	for raw in lines:
		line = clean(raw)
		m = MARKER.search(line)
		if m:
			# Keep the indentation right before the marker, drop any
			# console noise before that.
			start = m.start()
			ws = start
			while ws > 0 and line[ws - 1] == " ":
				ws -= 1
			line = " " * (start - ws) + line[start:]
			started = True
		if not started:
			continue
		body = line.lstrip(" ")
		indent = len(line) - len(body)
		if m:
			s.header(indent)
			continue
		r = RESULT.match(body)
		if r:
			s.result(indent, r.group(1) == "ok", r.group(3), r.group(4))
			continue
		p = PLAN.match(body)
		if p:
			s.plan(indent, int(p.group(1)))
			continue
		t = SUBTEST.match(body)
		if t:
			s.header(indent, t.group(1))
			continue
		if body.startswith("#"):
			s.comment(indent, body)
	s.finish()
	return s
