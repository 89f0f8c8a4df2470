"""fuzz_target: a libFuzzer binary NAME from NAME.c, built only with --config=fuzz."""

def fuzz_target(name, deps):
    """NAME.c's LLVMFuzzerTestOneInput against deps, with clang's libFuzzer, ASan and
    UBSan (--config=fuzz; the default gcc build skips it). tools/fuzz/run runs it."""
    native.cc_binary(
        name = name,
        srcs = [name + ".c"],
        linkopts = ["-fsanitize=fuzzer"],
        target_compatible_with = select({
            "//third_party:fuzzing": [],
            "//conditions:default": ["@platforms//:incompatible"],
        }),
        deps = deps,
    )
