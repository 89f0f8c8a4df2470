"""CPython peers of the C benchmarks: the same measurements through the real
library, printed as `NAME cpython NS_PER_MESSAGE` (median of ROUNDS).

    /usr/bin/python3 tools/benchmarks/peers.py NOTE [ROUNDS]
"""
import hashlib
import statistics
import sys
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


PEERS = {"hashes": hashes}

if __name__ == "__main__":
    PEERS[sys.argv[1]](int(sys.argv[2]) if len(sys.argv) > 2 else 7)
