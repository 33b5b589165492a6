"""dup-person measured on labelled pairs (obec_audit.demo.pairs): recall and precision."""

from __future__ import annotations

import pytest

from obec_audit.checks.duplicates import person_pairs
from obec_audit.checks.registry import CheckInput, run_checks
from obec_audit.demo.pairs import OTHER_KINDS, SAME_KINDS, build_pairs, measure


@pytest.fixture(scope="module")
def pairs():
    return build_pairs(n=25, seed=5)


def test_pairs_cover_every_kind_short_and_long(pairs):
    lab = pairs.labels
    assert set(lab["kind"]) == set(SAME_KINDS) | set(OTHER_KINDS)
    assert set(lab["name_len"]) == {"short", "long"}
    assert lab.groupby(["kind", "name_len"]).size().min() >= 20
    assert len(pairs.frame) == 2 * len(lab) and pairs.frame["source_row"].is_unique


def test_recall_and_precision_on_labelled_pairs(pairs):
    out = run_checks(CheckInput(students=pairs.frame), codes=["dup-person"])
    summary, table = measure(pairs, out)
    print(summary, "\n", table.to_string(index=False))
    assert summary["recall"] >= 0.97
    assert summary["precision"] >= 0.97
    by_len = table[table["same"]].groupby("name_len")[["pairs", "reported"]].sum()
    assert (by_len["reported"] / by_len["pairs"]).min() >= 0.95  # short names as well as long
    twins = table[table["kind"].eq("twins")]
    assert twins["reported"].sum() == 0


def test_both_orders_of_work_agree_on_the_pairs(pairs):
    a = person_pairs(pairs.frame, direct=True)
    b = person_pairs(pairs.frame, direct=False)
    assert set(zip(a["i"], a["j"])) == set(zip(b["i"], b["j"]))
