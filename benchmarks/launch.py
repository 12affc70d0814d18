"""Runs one command for a benchmark from a small process and reports its wall time and its own peak memory.

Why not straight from the benchmark: Linux keeps a process's peak RSS across ``exec``, and a child forked (or
vforked) from the benchmark starts with the benchmark's own memory as its peak (a run that seeded a million events
made every ``audit verify`` look 400 MiB large). Started from this small process, the command's ``ru_maxrss`` is its
own. The time is taken here, from just before the command starts to its exit, so this process's own start is not in
it; ``HEMGENIX_BENCH_T0`` (the moment the command starts, for the cold-start figures) is set here for the same reason.

    python -m benchmarks.launch TIMEOUT_S OUT ERR -- COMMAND...   (prints {"seconds", "peak_rss_bytes", "returncode"})
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

T0_VARIABLE = "HEMGENIX_BENCH_T0"


def main(argv: list[str]) -> int:
    timeout, out_path, err_path, separator, *command = argv
    if separator != "--" or not command:
        print("usage: python -m benchmarks.launch TIMEOUT_S OUT ERR -- COMMAND...", file=sys.stderr)
        return 2
    env = dict(os.environ)
    with open(out_path, "w", encoding="utf-8") as out, open(err_path, "w", encoding="utf-8") as err:
        if T0_VARIABLE in env:
            env[T0_VARIABLE] = repr(time.monotonic())
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        watchdog = threading.Timer(float(timeout), child.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            watchdog.cancel()
        seconds = time.perf_counter() - started
    returncode = os.waitstatus_to_exitcode(status)
    print(json.dumps({"seconds": seconds, "peak_rss_bytes": usage.ru_maxrss * 1024, "returncode": returncode}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
