#!/usr/bin/env python3
"""Seed corpora of the fuzz targets (fuzz/corpus/TARGET/), generated from plans/,
tests/fixtures/ and examples/. Generated, never committed (fuzz/corpus is ignored): run it
before `cargo fuzz run TARGET fuzz/corpus/TARGET`."""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"
SOURCES = [ROOT / "plans", ROOT / "tests" / "fixtures", ROOT / "examples"]


def files(*suffixes):
    for base in SOURCES:
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.suffix.lower() in suffixes:
                yield p


def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def is_plan(text):
    return re.search(r"^chitieu:", text, re.M) is not None


plans, data, registries = [], [], []
for p in files(".yaml", ".yml", ".csv", ".json"):
    raw = p.read_bytes()
    text = raw.decode("utf-8", "replace")
    if p.suffix in (".yaml", ".yml") and is_plan(text):
        plans.append((p, text))
        seed("plan_check", raw)
    elif p.name.startswith("units"):
        registries.append((p, text))
    elif p.suffix != ".json" or "schema" not in p.name:
        data.append((p, text))

# Rules and formulas: every rule-language scalar of the plans, unquoted.
rule = re.compile(r"(?:rule|formula|score):\s*(.+?)\s*(?:#.*)?$|^\s*-\s+(.+\bby\s+\d{4}-\d\d-\d\d)\s*$")
for _, text in plans:
    for line in text.splitlines():
        for m in rule.finditer(line):
            value = (m.group(1) or m.group(2)).rstrip("}, ").strip("'\"")
            if value and not value.startswith(("|", ">")):
                seed("rule_roundtrip", value)

# Observations and registries: a selector byte (format, locale), then the file.
FORMAT = {".csv": 0, ".yaml": 1, ".yml": 1, ".json": 2}
for p, text in data:
    f = FORMAT[p.suffix.lower()]
    seed("data_load", bytes([f]) + text.encode())
    seed("data_load", bytes([f | 0x10]) + text.encode())
for p, text in registries:
    seed("data_load", bytes([FORMAT[p.suffix.lower()] + 3]) + text.encode())

# The pipeline: each evaluable plan of plans/ with each observations file and registry, as of
# a few dates, and the test fixtures' plans on the example data (small slices of big files, so
# that an execution stays fast).
def head(text, lines=60):
    return "\n".join(text.splitlines()[:lines]) + "\n"


csvs = [t for p, t in data if p.suffix == ".csv"]
regs = [t for p, t in registries if p.suffix == ".csv"]
for p, plan in plans:
    if not re.search(r"^plan:", plan, re.M):
        continue
    if ROOT / "plans" in p.parents:
        for obs in csvs:
            for reg in regs:
                for as_of in ("2026-10-31", "2030-12-31", "2025-01-01"):
                    seed("eval_render", f"{as_of}\n{plan}\n%%\n{head(obs)}%%\n{head(reg, 200)}")
    for obs in csvs[:1]:
        seed("eval_render", f"{plan}\n%%\n{head(obs)}")

for target in sorted(OUT.iterdir()):
    print(f"{target.name}: {len(list(target.iterdir()))} seeds")
