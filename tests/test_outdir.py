"""A round's folder is replaced as a whole, and a failed round leaves the earlier one intact."""

from __future__ import annotations

import json

import pytest

from obec_audit import outdir


def _round(folder, phase, reports=True):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "findings.csv").write_text(phase, encoding="utf-8")
    (folder / "round.json").write_text(json.dumps({"phase": phase, "as_of": "2026-06-10"}),
                                       encoding="utf-8")
    if reports:
        (folder / "reports").mkdir()
        (folder / "reports" / "57010001.xlsx").write_text("x", encoding="utf-8")
        (folder / "summary.xlsx").write_text("x", encoding="utf-8")


def test_replacing_swaps_the_whole_folder_and_keeps_foreign_files(tmp_path):
    out = tmp_path / "out"
    _round(out, "round1")
    (out / "my-notes.txt").write_text("keep", encoding="utf-8")
    assert outdir.previous_round(out)["phase"] == "round1"
    with outdir.replacing(out) as new:
        assert new.parent == tmp_path and new.name.startswith(".")
        _round(new, "semester2", reports=False)
    assert sorted(p.name for p in out.iterdir()) == ["findings.csv", "my-notes.txt", "round.json"]
    assert (out / "findings.csv").read_text(encoding="utf-8") == "semester2"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # nothing hidden left behind


def test_a_failed_round_leaves_the_earlier_one(tmp_path):
    out = tmp_path / "out"
    _round(out, "round1")
    with pytest.raises(RuntimeError):
        with outdir.replacing(out) as new:
            (new / "findings.csv").write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")
    assert (out / "findings.csv").read_text(encoding="utf-8") == "round1"
    assert (out / "reports" / "57010001.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_previous_round_and_foreign_entries(tmp_path):
    assert outdir.previous_round(tmp_path / "nothing") is None
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "students.csv").write_text("x", encoding="utf-8")
    assert outdir.previous_round(tmp_path / "a") == {}  # a round's file without round.json
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.docx").write_text("x", encoding="utf-8")
    assert outdir.previous_round(tmp_path / "b") is None
    assert [p.name for p in outdir.foreign_entries(tmp_path / "b")] == ["x.docx"]
