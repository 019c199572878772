#!/usr/bin/env python3
"""What the CPUs did during a window: cores used per program, and idle.

    cpu-window.py DELAY WINDOW

Sleeps DELAY seconds, reads the CPU time of every process in /proc, sleeps WINDOW seconds,
reads again, and prints one line such as

    kkig 1.41, wrk 0.52, rustc 0.05, other 0.01, exited or unattributed 0.02, idle 0.01 (of 2 cores)

(cores = CPU seconds used in the window ÷ WINDOW, summed over a program's processes and
threads). Used by compare.sh while wrk runs, so that a missed latency goal can be explained.
Only reads /proc; a process that starts in the window counts with all its CPU time; the time
of one that ends in it (and time no process is charged with) shows as "exited or unattributed"
(the cores minus everything counted minus idle).
"""

import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def processes():
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        comm = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        # fields[11], fields[12] are utime, stime (fields 14 and 15 of proc(5)).
        out[pid] = (comm, int(fields[11]) + int(fields[12]))
    return out


def idle_ticks():
    with open("/proc/stat") as f:
        cpu = f.readline().split()[1:]
    return int(cpu[3]) + int(cpu[4])  # idle + iowait


def main():
    delay, window = float(sys.argv[1]), float(sys.argv[2])
    time.sleep(delay)
    p0, i0, t0 = processes(), idle_ticks(), time.monotonic()
    time.sleep(window)
    p1, i1, t1 = processes(), idle_ticks(), time.monotonic()
    secs = t1 - t0
    by_comm = {}
    for pid, (comm, ticks) in p1.items():
        before = p0.get(pid)
        used = ticks - (before[1] if before else 0)
        # Kernel workers rename themselves after their current work ("kworker/1:0-events").
        name = comm.split("-")[0] if comm.startswith("kworker") else comm
        if used > 0:
            by_comm[name] = by_comm.get(name, 0) + used / TICK / secs
    parts = []
    other = 0.0
    for comm, cores in sorted(by_comm.items(), key=lambda kv: -kv[1]):
        if (comm in ("kkig", "wrk", "postgres") and cores >= 0.01) or (cores >= 0.05 and len(parts) < 5):
            parts.append(f"{comm} {cores:.2f}")
        else:
            other += cores
    parts.append(f"other {other:.2f}")
    idle = (i1 - i0) / TICK / secs
    # CPU time of processes that ended within the window, and interrupts, are in no process.
    unseen = (os.cpu_count() or 1) - sum(by_comm.values()) - idle
    if unseen >= 0.05:
        parts.append(f"exited or unattributed {unseen:.2f}")
    parts.append(f"idle {idle:.2f}")
    print(", ".join(parts) + f" (of {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
