"""kkig allocate against OR-Tools' SimpleMinCostFlow on the same instance file.

Usage: compare.py KKIG_BINARY INSTANCE.json [INSTANCE.json ...]

For each instance: runs `kkig allocate` as a whole process (wall time and peak RSS from
/usr/bin/time), then builds the same graph in Python (same travel formula and rounding, same
pruning of pairs beyond the travel limit and of pairs costing more than the unplaced penalty,
locked students fixed beforehand) and solves it with OR-Tools, timing the graph build and the
solve separately. Prints one Markdown table row per instance; the objectives must be equal.
"""

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
from ortools.graph.python import min_cost_flow

R = 6371.0


def minutes(lat1, lon1, lat2, lon2, road_factor, speed):
    """The travel model of docs/allocation.md, vectorised; rounds half away from zero."""
    p1 = np.radians(lat1)
    p2 = np.radians(lat2)
    dphi = np.radians(lat2 - lat1)
    dl = np.radians(lon2 - lon1)
    h = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2.0) ** 2
    km = 2.0 * R * np.arcsin(np.minimum(np.sqrt(h), 1.0))
    x = km * road_factor / speed * 60.0
    return np.floor(x + 0.5).astype(np.int64)  # x >= 0: floor(x + 0.5) is half away from zero


def run_kkig(binary, path):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    t0 = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-f", "%M", binary, "allocate", "--input", path, "--output", out_path],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"kkig failed on {path}: {p.stderr}")
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    with open(out_path) as f:
        result = json.load(f)
    os.unlink(out_path)
    return result, wall, rss_kb


