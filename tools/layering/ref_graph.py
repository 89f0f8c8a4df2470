"""The include and call graph between the files of ref/, and its cycles.

A node is a file's job: ref/sympy/expr.c and ref/sympy/expr.h are one node,
ref/sympy/expr. Its edges come from two places:
  - every #include "ref/..." line of its sources and headers;
  - every symbol its object file uses that another object file of ref/
    defines (nm of the libraries' objects), so that a call through a
    declaration written in a third header still counts.
A cycle is a strongly connected component of more than one node.
"""

import collections
import os
import re
import subprocess

_INCLUDE = re.compile(r'^\s*#\s*include\s+"(ref/[^"]+)"', re.MULTILINE)


def node_of(path):
    """The node of a source, header or object path: its path under ref/
    without the extension (and without Bazel's .pic)."""
    path = path.replace(os.sep, "/")
    if "/_objs/" in path:
        # Bazel's ref/sympy/_objs/TARGET/expr.pic.o is ref/sympy/expr.c's
        package, under = path.split("/_objs/", 1)
        path = package + "/" + under.split("/", 1)[1]
    at = path.find("ref/")
    path = path[at:] if at >= 0 else path
    base, _ = os.path.splitext(path)
    if base.endswith(".pic"):
        base = base[: -len(".pic")]
    return base


def include_edges(sources):
    """{node: {node it includes}} from the #include "ref/..." lines of the
    files given as {path in the repository: text}."""
    edges = collections.defaultdict(set)
    for path, text in sources.items():
        here = node_of(path)
        for included in _INCLUDE.findall(text):
            there = node_of(included)
            if there != here:
                edges[here].add(there)
    return edges


def parse_nm(text):
    """({symbol}, {symbol}): the global symbols `nm` text defines and the
    ones it uses (undefined)."""
    defined, used = set(), set()
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[0] == "U":
            used.add(fields[1])
        elif len(fields) == 3 and fields[1] in "TDBRGSVWC":
            defined.add(fields[2])
    return defined, used


def call_edges(objects):
    """{node: {node whose symbol it uses}} from nm of the object files."""
    owner, used = {}, {}
    for path in objects:
        out = subprocess.run(["nm", path], check=True, capture_output=True, text=True).stdout
        defined, used[node_of(path)] = parse_nm(out)
        for symbol in defined:
            owner[symbol] = node_of(path)
    edges = collections.defaultdict(set)
    for node, symbols in used.items():
        for symbol in symbols:
            there = owner.get(symbol)
            if there is not None and there != node:
                edges[node].add(there)
    return edges


def merge(*graphs):
    out = collections.defaultdict(set)
    for g in graphs:
        for node, targets in g.items():
            out[node] |= targets
    return out


def cycles(edges):
    """The strongly connected components of more than one node (Tarjan's
    algorithm, iterative), each sorted, sorted."""
    nodes = set(edges) | {t for ts in edges.values() for t in ts}
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def path_within(edges, component):
    """One cycle through the component, as a list of nodes ending where it
    starts, to show which edges close it."""
    members = set(component)
    start = component[0]
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(edges.get(node, ())):
            if child == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return list(reversed(path)) + [start]
            if child in members and child not in previous:
                previous[child] = node
                queue.append(child)
    return component
