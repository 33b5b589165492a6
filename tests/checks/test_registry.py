"""The one rule for which checks run: ``registry.select(phase, inputs)``."""

import datetime as dt

import pandas as pd
import pytest

from obec_audit.checks import registry
from obec_audit.checks.registry import REGISTRY, CheckInput, given_inputs, run_checks, select
from _builders_other import mobec, students  # tests/checks is on pytest's pythonpath


def test_every_check_declares_known_inputs_and_phases():
    registry.load_all()
    assert len(REGISTRY) >= 38
    for k in REGISTRY.values():
        assert set(k.needs) <= set(registry.INPUTS), k.code
        assert k.needs, k.code
        assert set(k.phases) <= set(registry.PHASES), k.code


def test_phase_filters_every_dataset():
    have = {"students", "previous", "discharges", "staff", "mobec", "mobec_previous", "bobec",
            "class_counts", "boarding_schools"}
    r1 = {k.code for k in select("round1", have)}
    assert "id-missing" in r1 and "staff-id" in r1
    # other phases' checks stay out even when their data is given
    assert not {"mobec-count", "bobec-year", "left-unexplained", "top-grade-empty"} & r1
    assert {"mobec-count", "mobec-change"} <= {k.code for k in select("mobec", have)}
    assert "id-missing" not in {k.code for k in select("mobec", have)}


def test_needs_filter():
    sem2 = {k.code for k in select("semester2", {"students"})}
    assert "id-missing" in sem2 and "left-unexplained" not in sem2 and "boarding-school" not in sem2
    assert "left-unexplained" in {k.code for k in select("semester2", {"students", "previous"})}
    assert "mobec-change" not in {k.code for k in select("mobec", {"mobec"})}


def test_given_inputs_ignores_none_and_empty_tables():
    data = CheckInput(students=pd.DataFrame({"x": [1]}), previous=pd.DataFrame(),
                      boarding_schools=frozenset(), as_of=dt.date(2026, 6, 10))
    assert given_inputs(data) == {"students", "boarding_schools", "as_of"}


def test_run_skips_checks_whose_inputs_are_missing():
    # called through the registry a check never sees a missing input
    for k in REGISTRY.values():
        assert len(k.run(CheckInput())) == 0, k.code


def test_unused_inputs_are_named():
    m = mobec([dict(school_code="57010001", item_code="11001", usable=1)])
    data = CheckInput(students=students([dict(school_code="57010001")]), mobec=m,
                      as_of=dt.date(2026, 6, 10))
    assert registry.unused_inputs("round1", data) == ["mobec"]
    assert registry.unused_inputs("mobec", data) == []
    assert not run_checks(data, "round1")["check"].str.startswith("mobec").any()


def test_register_rejects_unknown_inputs():
    with pytest.raises(ValueError):
        registry.register("x-test", severity="error", dataset="students", phases=("round1",),
                          title_th="t", description_th="d", needs=("nonsense",))


def test_findings_take_dataset_from_the_registry():
    rows = pd.DataFrame({"school_code": ["57010001"], "source_file": ["a.xlsx"], "source_row": [2]})
    f = registry.findings(rows, "mobec-count", message="m")
    assert f["dataset"].tolist() == ["mobec"]
    assert f["severity"].tolist() == ["error"]


def _memo_frame(make_students):
    """Rows that reach every shared value: a duplicate ID, a duplicate person, an odd title,
    a missing field, a bad birth date, an implausible height."""
    pin = "1101700230708"
    return make_students([
        {"national_id": pin}, {"national_id": pin, "school_code": "57010002"},
        {"first_name": "สมศรี", "last_name": "มีสุข", "birth_date": "2017-03-03", "sex": "F", "title": "เด็กหญิง"},
        {"first_name": "สมศรี", "last_name": "มีสุข", "birth_date": "2017-03-03", "sex": "F", "title": "เด็กหญิง"},
        {"title": "เด็กหญิง", "room": None}, {"birth_date": "2030-01-01"}, {"height": 300.0},
    ])


def test_each_check_declares_the_shared_values_it_asks_for(make_students):
    """``Check.memo`` is what ``iter_checks`` drops values by: a check asking for an
    undeclared one would have it dropped under it (computed twice, never wrong)."""
    df = _memo_frame(make_students)
    for k in select(None, {"students", "as_of", "boarding_schools", "schools"}):
        if k.dataset != "students":
            continue
        data = CheckInput(students=df, as_of=dt.date(2026, 6, 10), boarding_schools=frozenset())
        data._asked = set()
        k.run(data)
        assert data._asked == set(k.memo), k.code


