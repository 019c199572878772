#!/usr/bin/env bash
# kkig allocate (whole process) against OR-Tools' SimpleMinCostFlow on the same instances.
#
#   bench/allocation/compare.sh            # all four instances, writes results.md
#   SIZES="20000x6000" bench/allocation/compare.sh
#   KKIG=/tmp/kkig bench/allocation/compare.sh   # a given binary, no build
#
# Builds kkig in release, installs ortools + numpy into bench/allocation/.venv (once),
# generates the instances with `kkig demo-instance` (seed 1, 6 fields, loose = total capacity
# 2 × students, tight = 0.9 ×), and runs compare.py, which prints one row per instance and
# fails if the two objectives differ. The table is written to results.md with the date and
# the machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# KKIG=/path/to/kkig uses that binary instead of building one.
if [ -z "${KKIG:-}" ]; then
    cargo build --release -q -p kkig-cli
fi
kkig="${KKIG:-$root/target/release/kkig}"

if [ ! -x "$here/.venv/bin/python" ]; then
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q ortools numpy
fi
py="$here/.venv/bin/python"

mkdir -p "$here/instances"
files=()
for size in ${SIZES:-20000x6000 40000x20000}; do
    students="${size%x*}"
    sites="${size#*x}"
    for cap in loose:2 tight:0.9; do
        name="${size}-${cap%:*}.json"
        path="$here/instances/$name"
        if [ ! -s "$path" ]; then
            "$kkig" demo-instance --students "$students" --sites "$sites" --fields 6 --seed 1 \
                --capacity-factor "${cap#*:}" --output "$path"
        fi
        files+=("$path")
    done
done

table="$("$py" "$here/compare.py" "$kkig" "${files[@]}")"
echo "$table"

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
mem="$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
ortools="$("$py" -c 'import ortools; print(ortools.__version__)')"
{
    echo "# Allocation: kkig against OR-Tools"
    echo
    echo "Run by \`bench/allocation/compare.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($cpu), $mem;"
    echo "OR-Tools $ortools (Python, \`SimpleMinCostFlow\`), kkig $(git -C "$root" rev-parse --short HEAD)."
    echo
    echo "kkig is timed as a whole process (\`kkig allocate --input … --output …\`: read and parse the"
    echo "JSON, validate, build the pruned graph, solve, explain the unplaced, write the JSON), best of"
    echo "three. OR-Tools is timed for its solve alone; reading the JSON and building the same graph"
    echo "in numpy are shown separately. Peak RSS from \`/usr/bin/time\` (kkig) and \`getrusage\` (the"
    echo "Python process holding OR-Tools). Instances: \`kkig demo-instance --seed 1 --fields 6\`,"
    echo "loose = total capacity 2 × students, tight = 0.9 ×; default rules (90 minutes, U = 100000)."
    echo
    echo "$table"
    echo
    if [ -f "$here/notes.md" ]; then cat "$here/notes.md"; fi
} > "$here/results.md"
echo "wrote $here/results.md"
