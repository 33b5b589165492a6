"""io.memory: the pyarrow pool an extract is read with, chosen by its size."""

from __future__ import annotations

import gzip

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from obec_audit.io import memory as M


@pytest.fixture
def pool_kept(monkeypatch):
    """The process's pool and ``memory``'s note of its own choice, as they were."""
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    before, ours = pa.default_memory_pool(), list(M._OURS)
    yield
    pa.set_memory_pool(before)
    M._OURS[:] = ours


def _jemalloc_built() -> bool:
    try:
        pa.jemalloc_memory_pool()
        return True
    except NotImplementedError:
        return False


def test_rows_hint_counts_parquet_and_estimates_csv(tmp_path):
    pq.write_table(pa.table({"a": list(range(1234))}), tmp_path / "x.parquet")
    line = "1101700230708,สมชาย,ใจดี,ป.3\n"
    (tmp_path / "x.csv").write_text("id,first,last,grade\n" + line * 20_000, encoding="utf-8")
    assert M.rows_hint([tmp_path / "x.parquet"]) == 1234
    csv_rows = M.rows_hint([tmp_path / "x.csv"])
    assert 19_000 <= csv_rows <= 21_000
    assert M.rows_hint([tmp_path / "x.parquet", tmp_path / "x.csv"]) == 1234 + csv_rows
    assert M.rows_hint([tmp_path / "missing.csv"]) == 0  # reported by the reader, not here
    with gzip.open(tmp_path / "x.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write(line)
    assert M.rows_hint([tmp_path / "x.csv", tmp_path / "x.csv.gz"]) is None  # size says nothing


@pytest.mark.skipif(not _jemalloc_built(), reason="pyarrow built without jemalloc")
def test_pool_for_large_lean_small_fast(pool_kept):
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    M._OURS[0] = None
    M.pool_for(M.LEAN_POOL_MIN_ROWS - 1)
    assert pa.default_memory_pool().backend_name == "mimalloc"
    M.pool_for(M.LEAN_POOL_MIN_ROWS)
    assert pa.default_memory_pool().backend_name == "jemalloc"
    M.pool_for(1_000)  # a small extract after a large one in the same session: fast again
    assert pa.default_memory_pool().backend_name == "mimalloc"
    M.pool_for(None)  # size not known: lean
    assert pa.default_memory_pool().backend_name == "jemalloc"


@pytest.mark.skipif(not _jemalloc_built(), reason="pyarrow built without jemalloc")
def test_pool_for_keeps_a_pool_chosen_elsewhere(pool_kept, monkeypatch):
    pa.set_memory_pool(pa.jemalloc_memory_pool())  # the caller's choice, not ours
    M._OURS[0] = None
    M.pool_for(1_000)
    assert pa.default_memory_pool().backend_name == "jemalloc"
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
    M.pool_for(None)
    assert pa.default_memory_pool().backend_name == "mimalloc"
