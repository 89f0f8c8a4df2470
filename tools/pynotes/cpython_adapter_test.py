"""Tests of the CPython adapter (tools/adapters/cpython) and its commands.

    bazel test //tools:cpython_adapter_test
    cd tools && /usr/bin/python3 -m unittest pynotes.cpython_adapter_test
"""

from __future__ import annotations

import hashlib
import os
import pwd
import subprocess
import sys
import unittest
from pathlib import Path

from pynotes import cpython_adapter, cpythons

TOOLS = Path(__file__).resolve().parent.parent
if "TEST_SRCDIR" in os.environ:
    TOOLS = Path(os.environ["TEST_SRCDIR"], os.environ["TEST_WORKSPACE"], "tools")
ADAPTER = TOOLS / "adapters" / "cpython"
# The version of the interpreter that runs the adapter script (its #! line).
RUNNING = subprocess.run([str(ADAPTER.parent / "cpython"), "oracle", "floats"], capture_output=True,
                         text=True, check=True).stdout.split()[1].rsplit(".", 1)[0]


def adapter(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(ADAPTER), *arguments], input=stdin, capture_output=True, check=False, timeout=60
    )


class ProtocolTest(unittest.TestCase):
    def test_hashes_answer_every_line(self) -> None:
        stdin = b"616263\n\n3\nx1\xc3\xa9\n\xff\n 31 32 \n31"
        for name in ("sha256", "sha224", "sha384", "sha512", "md5", "sha1"):
            with self.subTest(name):
                done = adapter(name, stdin=stdin)
                self.assertEqual((done.returncode, done.stderr), (0, b""))
                error = "ValueError: non-hexadecimal number found in fromhex() arg at position"
                digest = lambda data: hashlib.new(name, data).hexdigest()  # noqa: E731
                self.assertEqual(
                    done.stdout.decode().split("\n"),
                    [digest(b"abc"), digest(b""), f"{error} 1", f"{error} 2", f"{error} 0",
                     digest(b"12"), digest(b"1"), ""],
                )

    def test_answers_are_flushed_one_by_one(self) -> None:
        with subprocess.Popen(
            [str(ADAPTER), "md5"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        ) as process:
            assert process.stdin is not None and process.stdout is not None
            for line, data in [(b"61", b"a"), (b"zz", None), (b"", b"")]:
                process.stdin.write(line + b"\n")
                process.stdin.flush()
                answer = process.stdout.readline()
                if data is not None:
                    self.assertEqual(answer, hashlib.md5(data).hexdigest().encode() + b"\n")
                else:
                    self.assertTrue(answer.startswith(b"ValueError: "))
            process.stdin.close()
            self.assertEqual(process.wait(timeout=60), 0)

    def test_float_info_reads_nothing(self) -> None:
        done = adapter("float_info", f"--python={RUNNING}", stdin=b"ignored\n")
        self.assertEqual(done.returncode, 0)
        self.assertEqual(done.stdout, repr(sys.float_info).encode() + b"\n")

    def test_oracle(self) -> None:
        done = adapter("oracle", "hashes")
        self.assertEqual(done.returncode, 0)
        hashes = r"^CPython 3\.[0-9]+\.[0-9]+ hashlib \(OpenSSL [0-9.]+[a-z]*\)\n\Z"
        self.assertRegex(done.stdout.decode(), hashes)
        floats = adapter("oracle", "floats").stdout.decode()
        self.assertRegex(floats, r"^CPython 3\.[0-9]+\.[0-9]+\n\Z")

    def test_only_its_own_pointer_size_is_served(self) -> None:
        done = adapter("sha256", "--pointer-size=8", stdin=b"61\n")
        self.assertEqual((done.returncode, done.stdout.decode().strip()),
                         (0, hashlib.sha256(b"a").hexdigest()))
        for other in ("4", "16"):
            done = adapter("sha256", f"--pointer-size={other}", stdin=b"61\n")
            self.assertEqual((done.returncode, done.stdout), (2, b""))
            self.assertTrue(done.stderr.decode().startswith(
                f"cpython adapter: pointer size {other} not served: "), done.stderr)

    def test_interpreter_says_what_cpythons_asks(self) -> None:
        done = adapter("interpreter")
        self.assertEqual(done.returncode, 0)
        version, release, pointer_size = done.stdout.decode().split()
        self.assertEqual(version, RUNNING)
        self.assertTrue(release.startswith(version + "."), release)
        self.assertIn(pointer_size, ("4", "8"))

    def test_usage_errors_exit_2_with_one_line(self) -> None:
        for arguments, problem in [
            ((), "no command"),
            (("sha257",), "unknown command sha257"),
            (("sha256", "--python=3"), "not a Python version X.Y: 3"),
            (("sha256", "--python=3.x"), "not a Python version X.Y: 3.x"),
            (("sha256", "-v"), "unknown option -v"),
            (("oracle",), "oracle needs a note"),
            (("oracle", "nosuchnote"), "oracle needs a note"),
            (("interpreter", "--python=3.11"), "interpreter takes no options"),
        ]:
            with self.subTest(arguments):
                done = adapter(*arguments)
                self.assertEqual((done.returncode, done.stdout), (2, b""))
                lines = done.stderr.decode().split("\n")
                self.assertEqual(len(lines), 2, lines)
                self.assertTrue(lines[0].startswith(f"cpython adapter: {problem} (usage: "), lines)


class VersionTest(unittest.TestCase):
    """The adapter answers only as the interpreter running it: any other
    --python is exit status 2, one line on stderr, nothing read or written."""

    def assert_refuses(self, interpreter: str, python: str) -> None:
        for arguments in (("sha256", f"--python={python}"), ("oracle", "floats",
                                                             f"--python={python}")):
            with self.subTest(interpreter=interpreter, arguments=arguments):
                done = subprocess.run([interpreter, str(ADAPTER), *arguments], input=b"61\n",
                                      capture_output=True, check=False, timeout=60)
                self.assertEqual((done.returncode, done.stdout), (2, b""))
                lines = done.stderr.decode().split("\n")
                self.assertEqual(len(lines), 2, lines)
                self.assertTrue(lines[0].startswith(f"cpython adapter: Python {python} not served"),
                                lines)

    def test_running_interpreter_answers_its_own_version_only(self) -> None:
        self.assertEqual(adapter("md5", f"--python={RUNNING}", stdin=b"61\n").stdout,
                         hashlib.md5(b"a").hexdigest().encode() + b"\n")
        self.assertEqual(adapter("md5", stdin=b"61\n").returncode, 0)
        minor = sys.version_info[1]
        for other in (f"3.{minor - 1}", f"3.{minor + 1}", "2.7"):
            self.assert_refuses(sys.executable, other)

    def test_programs_answer_as_the_running_interpreter_only(self) -> None:
        # serve, window, orm-note and embed run their note's program on the
        # interpreter that runs the adapter: asked for another version they
        # refuse before starting anything, as the batch commands do.
        minor = sys.version_info[1]
        for program in (("serve", "echo", "--port", "0"), ("window", "hello"),
                        ("orm-note", "--db", "/nonexistent/x.db"), ("embed",)):
            with self.subTest(program[0]):
                done = adapter(*program, f"--python=3.{minor + 1}")
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn(b"not served", done.stderr)
                self.assertEqual(done.stdout, b"")

    def test_programs_refuse_without_their_library(self) -> None:
        # An interpreter without Twisted (a pyenv CPython has the standard
        # library only) serves no server: exit 2, never a run on another Python.
        home = Path(pwd.getpwuid(os.getuid()).pw_dir)
        for version in ("3.6", "3.7", "3.8", "3.9", "3.10", "3.12", "3.13"):
            found = cpythons.find_version(version, home)
            if found is None:
                continue
            probe = subprocess.run([str(found.path), "-c", "import twisted"], capture_output=True,
                                   check=False, timeout=60)
            if probe.returncode == 0:
                continue
            done = subprocess.run([str(found.path), str(ADAPTER), "serve", "echo", "--port", "0",
                                   f"--python={version}"], capture_output=True, check=False,
                                  timeout=60)
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn(b"twisted is not installed", done.stderr)
            return
        self.skipTest("no CPython without Twisted here")

    def test_cpython_312_refuses_311(self) -> None:
        # The case: run by a real 3.12, asked for 3.11 (found as
        # tools/conform finds it, in the user's home: Bazel's HOME is not).
        home = Path(pwd.getpwuid(os.getuid()).pw_dir)
        python312 = cpythons.find_version("3.12", home)
        if python312 is None:
            self.skipTest("no CPython 3.12 here (test_running_interpreter_answers_its_own_version_only "
                          "checks the refusal on this interpreter)")
        self.assert_refuses(str(python312.path), "3.11")
        done = subprocess.run([str(python312.path), str(ADAPTER), "oracle", "floats",
                               "--python=3.12"], capture_output=True, check=False, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertRegex(done.stdout.decode(), r"^CPython 3\.12\.[0-9]+\n\Z")


class ExceptionLineTest(unittest.TestCase):
    def test_exception_line(self) -> None:
        class SympifyError(ValueError):
            pass

        self.assertEqual(cpython_adapter.exception_line(ValueError("bad")), "ValueError: bad")
        self.assertEqual(cpython_adapter.exception_line(SympifyError("x")), "SympifyError: x")
        self.assertEqual(cpython_adapter.exception_line(StopIteration()), "StopIteration")
        self.assertEqual(cpython_adapter.exception_line(KeyError("k")), "KeyError: 'k'")
        self.assertEqual(
            cpython_adapter.exception_line(SyntaxError("a\\b\nc")), "SyntaxError: a\\\\b\\nc"
        )

    def test_exception_line_survives_a_failing_str(self) -> None:
        class Unprintable(ValueError):
            def __str__(self) -> str:
                raise UnicodeEncodeError("ascii", "\udcff", 0, 1, "surrogates not allowed")

        self.assertEqual(
            cpython_adapter.exception_line(Unprintable()), "Unprintable: <exception str() failed>"
        )


if __name__ == "__main__":
    unittest.main()
