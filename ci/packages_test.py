"""Every system header the C and C++ code includes, and every system library it
links, must come from a package that ci/install installs: one listed in
ci/packages.txt or in the Depends (not Recommends: ci/install passes
--no-install-recommends) closure of one. Otherwise a machine that was set up
earlier builds, and a new Debian does not.

    bazel test //ci:packages_test

The headers are what the compiler really opens (`gcc -M` on every source file
in ref/, conformance/ and tools/, transitively, so a header that a library's
own header includes counts too); the libraries are the `-lNAME` link options
of every BUILD file. Package ownership and Depends come from dpkg's database
of this machine, which has them all installed. The test reads the source tree
itself, so it is tagged `external`: Bazel never caches its result.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import subprocess
import unittest
from pathlib import Path

# The runfile is a link into the source tree, whose root we want.
PACKAGES_TXT = Path(os.path.realpath("ci/packages.txt"))
ROOT = PACKAGES_TXT.parent.parent
SOURCE_DIRS = ("ref", "conformance", "tools")
COMPILERS = {".c": ["gcc", "-std=c11"], ".cc": ["g++", "-std=c++17"]}


def listed_packages(text: str) -> list[str]:
    """The package names of a packages.txt text (one per line, # comments)."""
    names = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def include_flags() -> list[str]:
    """-I for the workspace and for each system folder WORKSPACE makes an
    include folder (new_local_repository under /usr/include)."""
    flags = [f"-I{ROOT}"]
    workspace = (ROOT / "WORKSPACE").read_text()
    for path in re.findall(r'path = "(/usr/include/[^"]+)"', workspace):
        flags.append(f"-I{path}")
    return flags


def sources() -> list[Path]:
    found = []
    for top in SOURCE_DIRS:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in COMPILERS and path.is_file():
                found.append(path)
    return found


def system_headers_of(source: Path) -> tuple[Path, set[str]]:
    """The headers outside the workspace that compiling source opens."""
    command = COMPILERS[source.suffix] + ["-M", "-MG", *include_flags(), str(source)]
    made = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if made.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed:\n{made.stderr}")
    words = made.stdout.replace("\\\n", " ").split()
    headers = set()
    for word in words[1:]:  # words[0] is the object file's rule target
        if word == str(source) or word.endswith(":"):
            continue
        path = os.path.normpath(word if os.path.isabs(word) else str(ROOT / word))
        if not path.startswith(str(ROOT) + os.sep):
            headers.add(path)
        elif not os.path.exists(path) and word.split("/")[0] not in SOURCE_DIRS:
            # -MG: a header the compiler could not find at all (one of the
            # project's own that Bazel generates, ref/notes_table.h, is fine).
            headers.add(f"missing:{word}")
    return source, headers


def include_chain(source: Path, header: str) -> list[str]:
    """The headers through which source reaches header (gcc -H's tree)."""
    command = COMPILERS[source.suffix] + ["-H", "-E", "-o", os.devnull, *include_flags(),
                                          str(source)]
    made = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    stack: list[str] = []
    for line in made.stderr.splitlines():
        match = re.match(r"(\.+) (.*)", line)
        if not match:
            continue
        depth, path = len(match.group(1)), os.path.normpath(match.group(2))
        del stack[depth - 1:]
        stack.append(path)
        if path == header:
            return stack[:-1]
    return []


def linked_libraries() -> dict[str, str]:
    """-lNAME options of every BUILD file: NAME -> the BUILD file naming it."""
    found = {}
    for folder, subfolders, files in os.walk(ROOT):
        # Not into bazel's output links, git's data or what the tools write.
        subfolders[:] = sorted(d for d in subfolders
                               if not d.startswith(("bazel-", ".")) and d != "reports")
        for file_name in sorted(files):
            if file_name in ("BUILD", "WORKSPACE") or file_name.endswith((".BUILD", ".bzl")):
                build = Path(folder, file_name)
                for name in re.findall(r'"-l([A-Za-z0-9_+.-]+)"', build.read_text()):
                    found.setdefault(name, str(build.relative_to(ROOT)))
    return found


def library_file(name: str) -> str | None:
    """The file the linker takes for -lNAME, or None."""
    for candidate in (f"lib{name}.so", f"lib{name}.a"):
        printed = subprocess.run(["gcc", f"-print-file-name={candidate}"], capture_output=True,
                                 text=True, check=True).stdout.strip()
        if os.path.isabs(printed) and os.path.exists(printed):
            return os.path.normpath(printed)
    return None


def owners(paths: list[str]) -> dict[str, str]:
    """path -> the installed package that ships it (dpkg -S), for those dpkg knows;
    each path is also tried with its links resolved (a merged /usr)."""
    result: dict[str, str] = {}
    asked = sorted(set(paths) | {os.path.realpath(p) for p in paths})
    made = subprocess.run(["dpkg-query", "-S", *asked], capture_output=True, text=True,
                          check=False)
    for line in made.stdout.splitlines():
        packages, _, path = line.partition(": ")
        if "diversion" in packages:
            continue
        result[path] = packages.split(",")[0].strip().split(":")[0]
    for path in paths:
        if path not in result and os.path.realpath(path) in result:
            result[path] = result[os.path.realpath(path)]
    return result


class Installed:
    """dpkg's database: each installed package's Depends, Pre-Depends and Provides."""

    def __init__(self) -> None:
        made = subprocess.run(
            ["dpkg-query", "-W", "-f=${Package}\t${db:Status-Abbrev}\t${Provides}\t"
             "${Pre-Depends}\t${Depends}\n"], capture_output=True, text=True, check=True)
        self.depends: dict[str, list[list[str]]] = {}
        self.providers: dict[str, list[str]] = {}
        for line in made.stdout.splitlines():
            name, status, provides, pre_depends, depends = (line.split("\t") + [""] * 5)[:5]
            if not status.startswith("ii"):
                continue
            self.depends[name] = [
                [self._name(alternative) for alternative in group.split("|")]
                for group in (pre_depends + "," + depends).split(",") if group.strip()
            ]
            for provided in provides.split(","):
                if provided.strip():
                    self.providers.setdefault(self._name(provided), []).append(name)

    @staticmethod
    def _name(relation: str) -> str:
        return relation.strip().split(" ")[0].split(":")[0]

    def _resolve(self, name: str) -> str | None:
        if name in self.depends:
            return name
        providers = self.providers.get(name, [])
        return providers[0] if providers else None

    def closure(self, roots: list[str]) -> set[str]:
        """The packages apt installs for roots without their Recommends: for each
        alternative group, the first alternative that is installed here."""
        seen: set[str] = set()
        todo = [r for r in (self._resolve(n) for n in roots) if r]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            for group in self.depends.get(name, []):
                for alternative in group:
                    chosen = self._resolve(alternative)
                    if chosen:
                        todo.append(chosen)
                        break
        return seen


_SCAN: dict[str, object] = {}


def scan() -> dict[str, object]:
    """What the code needs from the system, computed once."""
    if not _SCAN:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            per_source = dict(pool.map(system_headers_of, sources()))
        libraries = {name: (library_file(name), build)
                     for name, build in linked_libraries().items()}
        paths = sorted({h for hs in per_source.values() for h in hs if not h.startswith("missing:")}
                       | {path for path, _ in libraries.values() if path})
        _SCAN.update(per_source=per_source, libraries=libraries, owners=owners(paths),
                     installed=Installed())
    return _SCAN


def problems(package_list: list[str]) -> list[str]:
    """What a machine that installs only package_list would lack, one line each,
    naming the header or library and the package to add."""
    found = scan()
    installed: Installed = found["installed"]  # type: ignore[assignment]
    owner_of: dict[str, str] = found["owners"]  # type: ignore[assignment]
    closure = installed.closure(package_list)
    lines = []
    reported: set[str] = set()
    per_source: dict[Path, set[str]] = found["per_source"]  # type: ignore[assignment]
    for source, headers in sorted(per_source.items()):
        shown = source.relative_to(ROOT)
        for header in sorted(headers):
            if header.startswith("missing:"):
                lines.append(f"{shown} includes {header[8:]}, which is not on this machine: "
                             "install the package that has it and add it to ci/packages.txt")
                continue
            package = owner_of.get(header)
            if package is None:
                lines.append(f"{shown} includes {header}, which no Debian package installed "
                             "here ships")
            elif package not in closure and header not in reported:
                reported.add(header)
                chain = include_chain(source, header)
                via = f" (through {' -> '.join(chain)})" if chain else ""
                lines.append(f"{shown} includes {header}{via}, from {package}, which "
                             f"ci/packages.txt does not install: add {package}")
    libraries: dict[str, tuple[str | None, str]] = found["libraries"]  # type: ignore[assignment]
    for name, (path, build) in sorted(libraries.items()):
        if path is None:
            lines.append(f"{build} links -l{name}, which the linker cannot find here")
        elif owner_of.get(path) is None:
            lines.append(f"{build} links -l{name} ({path}), which no Debian package ships")
        elif owner_of[path] not in closure:
            lines.append(f"{build} links -l{name} ({path}), from {owner_of[path]}, which "
                         f"ci/packages.txt does not install: add {owner_of[path]}")
    return lines


class PackagesTest(unittest.TestCase):
    def test_the_list_installs_every_header_and_library(self) -> None:
        found = problems(listed_packages(PACKAGES_TXT.read_text()))
        self.assertEqual([], found, "\n" + "\n".join(found))

    def test_the_scan_sees_headers_that_library_headers_include(self) -> None:
        per_source = scan()["per_source"]
        window = ROOT / "ref" / "window" / "window_command.c"
        self.assertIn(window, per_source)
        self.assertTrue(any(h.endswith("X11/extensions/Xrandr.h") for h in per_source[window]))

    def test_a_package_left_out_is_named_with_its_header(self) -> None:
        # libxrandr-dev is only a Recommends of libglfw3-dev: without it in the
        # list, a new Debian cannot compile GLFW/glfw3native.h.
        packages = [p for p in listed_packages(PACKAGES_TXT.read_text()) if p != "libxrandr-dev"]
        found = "\n".join(problems(packages))
        self.assertIn("X11/extensions/Xrandr.h", found)
        self.assertIn("GLFW/glfw3native.h", found)
        self.assertIn("add libxrandr-dev", found)

    def test_a_library_left_out_is_named(self) -> None:
        packages = [p for p in listed_packages(PACKAGES_TXT.read_text()) if p != "libsqlite3-dev"]
        found = "\n".join(problems(packages))
        self.assertIn("links -lsqlite3", found)
        self.assertIn("add libsqlite3-dev", found)


if __name__ == "__main__":
    unittest.main()
