#!/usr/bin/env bash
# The HTML report as a folder on the national workload (issue 19): the size of index.html and
# of the largest page, and how long headless Chromium takes to render the index and a province
# page to a screenshot (best of 3 runs, Chromium's start included).
#
#   benches/html_pages.sh [WORKLOAD_DIR]
#
# WORKLOAD_DIR holds the workload of `cargo run --release --example national -- DIR`; it is
# generated there when missing (default: a folder under the system's temporary folder). Needs
# `chromium` on the PATH. A measurement script, not a test: it prints the figures and checks
# them against the targets (index.html < 2 MB, index < 3 s, province page < 2 s).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${TMPDIR:-/tmp}/chitieu-national}
(cd "$root" && cargo build --release --quiet --bin chitieu)
if [ ! -f "$work/observations.csv" ]; then
    (cd "$root" && cargo run --release --quiet --example national -- "$work")
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$work"
start=$(date +%s.%N)
"$root/target/release/chitieu" eval plan.yaml --data observations.csv --units units.csv \
    --as-of 2028-06-30 --format html -o "$scratch/site" || [ $? -eq 1 ]
end=$(date +%s.%N)
printf 'eval → folder: %.2f s, %s pages, %s in all\n' "$(echo "$end - $start" | bc)" \
    "$(ls "$scratch/site" | wc -l)" "$(du -sh "$scratch/site" | cut -f1)"
index=$(stat -c %s "$scratch/site/index.html")
largest=$(ls -S "$scratch/site" | head -1)
printf 'index.html: %d bytes; largest page: %s, %d bytes\n' "$index" "$largest" \
    "$(stat -c %s "$scratch/site/$largest")"

# Seconds for Chromium to render PAGE to a screenshot, best of 3.
shot() {
    local best=999
    for i in 1 2 3; do
        local profile="$scratch/profile-$i"
        local t0 t1 took
        t0=$(date +%s.%N)
        chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
            --no-first-run --user-data-dir="$profile" --window-size=1280,2000 \
            --screenshot="$scratch/shot.png" "file://$scratch/site/$1" >/dev/null 2>&1
        t1=$(date +%s.%N)
        took=$(echo "$t1 - $t0" | bc)
        if [ "$(echo "$took < $best" | bc)" = 1 ]; then best=$took; fi
        rm -rf "$profile"
    done
    echo "$best"
}
# Chromium's own start and a trivial page: the floor under both figures on this machine.
printf '<!DOCTYPE html><title>-</title><p>-</p>\n' > "$scratch/site/blank.html"
tb=$(shot blank.html)
ti=$(shot index.html)
tp=$(shot "$largest")
printf 'chromium screenshot: index.html %.2f s; %s %.2f s; a blank page %.2f s\n' "$ti" "$largest" "$tp" "$tb"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
ok=1
[ "$index" -lt 2000000 ] || { echo "index.html is not under 2 MB"; ok=0; }
[ "$(echo "$ti < 3" | bc)" = 1 ] || { echo "the index took 3 s or more"; ok=0; }
[ "$(echo "$tp < 2" | bc)" = 1 ] || { echo "the province page took 2 s or more"; ok=0; }
[ "$ok" = 1 ] && echo "all targets met"
