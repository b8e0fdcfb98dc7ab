#!/usr/bin/env python3
"""Realistic dossier records (hồ sơ thủ tục hành chính) as Parquet, for `chitieu measure`.

    python3 examples/records/generate.py OUT.parquet --records 2000000 [--units units.csv] [--seed 7]
    python3 examples/records/generate.py OUT_FOLDER --records 100000000 --files 10

Writes OUT.parquet and, with --units, a unit registry (id,name,kind,parent) whose agencies and
communes are those the records belong to: a province, its departments (agencies receiving
dossiers) and communes. Every record has a received date in 2026; about 85% are finished (the
others have no `finished_at`), most of them by their due date; channels are online, direct and
postal; fees are exact decimals (DECIMAL(18,2), whole đồng as fees are), paid online for part of the online dossiers;
some records have missing values (no channel, no fee, no digitised flag, and a few no agency or
no received date, which no period can hold).

With --files K, OUT is a folder of K Parquet files (part-00000.parquet, …), each a consecutive
slice of the same records one file would hold. DuckDB keeps a file's rows in order while writing
it, and its memory grows with the rows of the file (0.8 GB at 2 million, 2.5 GB at 10 million):
100 million records are written as 10 files of 10 million, in bounded memory.

Deterministic: every value is a hash of the record number and the seed (DuckDB's `hash`), so
the same arguments give the same records on any machine and any thread count. Needs the PyPI
package `duckdb`.
"""
import argparse
import os
import sys

import duckdb

AGENCIES = [
    ("H61.STP", "Sở Tư pháp"),
    ("H61.SXD", "Sở Xây dựng"),
    ("H61.SYT", "Sở Y tế"),
    ("H61.SCT", "Sở Công Thương"),
    ("H61.STNMT", "Sở Nông nghiệp và Môi trường"),
    ("H61.SGDDT", "Sở Giáo dục và Đào tạo"),
    ("H61.STC", "Sở Tài chính"),
    ("H61.SVHTTDL", "Sở Văn hoá, Thể thao và Du lịch"),
]
COMMUNES = [(f"H61.X{i:02d}", f"Xã số {i}") for i in range(1, 25)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="the Parquet file to write (with --files: the folder)")
    ap.add_argument("--records", type=int, default=2_000_000)
    ap.add_argument("--units", help="also write the unit registry (CSV) here")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--files", type=int, default=1, help="write a folder of this many files")
    ap.add_argument("--row-group", type=int, default=1_000_000, help="rows per Parquet row group")
    a = ap.parse_args()

    con = duckdb.connect()
    con.execute("CREATE TABLE agencies AS SELECT * FROM (VALUES " + ", ".join(
        f"({i}, '{u}')" for i, (u, _) in enumerate(AGENCIES)) + ") t(k, id)")
    con.execute("CREATE TABLE communes AS SELECT * FROM (VALUES " + ", ".join(
        f"({i}, '{u}')" for i, (u, _) in enumerate(COMMUNES)) + ") t(k, id)")
    if a.files > 1:
        os.makedirs(a.out, exist_ok=True)
        for k in range(a.files):
            first, last = a.records * k // a.files, a.records * (k + 1) // a.files
            write(con, os.path.join(a.out, f"part-{k:05d}.parquet"), first, last, a)
    else:
        write(con, a.out, 0, a.records, a)
    if a.units:
        with open(a.units, "w", encoding="utf-8") as f:
            f.write("id,name,kind,parent\nH61,UBND tỉnh Vĩnh Long,province,\n")
            for u, name in AGENCIES:
                f.write(f'{u},"{name}",department,H61\n')
            for u, name in COMMUNES:
                f.write(f"{u},{name},commune,H61\n")
    return 0


def write(con, out: str, first: int, last: int, a) -> None:
    """Writes records number `first` to `last - 1` into the Parquet file `out`."""
    s = int(a.seed)
    # h(n): a deterministic pseudo-random integer in [0, 1_000_000) per record and stream n.
    h = lambda n: f"(hash(i, {s}, {n}) % 1000000)"
    con.execute(f"""
        COPY (
          WITH base AS (
            SELECT i,
              {h(1)} AS r_agency, {h(2)} AS r_day, {h(3)} AS r_len, {h(4)} AS r_done,
              {h(5)} AS r_late, {h(6)} AS r_channel, {h(7)} AS r_fee, {h(8)} AS r_paid,
              {h(9)} AS r_digit, {h(10)} AS r_missing, {h(11)} AS r_commune
            FROM range({first}, {last}) t(i)
          ), dated AS (
            SELECT *,
              DATE '2026-01-01' + CAST(r_day % 365 AS INTEGER) AS received,
              CAST(5 + r_len % 26 AS INTEGER) AS allowed
            FROM base
          )
          SELECT
            i AS dossier_id,
            CASE WHEN r_missing % 1000 = 0 THEN NULL
                 ELSE (SELECT id FROM agencies WHERE k = r_agency % {len(AGENCIES)}) END AS agency_id,
            (SELECT id FROM communes WHERE k = r_commune % {len(COMMUNES)}) AS commune_id,
            CASE WHEN r_missing % 997 = 1 THEN NULL ELSE received END AS received_at,
            received + allowed AS due_at,
            CASE WHEN r_done % 100 >= 85 THEN NULL
                 WHEN r_late % 100 < 8 THEN received + allowed + CAST(1 + r_late % 20 AS INTEGER)
                 ELSE received + CAST(r_late % (allowed + 1) AS INTEGER) END AS finished_at,
            CASE WHEN r_missing % 50 = 3 THEN NULL
                 WHEN r_channel % 100 < 62 THEN 'online'
                 WHEN r_channel % 100 < 93 THEN 'direct'
                 ELSE 'postal' END AS channel,
            CASE WHEN r_missing % 40 = 5 THEN NULL
                 WHEN r_fee % 10 < 3 THEN CAST(0 AS DECIMAL(18, 2))
                 ELSE CAST(1000 + (r_fee % 1000) * 500 AS DECIMAL(18, 2)) END AS fee,
            CASE WHEN r_channel % 100 < 62 AND r_paid % 100 < 70 THEN TRUE ELSE FALSE END AS paid_online,
            CASE WHEN r_missing % 30 = 7 THEN NULL ELSE r_digit % 100 < 55 END AS digitised
          FROM dated
        ) TO '{out}' (FORMAT PARQUET, ROW_GROUP_SIZE {a.row_group})
    """)


if __name__ == "__main__":
    sys.exit(main())
