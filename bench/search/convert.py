#!/usr/bin/env python3
"""Turn the benchmark's data export (KKIG_BENCH_DUMP) into files both engines load.

    convert.py DUMP_DIR OUT_DIR [--root REPO]

DUMP_DIR holds `offerings.csv` and `travel.csv` as `search.rs` writes them (see README.md).
The generator places offerings in 33 municipalities: the 23 of data/municipalities.csv and
10 large towns further south (Stockholm, Uppsala, …) that kkig does not know, so
`kkig import offerings` would reject every offering with a study site or meeting place there
(about 27 % of them). Every such kommunkod, and its town name, is therefore replaced by the
known municipality nearest to it by the export's own travel minutes, for BOTH engines, so
that kkig and PostgreSQL get the same 100,000 offerings. Writes into OUT_DIR:

- `kkig-offerings.csv` — the CSV columns of docs/catalogue-import.md, for
  `kkig import offerings`. What the export does not carry is filled in and is not searched:
  provider_id (from the provider name), end (a year after start), occupations (one SSYK code
  per area of the export: nurse 2221, teacher 2341, social_work 2661, so kkig's area filter
  sees the export's areas), meeting_days (1 when there are meetings); credits are left empty.
  The meeting place is written explicitly (the export's meeting_kommunkod is the meeting place
  or else the first study site, which gives the same travel burden).
- `pg-offerings.csv` — the export's own columns with the same replacement, for PostgreSQL.
- `travel.csv` — `from;to;minutes` between the known municipalities only (the export's
  minutes, which are kkig's travel model on the same seat positions); imported into kkig with
  `kkig import travel` and loaded into PostgreSQL, so both compute the same burdens.
- `mapping.txt` — the replacements and how many offerings they touched.
"""

import csv
import re
import sys
from pathlib import Path

AREA_SSYK = {"nurse": "2221", "teacher": "2341", "social_work": "2661"}
DUMP_HEADER = [
    "id", "title", "code", "provider_name", "level", "eligibility", "towns", "school_type",
    "form", "pace_percent", "start", "start_term", "areas", "meeting_kommunkod",
    "meetings_per_term",
]
IMPORT_HEADER = [
    "id", "provider_id", "provider_name", "title", "code", "school_type", "level", "credits",
    "credit_system", "pace_percent", "start", "end", "language", "form", "sites",
    "meetings_per_term", "meeting_days", "meeting_place", "occupations", "eligibility",
]


def die(msg):
    print(f"convert.py: {msg}", file=sys.stderr)
    sys.exit(1)


def slug(name):
    s = name.lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        s = s.replace(a, b)
    return "p." + re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def end_of(start):
    y, m, d = (int(x) for x in start.split("-"))
    return f"{y + 1:04d}-{m:02d}-{min(d, 28):02d}"


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="Convert the KKIG_BENCH_DUMP export for kkig and PostgreSQL")
    ap.add_argument("dump", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2],
                    help="the kkig repository (default: two levels up from this file)")
    a = ap.parse_args(argv)
    dump, out, root = a.dump, a.out, a.root
    out.mkdir(parents=True, exist_ok=True)

    # The municipalities kkig knows: kommunkod -> seat town.
    with open(root / "data/municipalities.csv", encoding="utf-8", newline="") as f:
        known = {r["code"]: r["seat"] for r in csv.DictReader(f)}
    # Town name -> kommunkod of every town the generator uses (its TOWNS table).
    src = (root / "crates/kkig-search/src/generate.rs").read_text(encoding="utf-8")
    towns = re.findall(r'\("(\d{4})", "([^"]+)", [0-9.]+, [0-9.]+\)', src)
    if len(towns) < len(known):
        die("could not read TOWNS from crates/kkig-search/src/generate.rs")
    code_of_town = {name: code for code, name in towns}

    # One-way minutes of the export's travel model.
    minutes = {}
    with open(dump / "travel.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            minutes[(r["from"], r["to"])] = int(r["minutes"])
    codes = sorted({a for a, _ in minutes})
    unknown = [c for c in codes if c not in known]
    nearest = {}
    for u in unknown:
        best = min(sorted(known), key=lambda k: (minutes.get((u, k), 10**9), k))
        nearest[u] = best
    code_map = {c: c for c in known} | nearest
    name_of = {c: known[c] for c in known}

    def map_code(c):
        if c not in code_map:
            die(f"kommunkod {c} is neither known nor in travel.csv")
        return code_map[c]

    def map_town(t):
        if t not in code_of_town:
            die(f"town {t!r} is not in the generator's TOWNS")
        k = map_code(code_of_town[t])
        return k, name_of[k]

    touched = 0
    per_code = {u: 0 for u in unknown}
    rows = 0
    with open(dump / "offerings.csv", encoding="utf-8", newline="") as f, \
            open(out / "kkig-offerings.csv", "w", encoding="utf-8", newline="") as fk, \
            open(out / "pg-offerings.csv", "w", encoding="utf-8", newline="") as fp:
        reader = csv.DictReader(f, delimiter=";")
        if reader.fieldnames != DUMP_HEADER:
            die(f"unexpected header in {dump}/offerings.csv: {reader.fieldnames}")
        wk = csv.writer(fk, delimiter=";", lineterminator="\n")
        wp = csv.writer(fp, delimiter=";", lineterminator="\n")
        wk.writerow(IMPORT_HEADER)
        wp.writerow(DUMP_HEADER)
        for r in reader:
            rows += 1
            site_towns = [t for t in r["towns"].split("|") if t]
            sites = [map_town(t) for t in site_towns]
            place = r["meeting_kommunkod"]
            hit = {code_of_town[t] for t in site_towns if code_of_town[t] in nearest}
            if place in nearest:
                hit.add(place)
            if hit:
                touched += 1
                for c in hit:
                    per_code[c] += 1
            place_k = map_code(place) if place else ""
            per_term = int(r["meetings_per_term"])
            areas = [a for a in r["areas"].split("|") if a]
            wk.writerow([
                r["id"], slug(r["provider_name"]), r["provider_name"], r["title"], r["code"],
                r["school_type"], r["level"], "", "", r["pace_percent"], r["start"],
                end_of(r["start"]), "swe", r["form"],
                "|".join(f"{k}:{n}" for k, n in sites),
                per_term, 1 if per_term > 0 else 0,
                f"{place_k}:{name_of[place_k]}" if place_k else "",
                "|".join(AREA_SSYK[a] for a in areas), r["eligibility"],
            ])
            wp.writerow([
                r["id"], r["title"], r["code"], r["provider_name"], r["level"], r["eligibility"],
                "|".join(n for _, n in sites), r["school_type"], r["form"], r["pace_percent"],
                r["start"], r["start_term"], r["areas"], place_k, per_term,
            ])

    with open(out / "travel.csv", "w", encoding="utf-8", newline="") as f:
        f.write("from;to;minutes\n")
        for (a, b), m in sorted(minutes.items()):
            if a in known and b in known:
                f.write(f"{a};{b};{m}\n")

    lines = [
        f"{rows} offerings; {touched} ({100 * touched / max(rows, 1):.1f} %) had a study site or "
        f"meeting place in a municipality kkig does not know and were moved to the nearest known one:",
    ]
    town_of = {c: n for n, c in code_of_town.items()}
    for u in unknown:
        k = nearest[u]
        lines.append(
            f"  {u} {town_of.get(u, '?')} -> {k} {known[k]} ({minutes.get((u, k))} min one-way): "
            f"{per_code[u]} offerings"
        )
    (out / "mapping.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