def run_ortools(path):
    t0 = time.perf_counter()
    with open(path) as f:
        inst = json.load(f)
    t_read = time.perf_counter() - t0

    t0 = time.perf_counter()
    rules = {
        "max_travel_minutes": 90,
        "road_factor": 1.3,
        "speed_kmh": 70.0,
        "home_municipality_bonus": 30,
        "preference_bonus": [60, 40, 20],
        "move_penalty": 0,
        "unplaced_penalty": 100000,
    }
    rules.update(inst.get("rules") or {})
    U = rules["unplaced_penalty"]
    T = rules["max_travel_minutes"]
    rf, sp = float(rules["road_factor"]), float(rules["speed_kmh"])
    home, pref_bonus, move = rules["home_municipality_bonus"], rules["preference_bonus"], rules["move_penalty"]
    sites, students = inst["sites"], inst["students"]
    m, n = len(sites), len(students)
    site_index = {s["id"]: j for j, s in enumerate(sites)}
    cap = np.array([s["capacity"] for s in sites], dtype=np.int64)
    s_lat = np.array([s["lat"] for s in sites], dtype=np.float64)
    s_lon = np.array([s["lon"] for s in sites], dtype=np.float64)
    s_mun = [s.get("municipality") for s in sites]

    def cost_adjust(st, j):
        c = 0
        mu = st.get("municipality")
        if mu is not None and mu == s_mun[j]:
            c -= home
        for k, pid in enumerate(st.get("preferences") or []):
            if pid == sites[j]["id"] and k < len(pref_bonus):
                c -= pref_bonus[k]
        cur = st.get("current_site")
        if cur is not None and cur != sites[j]["id"]:
            c += move
        return c

    fixed = 0
    free = []
    for i, st in enumerate(students):
        l = st.get("locked_site")
        if l is not None:
            j = site_index[l]
            cap[j] -= 1
            t = minutes(np.float64(st["lat"]), np.float64(st["lon"]), s_lat[j], s_lon[j], rf, sp)
            fixed += int(t) + cost_adjust(st, j)
        else:
            free.append(i)

    by_field = {}
    for j, s in enumerate(sites):
        by_field.setdefault(s["field"], []).append(j)
    by_field = {f: np.array(js, dtype=np.int64) for f, js in by_field.items()}
    # Municipality and preference adjustments as sparse corrections.
    mun_codes = {}
    s_mun_id = np.array([mun_codes.setdefault(x, len(mun_codes)) if x is not None else -1 for x in s_mun], dtype=np.int64)

    tails, heads, costs = [], [], []
    nf = len(free)
    SINK = nf + m
    for k, i in enumerate(free):
        st = students[i]
        js = by_field.get(st["field"])
        if js is None:
            continue
        js = js[cap[js] > 0]
        t = minutes(st["lat"], st["lon"], s_lat[js], s_lon[js], rf, sp)
        ok = t <= T
        js, c = js[ok], t[ok].copy()
        mu = st.get("municipality")
        if mu is not None and mu in mun_codes:
            c[s_mun_id[js] == mun_codes[mu]] -= home
        prefs = st.get("preferences") or []
        cur = st.get("current_site")
        if prefs or (cur is not None and move != 0):
            pos = {j: idx for idx, j in enumerate(js.tolist())}
            for kk, pid in enumerate(prefs[: len(pref_bonus)]):
                idx = pos.get(site_index[pid])
                if idx is not None:
                    c[idx] -= pref_bonus[kk]
            if cur is not None and move != 0:
                c += move
                idx = pos.get(site_index[cur])
                if idx is not None:
                    c[idx] -= move
        keep = c <= U
        js, c = js[keep], c[keep]
        tails.append(np.full(len(js), k, dtype=np.int64))
        heads.append(nf + js)
        costs.append(c)
    tails = np.concatenate(tails + [np.arange(nf, dtype=np.int64), nf + np.arange(m, dtype=np.int64)])
    heads = np.concatenate(heads + [np.full(nf, SINK, dtype=np.int64), np.full(m, SINK, dtype=np.int64)])
    caps = np.concatenate([np.ones(len(tails) - nf - m, dtype=np.int64), np.ones(nf, dtype=np.int64), np.maximum(cap, 0)])
    costs = np.concatenate(costs + [np.full(nf, U, dtype=np.int64), np.zeros(m, dtype=np.int64)])
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(nf + m + 1, dtype=np.int64)
    supplies[:nf] = 1
    supplies[SINK] = -nf
    smcf.set_nodes_supplies(np.arange(nf + m + 1, dtype=np.int64), supplies)
    t_build = time.perf_counter() - t0

    t0 = time.perf_counter()
    status = smcf.solve()
    t_solve = time.perf_counter() - t0
    if status != smcf.OPTIMAL:
        sys.exit(f"OR-Tools status {status} on {path}")
    objective = smcf.optimal_cost() + fixed
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return objective, t_read, t_build, t_solve, rss_kb, len(tails) - nf - m


def main():
    binary, paths = sys.argv[1], sys.argv[2:]
    print("| instance | objective kkig | objective OR-Tools | kkig whole process | OR-Tools read / build / solve | solve ÷ kkig | peak RSS kkig | peak RSS OR-Tools (Python) | pairs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    ok = True
    for path in paths:
        # Best of three for kkig (the page cache is warm after the first run).
        runs = [run_kkig(binary, path) for _ in range(3)]
        result, wall, rss = min(runs, key=lambda r: r[1])
        # OR-Tools in a child process so its peak memory is its own.
        p = subprocess.run([sys.executable, __file__, "--ortools", path], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(p.stderr)
        obj, t_read, t_build, t_solve, o_rss, pairs = json.loads(p.stdout)
        same = obj == result["objective"]
        ok &= same
        name = os.path.basename(path)
        print(
            f"| {name} | {result['objective']} | {obj}{'' if same else ' **DIFFERENT**'} | {wall:.3f} s | "
            f"{t_read:.2f} / {t_build:.2f} / {t_solve:.3f} s | **{t_solve / wall:.1f}×** | {rss / 1024:.0f} MiB | "
            f"{o_rss / 1024:.0f} MiB | {pairs:,} |",
            flush=True,
        )
    if not ok:
        sys.exit("objectives differ")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--ortools":
        print(json.dumps(run_ortools(sys.argv[2])))
    else:
        main()
