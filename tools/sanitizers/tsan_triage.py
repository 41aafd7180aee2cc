#!/usr/bin/env python3
"""Sorts ThreadSanitizer's reports into ours and gRPC's own.

Usage: tsan_triage.py REPORT_FILE...   (exit 1 when any report is ours)

gRPC's C++ layer is headers compiled into our programs, so TSan instruments
it; but it hands each batch of operations to gRPC's core, which is not built
for TSan, and finishes it in a callback on another thread, ordered by the
core's lock-free completion queues that TSan cannot see. Every object that
layer sets up on one thread and reads in the callback on another (callback
tags, interceptor batches, a call's Status) then looks raced, in a different
place each run. tsan.supp names the frames seen in those reports; new ones
keep appearing, so this rule covers the class instead:

  A data race is gRPC's own when, in every access TSan shows, the first
  frame that is neither the C++ standard library nor a TSan interceptor
  (memcpy, memset, free) is in gRPC's headers or libraries.

A race in which either access is made by our code (or by anything else
outside gRPC) is ours and fails the stage, as is every report of another
kind (use after free, lock-order inversion, a signal handler, a leaked
thread). gRPC's own are printed, counted, and do not fail it.
"""

import re
import sys

SEPARATOR = "=================="
ACCESS = re.compile(r"^  (Previous )?(atomic )?(Write|Read|write|read) of size \d+ at ")
FRAME = re.compile(r"^    #\d+ (?P<function>.*?) (?P<file>\S+) \((?P<module>[^+)]+)")

# The C++ standard library's headers: inlined into whoever calls them.
STD_LIBRARY = ("/include/c++/",)
GRPC = ("/usr/include/grpcpp/", "/usr/include/grpc/", "libgrpc.so", "libgrpc++.so", "libgpr.so")


def reports_in(text):
    """The reports of one log file, each as its lines."""
    report = None
    for line in text.splitlines():
        if line.startswith("WARNING: ThreadSanitizer:"):
            report = [line]
        elif report is not None:
            if line.startswith(SEPARATOR):
                yield report
                report = None
            else:
                report.append(line)
    if report is not None:
        yield report


def access_stacks(report):
    """The frames of each access a data race report shows."""
    stacks = []
    current = None
    for line in report[1:]:
        if ACCESS.match(line):
            current = []
            stacks.append(current)
        elif current is not None and FRAME.match(line):
            current.append(FRAME.match(line))
        elif current is not None and line.strip() == "":
            current = None
    return stacks


def first_meaningful(stack):
    """Where the access was made from: past std headers and interceptors."""
    for frame in stack:
        file = frame.group("file")
        if any(part in file for part in STD_LIBRARY):
            continue
        # An interceptor has no source line and lives in the executable,
        # TSan's runtime being linked into it; a library frame names its .so.
        if file == "<null>" and ".so" not in frame.group("module"):
            continue
        return file + " " + frame.group("module")
    return None


def is_grpcs_own(report):
    if "data race" not in report[0]:
        return False
    stacks = access_stacks(report)
    if not stacks:
        return False
    for stack in stacks:
        where = first_meaningful(stack)
        if where is None or not any(part in where for part in GRPC):
            return False
    return True


def main(paths):
    ours = 0
    grpcs = 0
    for path in paths:
        with open(path, errors="replace") as log:
            text = log.read()
        for report in reports_in(text):
            if is_grpcs_own(report):
                grpcs += 1
                print(f"tsan_triage: gRPC's own, not failing ({path}): {report[0]}")
            else:
                ours += 1
                print(f"==== tsan_triage: OURS ({path})")
                print("\n".join(report[:200]))
    print(f"tsan_triage: {ours} report(s) to fix, {grpcs} inside gRPC's callback layer")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