def test_iter_checks_drops_shared_values_after_their_last_check(make_students):
    df = _memo_frame(make_students)
    checks = select("round1", {"students"})
    data = CheckInput(students=df, as_of=dt.date(2026, 6, 10))
    seen = []
    for k, _ in registry.iter_checks(data, checks, keep=("field_masks",), lanes=1):
        seen.append((k.code, {registry.memo_name(m) for m in data._memo}))
    after = dict(seen)
    assert "id_school_codes" in after["dup-id-school"]
    assert "id_school_codes" not in after["dup-person"] and "name_keys" not in after["dup-person"]
    assert "birth" not in after[checks[-1].code]
    assert "field_masks" in after[checks[-1].code]  # kept: the round's completeness uses it
    kept = run_checks(CheckInput(students=df, as_of=dt.date(2026, 6, 10)), "round1", keep=("field_masks",))
    pd.testing.assert_frame_equal(kept, run_checks(CheckInput(students=df, as_of=dt.date(2026, 6, 10)), "round1"))


def _fake(code: str, func, memo=(), weight: float = 1.0) -> registry.Check:
    return registry.Check(code, "error", "students", ("round1",), code, code, func, memo=tuple(memo),
                          weight=weight)


def test_lanes_give_the_findings_of_one_lane(make_students):
    df = _memo_frame(make_students)
    one = run_checks(CheckInput(students=df, as_of=dt.date(2026, 6, 10)), "round1", lanes=1)
    two = run_checks(CheckInput(students=df, as_of=dt.date(2026, 6, 10)), "round1", lanes=2)
    assert one["check"].nunique() >= 5
    pd.testing.assert_frame_equal(one, two)
    unsorted = [run_checks(CheckInput(students=df, as_of=dt.date(2026, 6, 10)), "round1", lanes=n, sort=False)
                for n in (1, 2)]
    pd.testing.assert_frame_equal(*unsorted)  # the checks' order, not the order they finished in


def test_lanes_compute_a_shared_value_once_and_keep_it_until_its_last_user_ends():
    import threading
    import time

    calls = []
    started = threading.Event()

    def value():
        calls.append(1)
        time.sleep(0.05)
        return [1]

    def slow(data):  # asks, then asks again after the fast one has ended
        started.set()
        data.cached("x", value)
        time.sleep(0.2)
        data.cached("x", value)
        return None

    def fast(data):
        started.wait(1)
        data.cached("x", value)
        return None

    data = CheckInput(students=pd.DataFrame({"a": [1]}))
    order = [k.code for k, _ in registry.iter_checks(
        data, [_fake("slow", slow, ["x"]), _fake("fast", fast, ["x"])], keep=(), lanes=2)]
    assert order == ["slow", "fast"]
    assert len(calls) == 1  # computed once, not dropped while "slow" still needed it
    assert "x" not in data._memo  # dropped once both had ended


def _recording(started, lock):
    def check(code, memo=(), wait=None, compute=0.0):
        def run(data):
            import time

            with lock:
                started.append(code)
            for m in memo:
                data.cached(m, lambda: time.sleep(compute) or [m])
            if wait is not None:
                wait.wait(2)
            return None
        return run
    return check


def test_lanes_start_the_heaviest_check_first_and_yield_in_order():
    import threading

    started, lock, heavy_started = [], threading.Lock(), threading.Event()
    check = _recording(started, lock)

    def heavy(data):
        with lock:
            started.append("heavy")
        heavy_started.set()

    ordinary = check("x", wait=heavy_started)  # holds its lane until the heavy one has started
    checks = [_fake("a", ordinary), _fake("b", ordinary), _fake("heavy", heavy, weight=8), _fake("c", ordinary)]
    data = CheckInput(students=pd.DataFrame({"a": [1]}))
    order = [k.code for k, _ in registry.iter_checks(data, checks, lanes=2)]
    assert order == ["a", "b", "heavy", "c"]
    assert started.index("heavy") <= 1  # taken before the ordinary checks given before it
    assert registry.REGISTRY["dup-person"].weight > 1  # the long one of round 1


def test_a_lane_passes_over_a_check_that_would_wait_for_a_shared_value_being_computed():
    import threading

    started, lock = [], threading.Lock()
    check = _recording(started, lock)
    checks = [_fake("computes", check("computes", ["ids"], compute=0.3), ["ids"], weight=2),
              _fake("reuses", check("reuses", ["ids"]), ["ids"]), _fake("free", check("free"))]
    data = CheckInput(students=pd.DataFrame({"a": [1]}))
    assert [k.code for k, _ in registry.iter_checks(data, checks, lanes=2)] == ["computes", "reuses", "free"]
    assert started == ["computes", "free", "reuses"]  # not "reuses" beside the one computing "ids"


