"""``obec-audit check … --pdf`` (obec_audit.reports.pdf): PDF copies of the packs and the
summary through LibreOffice, and what the option says where LibreOffice is missing."""

from __future__ import annotations

import shutil

import pytest

from obec_audit import cli
from obec_audit.reports import pdf as rpdf

from reports_printed import require_printing



def test_without_libreoffice_pdf_says_how_to_get_it_before_any_work(tmp_path, monkeypatch,
                                                                     capsys):
    monkeypatch.setattr(rpdf, "find_soffice", lambda: None)
    called = []
    monkeypatch.setattr("obec_audit.round.run_round", lambda *a, **k: called.append(1))
    rc = cli.main(["check", str(tmp_path), "--out", str(tmp_path / "out"), "--pdf"])
    err = capsys.readouterr().err
    assert rc == 2 and not called and not (tmp_path / "out").exists()
    assert "LibreOffice" in err and "libreoffice-calc-nogui" in err


def test_pdf_and_no_reports_do_not_go_together(tmp_path, capsys):
    rc = cli.main(["check", str(tmp_path), "--out", str(tmp_path / "out"), "--pdf",
                   "--no-reports"])
    assert rc == 2 and "--no-reports" in capsys.readouterr().err


def test_to_pdf_without_libreoffice_raises(tmp_path, monkeypatch):
    monkeypatch.setattr(rpdf, "find_soffice", lambda: None)
    with pytest.raises(rpdf.PdfUnavailable, match="LibreOffice"):
        rpdf.to_pdf([tmp_path / "a.xlsx"])
    assert rpdf.to_pdf([]) == []


def test_check_pdf_writes_a_pdf_per_pack_and_the_summary(tmp_path, monkeypatch, demo_census):
    """Three schools' exports through the command line with --pdf, in batches of two (so
    more than one LibreOffice run), each with its own profile."""
    require_printing()
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(demo_census.glob("studentInSchoolList_*.xlsx"))[:3]:
        shutil.copy(p, src / p.name)
    monkeypatch.setattr(rpdf, "BATCH", 2)
    out = tmp_path / "out"
    assert cli.main(["check", str(src), "--out", str(out), "--as-of", "10/06/2569",
                     "--pdf", "--quiet"]) == 0
    packs = sorted(p.stem for p in (out / "reports").glob("*.xlsx"))
    assert len(packs) == 3
    assert sorted(p.stem for p in (out / "reports").glob("*.pdf")) == packs
    assert (out / "summary.pdf").stat().st_size > 5_000
    for p in (out / "reports").glob("*.pdf"):
        assert p.read_bytes()[:5] == b"%PDF-"
