"""benchmark: a benchmark program NAME from NAME.c (or NAME.cc), run by tools/bench."""

def benchmark(name, deps = [], data = [], clock = True, language = "c"):
    """NAME.LANGUAGE against deps, with //tools/benchmarks:bench_clock unless
    clock = False (programs timed by another benchmark, or timing themselves).
    tools/bench builds it with --config=bench (-c opt) and runs it; it is never
    a test, so that no timing can decide a test's outcome."""
    native.cc_binary(
        name = name,
        srcs = [name + "." + language],
        data = data,
        deps = ([":bench_clock"] if clock else []) + deps,
    )
