"""The files of ref/ call and include each other one way: no cycles.

Reads the manifest of //tools/layering:ref_files (every source, header and
object of the cc_libraries under ref/ that pyref reaches); README.md of
ref/sympy says how its layers run.
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ref_graph  # noqa: E402

def runfile(path):
    root = os.path.join(os.environ.get("TEST_SRCDIR", "."), os.environ.get("TEST_WORKSPACE", ""))
    return os.path.join(root, path)


def manifest():
    with open(runfile("tools/layering/ref_files.json"), encoding="utf-8") as f:
        return json.load(f)


def read_sources(paths):
    sources = {}
    for path in paths:
        with open(runfile(path), encoding="utf-8") as f:
            sources[path] = f.read()
    return sources


class CycleFinderTest(unittest.TestCase):
    """The finder itself: it must see a cycle where there is one."""

    def test_finds_a_cycle_and_its_path(self):
        edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}
        self.assertEqual(ref_graph.cycles(edges), [["a", "b", "c"]])
        self.assertEqual(ref_graph.path_within(edges, ["a", "b", "c"]), ["a", "b", "c", "a"])

    def test_a_chain_has_none(self):
        self.assertEqual(ref_graph.cycles({"a": {"b"}, "b": {"c"}, "c": set()}), [])

    def test_includes_and_objects_name_one_node(self):
        self.assertEqual(ref_graph.node_of("ref/sympy/expr.h"), "ref/sympy/expr")
        self.assertEqual(ref_graph.node_of("ref/sympy/_objs/sympy/expr.pic.o"), "ref/sympy/expr")
        self.assertEqual(ref_graph.node_of("ref/_objs/commands/pyref/commands.pic.o"),
                         "ref/pyref/commands")
        edges = ref_graph.include_edges({"ref/a/x.c": '#include "ref/a/x.h"\n#include "ref/a/y.h"\n'})
        self.assertEqual(dict(edges), {"ref/a/x": {"ref/a/y"}})

    def test_nm_definitions_and_uses(self):
        defined, used = ref_graph.parse_nm(
            "0000000000000000 T sy_add\n                 U sy_alloc\n0000000000000010 t helper\n")
        self.assertEqual((defined, used), ({"sy_add"}, {"sy_alloc"}))


class RefTest(unittest.TestCase):
    def setUp(self):
        self.files = manifest()
        self.sources = read_sources(self.files["sources"])

    def test_the_manifest_holds_ref(self):
        # A manifest that lost the libraries would pass everything below.
        self.assertIn("ref/sympy/expr.c", self.sources)
        self.assertIn("ref/sympy/_objs/sympy/expr.pic.o", self.files["objects"])

    def test_no_cycle_between_files(self):
        edges = ref_graph.merge(ref_graph.include_edges(self.sources),
                                ref_graph.call_edges([runfile(p) for p in self.files["objects"]]))
        self.assertIn("ref/sympy/node", edges["ref/sympy/expr"])  # the graph has its edges
        found = ref_graph.cycles(edges)
        self.assertEqual(
            found, [], "files that call or include each other in a cycle:\n" + "\n".join(
                " -> ".join(ref_graph.path_within(edges, c)) for c in found))


if __name__ == "__main__":
    unittest.main()
