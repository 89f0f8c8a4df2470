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
        env.update(PYNOTES_IMPL=IMPL, **declaration)
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
    def test_undeclared_version_sends_each_case_a_version_it_holds_for(self) -> None:
        results = run_suite()
        for name in ("old", "header_range", "new"):
            self.assertEqual(results[name], "passed", name)
        self.assertIn("holds for 4-byte pointers", results["small_pointers"])
        self.assertTrue(results["small_pointers"].startswith("skipped"))
        self.assertIn("holds only for pypy", results["pypy_only"])

    def test_a_declared_version_runs_only_the_cases_of_its_range(self) -> None:
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

    def test_a_declared_version_that_is_not_one_version_fails_every_case(self) -> None:
        results = run_suite(PYNOTES_PYTHON="3.8-3.9")
        self.assertEqual(len(results), 5)
        for name, outcome in results.items():
            self.assertIn("is not one Python version", outcome, name)


if __name__ == "__main__":
    unittest.main()
