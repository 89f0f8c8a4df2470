"""conformance_test: one note's C tests, run twice.

`NAME` asks the C reference in-process; `NAME_pyref` asks the pyref binary
through the adapter protocol, so the CLI and the external transport are
tested on every golden case too. Both check the cases that hold for Python
3.11, the harness's default. Each version in `pythons` (other versions the
reference models for this note, e.g. `3.12` for floats' sum) adds
`NAME_py3Y`, the reference in-process checked as that version. Any other
implementation runs the same targets with --test_env=PYNOTES_IMPL='COMMAND'
(tools/conform does this, on `NAME` only).
"""

def conformance_test(name, note, srcs, deps = [], size = "small", pythons = [], **kwargs):
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
    for python in pythons:
        native.cc_test(
            name = name + "_py" + python.replace(".", ""),
            env = {"PYNOTES_PYTHON": python},
            **common
        )
