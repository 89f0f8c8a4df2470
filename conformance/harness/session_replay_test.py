"""The harness replays a lost session: session_suite's golden cases run
against stateful_impl.sh, which hangs once in the middle of a file.

    bazel test //conformance/harness:session_replay_test
"""

import os
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

SUITE = "conformance/harness/session_suite"
IMPL = "conformance/harness/stateful_impl.sh"


def run_suite(marks: str, *flags: str) -> dict[str, str | None]:
    """Runs the suite; returns each case's failure message (None: passed)."""
    with tempfile.TemporaryDirectory() as out:
        xml_path = os.path.join(out, "results.xml")
        env = dict(os.environ,
                   PYNOTES_IMPL=f"{os.path.abspath(IMPL)} {marks}",
                   PYNOTES_CASE_TIMEOUT="1")
        subprocess.run([SUITE, f"--gtest_output=xml:{xml_path}", *flags],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120, check=False)
        results = {}
        for case in ET.parse(xml_path).iter("testcase"):
            failure = case.find("failure")
            name = f"{case.get('classname')}.{case.get('name')}"
            results[name] = None if failure is None else failure.get("message", "")
        return results


class SessionReplayTest(unittest.TestCase):
    def setUp(self) -> None:
        self.marks = tempfile.mkdtemp()

    def test_a_hang_mid_file_costs_only_that_case(self) -> None:
        results = run_suite(self.marks)
        self.assertIn("no answer within", results.pop("replayed.hangs"))
        for name in ("set_a", "set_b", "get_a", "set_c", "get_b", "get_c"):
            self.assertIsNone(results[f"replayed.{name}"], name)

    def test_a_session_that_cannot_be_rebuilt_is_reported_as_lost(self) -> None:
        results = run_suite(self.marks)
        self.assertIsNone(results["lost.set_a"])
        self.assertIsNone(results["lost.answers_once"])
        self.assertIn("no answer within", results["lost.hangs"])
        for name in ("get_a", "get_a_again"):
            message = results[f"lost.{name}"]
            self.assertIn("not run: the session was lost: replaying lost.answers_once", message)
            self.assertNotIn("NameError", message)

    def test_a_filtered_run_replays_the_cases_before(self) -> None:
        open(os.path.join(self.marks, "replayed"), "w").close()  # hang-once has hung
        results = run_suite(self.marks, "--gtest_filter=replayed.get_c")
        self.assertEqual({"replayed.get_c": None}, results)


if __name__ == "__main__":
    unittest.main()
