"""The independent spreadsheet client of tests/sheets.rs: openpyxl writes the workbooks chitieu
reads and reads the workbooks chitieu writes.

    client.py write SPEC.json OUT.xlsx   a workbook from a JSON description (below)
    client.py read BOOK.xlsx             every sheet's cells as JSON on stdout
    client.py fill IN.xlsx OUT.xlsx SPEC.json   set cells of an existing workbook

SPEC: {"sheets": [{"name": "Số liệu", "rows": [[cell, ...], ...],
                   "formats": {"D2": "0.0%"}}]}; a cell is a string, a number, null, or
{"date": "2026-09-30"}. For `fill`: {"Sheet": {"D3": cell}}.
"""
import datetime
import json
import sys

import openpyxl


def cell_value(v):
    if isinstance(v, dict) and "date" in v:
        return datetime.date.fromisoformat(v["date"])
    return v


def write(spec_path, out):
    spec = json.load(open(spec_path, encoding="utf-8"))
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in spec["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        for row in sheet["rows"]:
            ws.append([cell_value(v) for v in row])
        for ref, fmt in sheet.get("formats", {}).items():
            ws[ref].number_format = fmt
    wb.save(out)


def shown(v):
    if isinstance(v, (datetime.date, datetime.datetime)):
        return {"date": v.isoformat()[:10]}
    return v


def read(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": []}
    for ws in wb.worksheets:
        rows, formats, fills = [], {}, {}
        for row in ws.iter_rows():
            rows.append([shown(c.value) for c in row])
            for c in row:
                if c.value is not None and c.number_format != "General":
                    formats[c.coordinate] = c.number_format
                if c.fill is not None and c.fill.fgColor is not None and c.fill.fill_type == "solid":
                    fills[c.coordinate] = c.fill.fgColor.rgb
        out["sheets"].append({
            "name": ws.title,
            "rows": rows,
            "formats": formats,
            "fills": fills,
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "validations": [
                {"type": dv.type, "operator": dv.operator, "sqref": str(dv.sqref),
                 "formula1": dv.formula1}
                for dv in ws.data_validations.dataValidation
            ],
        })
    json.dump(out, sys.stdout, ensure_ascii=False)


def fill(path, out, spec_path):
    spec = json.load(open(spec_path, encoding="utf-8"))
    wb = openpyxl.load_workbook(path)
    for sheet, cells in spec.items():
        for ref, v in cells.items():
            wb[sheet][ref] = cell_value(v)
    wb.save(out)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"write": write, "read": read, "fill": fill}[command](*args)
