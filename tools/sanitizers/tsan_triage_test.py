#!/usr/bin/env python3
"""tsan_triage.py keeps gRPC's own callback races out of the stage's verdict
and nothing else: a race one of whose accesses is ours, and any report of
another kind, still fail."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsan_triage  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")


def reports(name):
    with open(os.path.join(DATA, name)) as log:
        return list(tsan_triage.reports_in(log.read()))


class TsanTriageTest(unittest.TestCase):
    def test_a_race_between_grpc_callback_tags_is_grpcs_own(self):
        [report] = reports("grpc_callback_tag_race.txt")
        self.assertTrue(tsan_triage.is_grpcs_own(report))

    def test_a_race_with_one_access_in_our_callback_is_ours(self):
        [report] = reports("our_race_in_a_callback.txt")
        self.assertFalse(tsan_triage.is_grpcs_own(report))

    def test_a_report_of_another_kind_is_ours(self):
        [report] = reports("grpc_callback_tag_race.txt")
        report[0] = "WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=1)"
        self.assertFalse(tsan_triage.is_grpcs_own(report))

    def test_the_verdict_fails_only_on_ours(self):
        own = os.path.join(DATA, "grpc_callback_tag_race.txt")
        ours = os.path.join(DATA, "our_race_in_a_callback.txt")
        self.assertEqual(tsan_triage.main([own]), 0)
        self.assertEqual(tsan_triage.main([own, ours]), 1)


if __name__ == "__main__":
    unittest.main()
