"""Tests of the CPython adapter (tools/adapters/cpython) and its commands.

    bazel test //tools:cpython_adapter_test
    cd tools && /usr/bin/python3 -m unittest pynotes.cpython_adapter_test
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import unittest
from pathlib import Path
from unittest import mock

from pynotes import cpython_adapter, cpython_commands

TOOLS = Path(__file__).resolve().parent.parent
if "TEST_SRCDIR" in os.environ:
    TOOLS = Path(os.environ["TEST_SRCDIR"], os.environ["TEST_WORKSPACE"], "tools")
ADAPTER = TOOLS / "adapters" / "cpython"


def adapter(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(ADAPTER), *arguments], input=stdin, capture_output=True, check=False, timeout=60
    )


def fromhex_36(text: str) -> bytes:
    """CPython 3.6's _PyBytes_FromHex, transcribed as a loop: the test's oracle."""
    def fail(position: int) -> ValueError:
        return ValueError(f"non-hexadecimal number found in fromhex() arg at position {position}")

    for position, char in enumerate(text):
        if ord(char) > 127:
            raise fail(position)
    digits = "0123456789abcdefABCDEF"
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == " ":
            i += 1
            continue
        if text[i] not in digits:
            raise fail(i)
        if i + 1 >= len(text) or text[i + 1] not in digits:
            raise fail(i + 1)
        out.append(int(text[i : i + 2], 16))
        i += 2
    return bytes(out)


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
        done = adapter("float_info", "--python=3.6", stdin=b"ignored\n")
        self.assertEqual(done.returncode, 0)
        self.assertEqual(done.stdout, repr(sys.float_info).encode() + b"\n")

    def test_python_36_fromhex_whitespace(self) -> None:
        lines = ["31\t32", "\t31", "3\t1", "3z\t31", "31 32", "3132\r", "31\x0b\x0c", "é\t"]
        lines.append("3 \t")
        stdin = "".join(line + "\n" for line in lines).encode()
        answers = {}
        for python in ("3.6", "3.7", "3.11"):
            done = adapter("sha1", f"--python={python}", stdin=stdin)
            self.assertEqual(done.returncode, 0, done.stderr)
            answers[python] = done.stdout.decode().split("\n")[:-1]
        error = "ValueError: non-hexadecimal number found in fromhex() arg at position"
        self.assertEqual(
            answers["3.6"],
            [
                f"{error} 2", f"{error} 0", f"{error} 1", f"{error} 1",
                hashlib.sha1(b"12").hexdigest(),
                f"{error} 4", f"{error} 2", f"{error} 0", f"{error} 1",
            ],
        )
        self.assertEqual(answers["3.7"], answers["3.11"])
        self.assertEqual(answers["3.11"][0], hashlib.sha1(b"12").hexdigest())

    def test_oracle(self) -> None:
        done = adapter("oracle", "hashes")
        self.assertEqual(done.returncode, 0)
        hashes = r"^CPython 3\.[0-9]+\.[0-9]+ hashlib \(OpenSSL [0-9.]+[a-z]*\)\n\Z"
        self.assertRegex(done.stdout.decode(), hashes)
        floats = adapter("oracle", "floats").stdout.decode()
        self.assertRegex(floats, r"^CPython 3\.[0-9]+\.[0-9]+\n\Z")

    def test_usage_errors_exit_2_with_one_line(self) -> None:
        for arguments, problem in [
            ((), "no command"),
            (("sha257",), "unknown command sha257"),
            (("sha256", "--python=3.14"), "unsupported Python version (3.6 to 3.13): 3.14"),
            (("sha256", "--python=3"), "unsupported Python version (3.6 to 3.13): 3"),
            (("sha256", "-v"), "unknown option -v"),
            (("oracle",), "oracle needs a note"),
            (("oracle", "nosuchnote"), "oracle needs a note"),
        ]:
            with self.subTest(arguments):
                done = adapter(*arguments)
                self.assertEqual((done.returncode, done.stdout), (2, b""))
                lines = done.stderr.decode().split("\n")
                self.assertEqual(len(lines), 2, lines)
                self.assertTrue(lines[0].startswith(f"cpython adapter: {problem} (usage: "), lines)


class RunTest(unittest.TestCase):
    def test_version_dependent_command_needs_its_python(self) -> None:
        versions = [f"3.{minor}" for minor in range(6, 14)]
        missing = next((v for v in versions if not os.path.exists(f"/usr/bin/python{v}")), None)
        if missing is None:
            self.skipTest("every CPython from 3.6 to 3.13 is installed")
        dependent = cpython_commands.Command(
            "dependent", "floats", lambda line, python: "", True, False
        )
        with mock.patch.dict(cpython_commands.COMMANDS, {"dependent": dependent}):
            with self.assertRaises(cpython_adapter.UsageError) as caught:
                cpython_adapter.run(["cpython", "dependent", f"--python={missing}"])
        self.assertEqual(str(caught.exception), f"Python {missing} is not installed")


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


class FromhexTest(unittest.TestCase):
    def test_36_emulation_matches_36(self) -> None:
        generator = random.Random(36)
        alphabet = "0123456789abcdefABCxg  \t\r\x0b\x0c\x1c\x00é\udcff"
        samples = ["", " ", "\t", "3", "31\t", "3\t", "\t\t31"]
        for _ in range(5000):
            samples.append("".join(generator.choices(alphabet, k=generator.randint(1, 8))))
        for text in samples:
            try:
                expected: bytes | str = fromhex_36(text)
            except ValueError as error:
                expected = str(error)
            try:
                got: bytes | str = cpython_commands._fromhex(text, (3, 6))
            except ValueError as error:
                got = str(error)
            self.assertEqual(got, expected, repr(text))


if __name__ == "__main__":
    unittest.main()
