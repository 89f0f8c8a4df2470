"""The harness sends a case only to the implementation it holds for (its
Impl, Python range and Pointer-Size against PYNOTES_IMPL_KIND,
PYNOTES_PYTHON and PYNOTES_POINTER_SIZE), under the right version, and says
why it skipped the others: applicability_suite's golden cases run against an
implementation that answers the --python=X.Y it was started with.

    bazel test //conformance/harness:applicability_test
"""

import os
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

SUITE = "conformance/harness/applicability_suite"
# Answers every line with its second argument (--python=X.Y).
IMPL = "sh -c 'while IFS= read -r line; do echo \"$2\"; done' sh"


def run_suite(**declaration: str) -> dict[str, str]:
    """Runs the suite under the declaration (environment variables); returns
    each case's outcome: "passed", "skipped: WHY" or "failed: WHY"."""
    with tempfile.TemporaryDirectory() as out:
        xml_path = os.path.join(out, "results.xml")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYNOTES_")}
        env.update({"PYNOTES_IMPL": IMPL, **declaration})
        subprocess.run([SUITE, f"--gtest_output=xml:{xml_path}"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
                       check=False)
        results = {}
        for case in ET.parse(xml_path).iter("testcase"):
            name = case.get("name")
            failure, skipped = case.find("failure"), case.find("skipped")
            if failure is not None:
                results[name] = "failed: " + failure.get("message", "")
            elif skipped is not None or case.get("result") == "skipped":
                message = skipped.get("message", "") if skipped is not None else ""
                results[name] = "skipped: " + message
            else:
                results[name] = "passed"
        return results


class ApplicabilityTest(unittest.TestCase):
    def test_undeclared_version_is_311(self) -> None:
        results = run_suite()
        self.assertEqual(results["header_range"], "passed")
        self.assertIn("holds for Python -3.7; checking Python 3.11", results["old"])
        self.assertIn("holds for Python 3.12-; checking Python 3.11", results["new"])
        self.assertIn("holds for Python 3.7; checking Python 3.11", results["small_pointers"])
        for name in ("old", "new", "small_pointers"):
            self.assertTrue(results[name].startswith("skipped"), name)
        self.assertIn("holds only for pypy", results["pypy_only"])
        small = run_suite(PYNOTES_PYTHON="3.7")["small_pointers"]
        self.assertIn("holds for 4-byte pointers (Pointer-Size = 4); checking 8-byte", small)

    def test_a_declared_version_runs_only_the_cases_of_its_range(self) -> None:
        self.assertEqual(run_suite(PYNOTES_PYTHON="3.11"), run_suite())
        results = run_suite(PYNOTES_PYTHON="3.12")
        self.assertEqual(results["new"], "passed")
        self.assertIn("holds for Python -3.7; checking Python 3.12", results["old"])
        self.assertIn("holds for Python 3.8-3.11; checking Python 3.12", results["header_range"])
        for name in ("old", "header_range"):
            self.assertTrue(results[name].startswith("skipped"), name)

    def test_kind_version_and_pointer_size_together(self) -> None:
        results = run_suite(PYNOTES_PYTHON="3.7", PYNOTES_POINTER_SIZE="4",
                            PYNOTES_IMPL_KIND="pypy")
        for name in ("old", "small_pointers", "pypy_only"):
            self.assertEqual(results[name], "passed", name)
        for name in ("header_range", "new"):
            self.assertTrue(results[name].startswith("skipped"), name)

    def test_a_pointer_size_other_than_8_is_sent_as_an_option(self) -> None:
        # Answers with all its options: --python=X.Y, then --pointer-size=N if sent.
        every_option = "sh -c 'shift; while IFS= read -r line; do echo \"$*\"; done' sh"
        results = run_suite(PYNOTES_IMPL=every_option, PYNOTES_PYTHON="3.7",
                            PYNOTES_POINTER_SIZE="4")
        self.assertTrue(results["small_pointers"].startswith("failed"), results)
        self.assertIn("--python=3.7 --pointer-size=4", results["small_pointers"])
        # Undeclared (8 bytes), nothing is added: an implementation unaware of it is unaffected.
        results = run_suite(PYNOTES_IMPL=every_option, PYNOTES_PYTHON="3.7")
        self.assertEqual(results["old"], "passed")

    def test_a_version_newer_than_the_goldens_runs_the_open_ranges(self) -> None:
        results = run_suite(PYNOTES_PYTHON="3.15")
        # Sent with --python=3.15, where the golden says what 3.12 is sent with.
        self.assertTrue(results["new"].startswith("failed"), results["new"])
        self.assertIn("3.15", results["new"])
        self.assertIn("holds for Python 3.8-3.11; checking Python 3.15", results["header_range"])

    def test_a_declared_version_that_is_not_one_version_fails_every_case(self) -> None:
        for declared in ("3.8-3.9", "3.5", "3.07", "3.x", "4.1"):
            results = run_suite(PYNOTES_PYTHON=declared)
            self.assertEqual(len(results), 5)
            for name, outcome in results.items():
                self.assertIn("is not one Python version", outcome, (declared, name))


if __name__ == "__main__":
    unittest.main()
