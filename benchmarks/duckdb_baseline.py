"""The yardstick of issue 16: four core checks as one DuckDB SQL pass over a layout-B CSV.

``python benchmarks/duckdb_baseline.py FILE.csv`` prints the seconds, peak memory and the
number of rows each check flags. ``benchmarks/run.py --scales million`` runs it beside the
whole round on the same file and prints the ratio.

The four checks (what DuckDB is asked to do; the round does far more):

1. ID format: 13 digits, or ``G`` + 12 digits;
2. check digit of a 13-digit ID (mod 11, as ``obec_audit.ids.pin``);
3. the same ID in two or more schools (``dup-id-area``);
4. required fields empty (``field-missing``), counted per field.

Reading is part of the pass (``read_csv`` with every column as text), as reading is part of
the round. Needs ``pip install duckdb`` (the ``bench`` extra).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from obec_audit.io.aliases import STUDENT_ALIASES  # noqa: E402
from obec_audit.io.readers import build_lookup, header_key  # noqa: E402
from obec_audit.schema import REQUIRED_FIELDS  # noqa: E402


def _columns(path: Path, con) -> dict[str, str]:
    """canonical name → the file's header, for the columns the four checks use."""
    head = con.execute(
        "SELECT * FROM read_csv(?, all_varchar=true, header=true) LIMIT 0", [str(path)]
    ).description
    lookup = build_lookup(STUDENT_ALIASES)
    out = {}
    for col in (d[0] for d in head):
        canon = lookup.get(header_key(col))
        if canon and canon not in out:
            out[canon] = col
    return out


def core_checks(path: str | Path, threads: int = 2) -> dict:
    """Run the four checks on ``path``; seconds, peak RSS and counts."""
    import duckdb

    path = Path(path)
    w, c = time.perf_counter(), time.process_time()
    con = duckdb.connect()
    con.execute(f"SET threads = {int(threads)}")
    cols = _columns(path, con)
    q = lambda name: '"' + cols[name].replace('"', '""') + '"'  # noqa: E731
    ident, school = q("national_id"), q("school_code")
    con.execute(
        f"CREATE TEMP TABLE s AS SELECT regexp_replace(coalesce({ident}, ''), '[^0-9Gg]', '', 'g') AS id, "
        f"{school} AS school, "
        + ", ".join(f"{q(f)} AS {f}" for f in REQUIRED_FIELDS if f in cols)
        + " FROM read_csv(?, all_varchar=true, header=true)",
        [str(path)],
    )
    digits = " + ".join(f"CAST(substr(id, {i + 1}, 1) AS INTEGER) * {13 - i}" for i in range(12))
    counts = {}
    counts["id_format"] = con.execute(
        "SELECT count(*) FROM s WHERE NOT (regexp_full_match(id, '[0-9]{13}') "
        "OR regexp_full_match(upper(id), 'G[0-9]{12}'))").fetchone()[0]
    counts["id_check_digit"] = con.execute(
        f"SELECT count(*) FROM s WHERE regexp_full_match(id, '[0-9]{{13}}') "
        f"AND (11 - ({digits}) % 11) % 10 <> CAST(substr(id, 13, 1) AS INTEGER)").fetchone()[0]
    counts["dup_id_area_rows"] = con.execute(
        "SELECT count(*) FROM s JOIN (SELECT id FROM s WHERE id <> '' GROUP BY id "
        "HAVING count(DISTINCT school) > 1) d USING (id)").fetchone()[0]
    present = [f for f in REQUIRED_FIELDS if f in cols]
    row = con.execute(
        "SELECT " + ", ".join(f"count(*) FILTER (WHERE trim(coalesce({f}, '')) = '')" for f in present)
        + " FROM s").fetchone()
    counts["field_missing"] = dict(zip(present, (int(x) for x in row)))
    rows = con.execute("SELECT count(*) FROM s").fetchone()[0]
    con.close()
    return {"wall": time.perf_counter() - w, "cpu": time.process_time() - c, "rows": int(rows),
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "counts": counts}


if __name__ == "__main__":
    print(json.dumps(core_checks(sys.argv[1]), ensure_ascii=False, indent=1))
