"""CPython peers of the C benchmarks: the same measurements through the real
library, printed as `NAME cpython NS_PER_MESSAGE` (median of ROUNDS).

    /usr/bin/python3 tools/benchmarks/peers.py NOTE [ROUNDS]
"""
import hashlib
import os
import statistics
import sys
import time
import timeit


def hashes(rounds: int) -> None:
    data = bytes((i * 2654435761 >> 24) & 0xff for i in range(1 << 20))
    for name, size in (("sha256/64B", 64), ("sha256/1KiB", 1024), ("sha256/1MiB", 1 << 20)):
        message = data[:size]
        count = max(3, int(50e6 / (150 + size * 0.6)))
        timer = timeit.Timer(lambda: hashlib.sha256(message).hexdigest())
        timer.timeit(count // 10 + 1)
        times = [timer.timeit(count) / count * 1e9 for _ in range(rounds)]
        print(f"{name} cpython {statistics.median(times):.1f}", flush=True)


def greenlets(rounds: int) -> None:
    """greenlet.switch ping-pong, gevent.sleep(0) round trips, spawn + join,
    and resident bytes per idle gevent greenlet (100,000 parked on a timer)."""
    import gevent
    import greenlet

    switches = 1000000

    def raw_switch() -> float:
        main = greenlet.getcurrent()

        def bounce() -> None:
            while True:
                main.switch()

        other = greenlet.greenlet(bounce)
        start = time.perf_counter()
        for _ in range(switches // 2):
            other.switch()
        return (time.perf_counter() - start) / switches * 1e9

    def sleep0() -> float:
        count = 200000

        def sleeper() -> None:
            for _ in range(count):
                gevent.sleep(0)

        start = time.perf_counter()
        gevent.joinall([gevent.spawn(sleeper), gevent.spawn(sleeper)])
        return (time.perf_counter() - start) / (2 * count) * 1e9

    def spawn_join() -> float:
        count = 50000
        start = time.perf_counter()
        for _ in range(count):
            gevent.spawn(int).join()
        return (time.perf_counter() - start) / count * 1e9

    def resident() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGESIZE")

    before = resident()
    idle = [gevent.spawn(gevent.sleep, 1000) for _ in range(100000)]
    gevent.sleep(0)
    idle_bytes = (resident() - before) / len(idle)
    gevent.killall(idle)
    for name, measure in (("switch", raw_switch), ("sleep0", sleep0), ("spawn_join", spawn_join)):
        print(f"{name} cpython {statistics.median(measure() for _ in range(rounds)):.1f}", flush=True)
    print(f"idle_bytes cpython {idle_bytes:.0f}", flush=True)
    print(f"idle_bytes_guard cpython {idle_bytes:.0f}", flush=True)


def orm(rounds: int) -> None:
    """SQLAlchemy 1.4's ORM on the note's model (golden/orm/orm_note.py), the
    work tools/benchmarks/orm_bench.c times, in ns per row: orm/insert makes,
    adds (add_all) and commits 100,000 Person rows on a fresh file (tables
    from create_all, untimed); orm/load is session.query(Person).all() of
    them in a new session. Default interpreter settings (gc on)."""
    import gc
    import os
    import runpy
    import shutil
    import sqlite3
    import tempfile
    import time
    from pathlib import Path

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    rows = 100000
    note = runpy.run_path(str(Path(__file__).resolve().parents[2] / "golden" / "orm" /
                              "orm_note.py"), run_name="orm_note")
    person, metadata = note["Person"], note["Base"].metadata
    names = ["person %d" % i for i in range(rows)]

    def fresh_engine(directory: str):
        engine = create_engine("sqlite:///" + os.path.join(directory, "bench.db"))
        metadata.create_all(engine)
        return engine

    def insert_round() -> float:
        directory = tempfile.mkdtemp(prefix="orm_peer.")
        try:
            engine = fresh_engine(directory)
            session = Session(bind=engine)
            gc.collect()
            start = time.perf_counter_ns()
            session.add_all([person(person_name=name) for name in names])
            session.commit()
            elapsed = time.perf_counter_ns() - start
            session.close()
            with engine.connect() as connection:
                count = connection.exec_driver_sql("SELECT count(*) FROM person").scalar()
            engine.dispose()
            if count != rows:
                raise SystemExit("orm peer: an insert round left %d rows" % count)
            return elapsed / rows
        finally:
            shutil.rmtree(directory)

    def load_round(engine) -> float:
        gc.collect()
        start = time.perf_counter_ns()
        session = Session(bind=engine)
        loaded = session.query(person).all()
        elapsed = time.perf_counter_ns() - start
        if len(loaded) != rows:
            raise SystemExit("orm peer: loaded %d rows" % len(loaded))
        session.close()
        return elapsed / rows

    insert_round()  # warm up
    times = [insert_round() for _ in range(rounds)]
    print(f"orm/insert cpython {statistics.median(times):.1f}", flush=True)

    directory = tempfile.mkdtemp(prefix="orm_peer.")
    try:
        engine = fresh_engine(directory)
        with sqlite3.connect(os.path.join(directory, "bench.db")) as connection:
            connection.executemany("INSERT INTO person (person_name) VALUES (?)",
                                   ((name,) for name in names))
        load_round(engine)  # warm up
        times = [load_round(engine) for _ in range(rounds)]
        engine.dispose()
    finally:
        shutil.rmtree(directory)
    print(f"orm/load cpython {statistics.median(times):.1f}", flush=True)


def floats(rounds: int) -> None:
    """repr, float() and math.fsum on the same 10^6 doubles as
    tools/benchmarks/floats_bench.c (splitmix64, seed 42): ns per value."""
    import math
    import struct

    mask = (1 << 64) - 1
    state = 42

    def splitmix64() -> int:
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    count = 1000000
    unpack = struct.Struct("<d").unpack
    pack = struct.Struct("<Q").pack
    randoms = []
    while len(randoms) < count:
        x = unpack(pack(splitmix64()))[0]
        if math.isfinite(x):
            randoms.append(x)
    narrow, wide = [], []
    for _ in range(count):
        r = splitmix64()
        unit = (r >> 11) * 2.0**-53
        value = -unit if r & 1 else unit
        narrow.append(value)
        wide.append(math.ldexp(value, splitmix64() % 601 - 300))
    texts = list(map(repr, randoms))
    cases = [
        ("repr/random", lambda: list(map(repr, randoms))),
        ("read/random", lambda: list(map(float, texts))),
        ("fsum/narrow", lambda: math.fsum(narrow)),
        ("fsum/wide", lambda: math.fsum(wide)),
    ]
    for name, run in cases:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) / count * 1e9)
        print(f"{name} cpython {statistics.median(times):.2f}", flush=True)