def test_other_work_runs_in_the_lanes_after_the_checks_that_can_start(monkeypatch):
    started = []  # in the order the lanes take them (``_next`` holds the lanes' lock)
    real = registry._Lanes._next

    def recorded(self):
        i = real(self)
        if i is not None:
            started.append(self.checks[i].code)
        return i

    monkeypatch.setattr(registry._Lanes, "_next", recorded)
    monkeypatch.setattr(registry, "select", lambda phase, inputs: [
        _fake(c, lambda d: None) for c in ("a", "b", "c", "d")])
    data = CheckInput(students=pd.DataFrame({"a": [1, 2]}))
    got = run_checks(data, "round1", lanes=2, keep=(), also={"tables": lambda d: ("made", len(d.students))})
    assert started == ["a", "b", "c", "d", "(tables)"]  # weight 0: taken when no check is left
    assert data._memo["tables"] == ("made", 2)  # kept, though ``keep`` does not name it
    assert data.cached("tables", lambda: "again") == ("made", 2)
    assert len(got) == 0  # no findings of its own


def test_other_work_leaves_the_findings_as_they_were(make_students):
    df = make_students([{"sex": "X"}] + [{} for _ in range(39)])  # one finding at least
    plain = run_checks(CheckInput(students=df, as_of=dt.date(2026, 6, 10)), "round1", lanes=2)
    data = CheckInput(students=df, as_of=dt.date(2026, 6, 10))
    got = run_checks(data, "round1", lanes=2, keep=("field_masks",), also={"n": lambda d: len(d.students)})
    pd.testing.assert_frame_equal(got, plain)
    assert data._memo["n"] == 40 and "field_masks" in data._memo


def test_a_failing_check_fails_the_run_in_lanes():
    def bad(data):
        raise ValueError("boom")

    data = CheckInput(students=pd.DataFrame({"a": [1]}))
    checks = [_fake("ok", lambda d: None), _fake("bad", bad), _fake("ok2", lambda d: None)]
    with pytest.raises(ValueError, match="boom"):
        list(registry.iter_checks(data, checks, lanes=2))


def test_check_lanes_from_the_environment(monkeypatch):
    monkeypatch.setattr(registry.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(registry, "LANES_MIN_ROWS", 0)
    monkeypatch.setenv("OBEC_AUDIT_CHECK_LANES", "1")
    assert registry.check_lanes() == 1
    monkeypatch.setenv("OBEC_AUDIT_CHECK_LANES", "3")
    assert registry.check_lanes() == 3
    monkeypatch.setenv("OBEC_AUDIT_CHECK_LANES", "many")
    assert registry.check_lanes() == registry.CHECK_LANES
    monkeypatch.setattr(registry.os, "cpu_count", lambda: 1)
    monkeypatch.setenv("OBEC_AUDIT_CHECK_LANES", "3")
    assert registry.check_lanes() == 1


def test_lists_outside_the_lanes_rows_are_checked_one_check_at_a_time(monkeypatch):
    import threading

    where = []

    def check(data):
        where.append(threading.current_thread() is threading.main_thread())
        return None

    checks = [_fake("a", check), _fake("b", check)]
    data = CheckInput(students=pd.DataFrame({"a": [1, 2, 3]}))
    list(registry.iter_checks(data, checks))
    assert where == [True, True]  # under LANES_MIN_ROWS: one at a time, here
    monkeypatch.setattr(registry, "LANES_MIN_ROWS", 2)
    where.clear()
    list(registry.iter_checks(data, checks))
    assert where == [False, False]  # two lanes: on the lanes' threads
    monkeypatch.setattr(registry, "LANES_MAX_ROWS", 2)
    where.clear()
    list(registry.iter_checks(data, checks))
    assert where == [True, True]


def test_no_check_reads_the_columns_left_in_pieces(make_students):
    """``io.distinct.one_piece`` leaves ``LEFT_IN_PIECES`` in the reader's pieces (slow to take
    rows from): no student check of any phase reads them (without them: the same findings,
    no KeyError). A check that starts reading one needs it taken out of that list."""
    from obec_audit.io.distinct import LEFT_IN_PIECES

    registry.load_all()
    full = _memo_frame(make_students)
    assert LEFT_IN_PIECES <= set(full.columns)
    cut = full.drop(columns=sorted(LEFT_IN_PIECES))
    cut.attrs = dict(full.attrs)
    ran = set()
    for phase in registry.PHASES:
        for k in select(phase, {"students", "previous"}):
            if k.code in ran:
                continue
            ran.add(k.code)
            want = k.run(CheckInput(students=full, previous=full.copy(), as_of=dt.date(2026, 6, 10)))
            got = k.run(CheckInput(students=cut, previous=cut.copy(), as_of=dt.date(2026, 6, 10)))
            pd.testing.assert_frame_equal(got, want, obj=k.code)
    assert {"dup-person", "field-code", "left-unexplained"} <= ran
