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
        data = ["//golden:" + note],
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
        **dict(common, data = common["data"] + ["//ref:pyref"])
    )