def sympy(rounds: int) -> None:
    """tools/benchmarks/sympy_bench.c's measurements through sympy, its cache
    cleared before every round (cached timings are only cache lookups): ns
    for one expand, subs or sympify, setup excluded."""
    import sympy as sp
    from sympy.core.cache import clear_cache

    x, y, z, w = sp.symbols("x y z w")
    parts, length, k = [], 0, 0
    while length < 10240:
        part = f"{k * 7919 % 1000 + 1}*x**{k % 9}*y**{k % 7}*z"
        length += len(part) + (3 if k else 0)
        parts.append(part)
        k += 1
    text = " + ".join(parts)

    def timed(setup, run) -> float:
        times = []
        for _ in range(rounds):
            clear_cache()
            value = setup()
            clear_cache()
            start = time.perf_counter_ns()
            run(value)
            times.append(time.perf_counter_ns() - start)
        return statistics.median(times)

    for n in (10, 20, 30):
        ns = timed(lambda: None, lambda _, n=n: sp.expand((x + y + z + w) ** n))
        print(f"expand/N{n} cpython {ns:.0f}", flush=True)
    ns = timed(lambda: sp.expand((x + y + 1) ** 44), lambda p: p.subs(x, 2))
    print(f"subs/1000 cpython {ns:.0f}", flush=True)
    ns = timed(lambda: None, lambda _: sp.sympify(text))
    print(f"sympify/10KB cpython {ns:.0f}", flush=True)


PEERS = {"hashes": hashes, "greenlets": greenlets, "orm": orm, "floats": floats,
         "sympy": sympy}

if __name__ == "__main__":
    PEERS[sys.argv[1]](int(sys.argv[2]) if len(sys.argv) > 2 else 7)
