"""The notes, stated once: every list of notes in the project derives from this one.

A note NAME has golden/NAME (its golden files), conformance/NAME (its suite,
//conformance/NAME:NAME_test), and ref/NAME, whose `command` target is the
library with ref/NAME/NAME_command.h, declaring the note's protocol commands
(`pn_NAME_commands`, `pn_NAME_command_count`). They are listed in the
notebook's order. Bazel loads this file; tools/pynotes/notes.py reads the same
list for the Python tools; //tools:notes_test checks the README against it.
"""

NOTES = [
    "floats",
    "import",
    "hashes",
    "newton",
    "sympy",
    "window",
    "orm",
    "sizeof",
    "servers",
    "greenlets",
]

def note_command_library(note):
    """The target of the note's protocol command table."""
    return "//ref/%s:command" % note

def _commands_table_impl(ctx):
    lines = ["/* Generated from notes.bzl by %s: the notes' command tables. */" % ctx.label]
    lines += ['#include "ref/%s/%s_command.h"' % (note, note) for note in NOTES]
    lines.append("#define PN_NOTE_TABLES \\")
    lines += ["  {pn_%s_commands, &pn_%s_command_count}, \\" % (note, note) for note in NOTES]
    lines.append("")
    ctx.actions.write(ctx.outputs.out, "\n".join(lines) + "\n")

commands_table = rule(
    doc = "A C header with pyref's table of every note's commands (ref/pyref/commands.c).",
    implementation = _commands_table_impl,
    attrs = {"out": attr.output(mandatory = True)},
)

def note_visibility(note, shared_with = []):
    """Who may depend on ref/NOTE's libraries: pyref's command table, the
    note's own packages, its suite, and the tools (fuzzers, benchmarks).
    One note reaching into another must be named here, in shared_with, so that
    such a dependency is a decision, never an accident."""
    return [
        "//ref:__pkg__",
        "//ref/%s:__subpackages__" % note,
        "//conformance/%s:__subpackages__" % note,
        "//tools:__subpackages__",
    ] + shared_with
