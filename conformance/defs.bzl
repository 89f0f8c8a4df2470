"""conformance_test: one note's C tests, run twice.

`NAME` asks the C reference in-process; `NAME_pyref` asks the pyref binary
through the adapter protocol, so the CLI and the external transport are
tested on every golden case too. Any other implementation runs the same
targets with --test_env=PYNOTES_IMPL='COMMAND' (tools/conform does this).
"""

def conformance_test(name, note, srcs, deps = [], size = "small", **kwargs):
    common = dict(
        size = size,
        srcs = srcs,
        # pyref for program commands, which always run as a process.
        data = ["//golden:" + note, "//ref:pyref"],
        deps = deps + [
            "//conformance/harness",
            "//conformance/shim:main",
        ],
        **kwargs
    )
    native.cc_test(name = name, **common)
    native.cc_test(
        name = name + "_pyref",
        env = {"PYNOTES_IMPL": "$(location //ref:pyref)"},
        **common
    )
