"""Census-to-census reconciliation: who stayed, moved, left, arrived or changed ID.

``reconcile(previous, current, discharges=None)`` classifies every row of both censuses
(vectorised merges, no row loop), and the registered checks read that movements frame:

=====================  =========  ==========================================================
code                   severity   rule
=====================  =========  ==========================================================
left-unexplained       warning    in the previous census, in no school now, and no discharge
                                  record (by ID, else by school + name); the finding is on
                                  the *previous* census row
moved-school           info       the same child (same ID, or G-code → 13-digit pair) is now
                                  in another school of the area; on the current row, the
                                  previous school in ``value``
id-changed             info       a child with a G-code in the previous census is now under a
                                  13-digit ID (match: normalised first + last name + birth
                                  date, unique on both sides among rows not matched by ID)
dead-reappears         error      discharged as เสียชีวิต (discharge date ≤ as_of, or no date)
                                  and present now, under the same ID or its converted ID
grade-down             warning    the same child's grade order is lower now
dup-persisting         error      the same ID in ≥ 2 schools in both censuses: every current
                                  member row, one shared group
count-drop             warning    per school: now < 80 % of before and the drop ≥ 10 students
                                  (options ``count_drop_ratio``, ``count_drop_min``); a school
                                  absent from the current census counts as 0
graduate-discharged    error      a discharge as จบการศึกษา dated inside the current academic
                                  year (from 16 May) and on or before the census date: OBEC's
                                  graduates stay on the list through the end-of-year census and
                                  are discharged after it, so any such record (whatever the
                                  grade) is a child removed by hand too early. Undated ones
                                  count (the discharge file covers the time since the previous
                                  census, which in the reconcile phases is inside the year).
=====================  =========  ==========================================================

Statuses of ``reconcile``: ``stayed``, ``moved``, ``id-changed``, ``left`` (with
``left_reason`` moved-out / dropout / died / graduated / unexplained, or ``other`` for a
discharge record whose reason is outside DMC's four), ``new``, and for
duplicate rows resolved or created between the censuses ``dup-removed`` (a previous row
whose ID is still present now on fewer rows) and ``dup-added`` (a current row whose ID was
present before on fewer rows).

Name pairs whose ID changed in another way (an invalid or missing ID corrected, one 13-digit
ID replaced by another) are ``stayed`` / ``moved`` with ``id_change`` = corrected / other, and
raise no ``id-changed`` finding. ``moved-school`` fires for ``moved`` and for ``id-changed``
pairs whose school differs.

Comparing the findings of two rounds (fixed / still open / new) is ``checks.compare``'s.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from obec_audit import thainames
from obec_audit.checks._common import option as _opt, col_str as _s, school_file as _school_file
from obec_audit.checks.registry import RECONCILE_PHASES, CheckInput, findings, register
from obec_audit.schema import DISCHARGE_REASONS, GRADE_ORDER, empty_findings
from obec_audit.thaidate import be_short_series

#: ID types good enough to match two censuses on
MATCH_ID_TYPES = frozenset({"pin", "pin-0", "gcode"})
#: reason (Thai) → left_reason
LEFT_REASON = {"ย้ายออก": "moved-out", "ออกกลางคัน": "dropout", "เสียชีวิต": "died",
               "จบการศึกษา": "graduated"}
assert set(LEFT_REASON) == set(DISCHARGE_REASONS)

#: single-entry cache (previous, current, discharges, movements), by object identity
_CACHE: list = []

MOVEMENT_COLUMNS: list[str] = [
    "status", "left_reason", "id_change", "national_id",
    "prev_national_id", "cur_national_id", "prev_id_type", "cur_id_type",
    "title", "first_name", "last_name", "birth_date",
    "prev_school", "cur_school", "prev_grade", "cur_grade", "prev_room", "cur_room",
    "prev_file", "prev_row", "cur_file", "cur_row",
    "discharge_reason", "discharge_date", "discharge_school", "discharge_file", "discharge_row",
    "prev_pos", "cur_pos",
]

# ------------------------------------------------------------------------------ helpers


def normalize_names(values: pd.Series) -> pd.Series:
    """Name matching key (``thainames.normalize_names``), indexed like ``values``; missing → ''."""
    out = thainames.normalize_names(values.astype("string"))
    return out.astype("string").fillna("").set_axis(values.index)


def _be_date(values: pd.Series) -> pd.Series:
    """datetime64 → 'DD/MM/YYYY' B.E. ('' for NaT) as a string Series."""
    return be_short_series(values).astype("string")


def _id_key(df: pd.DataFrame) -> pd.Series:
    """The ID to match on: valid pin / pin-0 / G-code, or any 13-digit string (a check-digit
    failure is still a stable key); <NA> otherwise."""
    nid = _s(df, "national_id").str.strip()
    typ = _s(df, "id_type")
    ok = typ.isin(MATCH_ID_TYPES).fillna(False) | nid.str.fullmatch(r"\d{13}").fillna(False)
    ok &= nid.notna() & nid.ne("")
    return nid.where(ok.astype(bool))


def _name_key(df: pd.DataFrame) -> pd.Series:
    first = normalize_names(_s(df, "first_name"))
    last = normalize_names(_s(df, "last_name"))
    bd = pd.to_datetime(df["birth_date"], errors="coerce") if "birth_date" in df.columns else \
        pd.Series(pd.NaT, index=df.index)
    key = first + "|" + last + "|" + bd.dt.strftime("%Y-%m-%d").astype("string")
    ok = first.ne("") & last.ne("") & bd.notna()
    return key.where(ok)


def _codes(*series: pd.Series) -> list[np.ndarray]:
    """Factorise several string Series together: equal values get equal int64 codes across
    them, <NA> gets -1 (so merges and ``isin`` run on integers)."""
    allv = pd.concat([x.astype("string").reset_index(drop=True) for x in series], ignore_index=True)
    codes, _ = pd.factorize(allv, use_na_sentinel=True)
    codes = np.asarray(codes)
    out, start = [], 0
    for x in series:
        out.append(codes[start:start + len(x)].astype(np.int64))
        start += len(x)
    return out


def _pair(P: pd.DataFrame, C: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """One-to-one pairs of P and C rows with equal ``on`` keys (k-th with k-th)."""
    P = P.assign(_k=P.groupby(on, sort=False).cumcount())
    C = C.assign(_k=C.groupby(on, sort=False).cumcount())
    m = P[on + ["_k", "pos"]].merge(C[on + ["_k", "pos"]], on=on + ["_k"], suffixes=("_p", "_c"))
    return m[["pos_p", "pos_c"]]


def _take(df: pd.DataFrame, col: str, pos: pd.Series) -> pd.Series:
    """df[col] at positions ``pos`` (nullable: <NA>/NaT where pos is <NA>)."""
    if col not in df.columns:
        return pd.Series(pd.NA, index=pos.index, dtype="string")
    src = df[col]
    if col == "source_row":
        src = pd.to_numeric(src, errors="coerce").astype("Int64")
    elif not pd.api.types.is_datetime64_any_dtype(src):
        src = src.astype("string")
    idx = pos.to_numpy(dtype="float64", na_value=np.nan)
    idx = np.where(np.isnan(idx), -1, idx).astype(np.int64)
    return pd.Series(src.array.take(idx, allow_fill=True), index=pos.index)


def _match_discharges(left: pd.DataFrame, previous: pd.DataFrame, discharges: pd.DataFrame | None):
    """For the previous rows in ``left`` (column prev_pos), the matching discharge record's
    position (by ID, else by school + normalised name, unique): a Series aligned on left."""
    out = pd.Series(pd.NA, index=left.index, dtype="Int64")
    if discharges is None or len(discharges) == 0 or len(left) == 0:
        return out
    d = pd.DataFrame(
        {
            "dpos": np.arange(len(discharges), dtype=np.int64),
            "idkey": _s(discharges, "national_id").str.strip().replace("", pd.NA).to_numpy(),
            "date": pd.to_datetime(discharges["discharge_date"], errors="coerce").to_numpy()
            if "discharge_date" in discharges.columns else pd.NaT,
        }
    )
    # latest record per ID
    by_id = d.dropna(subset=["idkey"]).sort_values(["date", "dpos"], na_position="first")
    by_id = by_id.drop_duplicates("idkey", keep="last").set_index("idkey")["dpos"]
    pid = _take(previous, "national_id", left["prev_pos"]).str.strip()
    got = pid.map(by_id)
    out = pd.Series(got.to_numpy(), index=left.index).astype("Int64")
    # by school + name, where the ID did not match
    miss = out.isna()
    if miss.any():
        dn = pd.DataFrame({
            "dpos": d["dpos"],
            "k": (_s(discharges, "school_code").fillna("") + "|"
                  + normalize_names(_s(discharges, "first_name")) + "|"
                  + normalize_names(_s(discharges, "last_name"))).to_numpy(),
            "ok": (normalize_names(_s(discharges, "first_name")).ne("")
                   & normalize_names(_s(discharges, "last_name")).ne("")).to_numpy(),
        })
        dn = dn[dn["ok"]]
        dn = dn[~dn["k"].duplicated(keep=False)].set_index("k")["dpos"]
        sub = left.loc[miss, "prev_pos"]
        prev_sub = previous.iloc[sub.to_numpy(dtype=np.int64)]
        k = (_s(prev_sub, "school_code").fillna("") + "|"
             + normalize_names(_s(prev_sub, "first_name")) + "|"
             + normalize_names(_s(prev_sub, "last_name")))
        out.loc[miss] = pd.Series(k.map(dn).to_numpy(), index=sub.index).astype("Int64")
    return out


# ------------------------------------------------------------------------------ reconcile
def reconcile(
    previous: pd.DataFrame, current: pd.DataFrame, discharges: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Classify every child of both censuses (one output row per previous row and per
    current row; a matched pair is one row). Columns: ``MOVEMENT_COLUMNS``.

    Matching, in order: (1) same ID, same school; (2) same ID, another school (k-th
    remaining row with k-th); (3) rows left over whose ID is still present on the other side:
    ``dup-removed`` / ``dup-added``; (4) among the rest, same normalised first + last name and
    birth date, unique on both sides: ``id-changed`` when a G-code became a 13-digit ID,
    else ``stayed`` / ``moved`` with ``id_change`` = corrected / other; (5) the previous rows
    still unmatched are ``left`` (``left_reason`` from the discharge records), the current
    ones ``new``. ``prev_pos`` / ``cur_pos`` are positions (``iloc``) in the inputs.
    """
    if _CACHE and _CACHE[0] is previous and _CACHE[1] is current and _CACHE[2] is discharges:
        return _CACHE[3].copy(deep=False)  # the checks of this round already computed it
    if previous is None:
        previous = current.iloc[0:0]
    if current is None:
        current = previous.iloc[0:0]
    pk, ck = _codes(_id_key(previous), _id_key(current))
    ps, cs = _codes(_s(previous, "school_code"), _s(current, "school_code"))
    P = pd.DataFrame({"pos": np.arange(len(previous), dtype=np.int64), "idkey": pk, "school": ps})
    C = pd.DataFrame({"pos": np.arange(len(current), dtype=np.int64), "idkey": ck, "school": cs})
    Pi, Ci = P[P["idkey"] >= 0], C[C["idkey"] >= 0]

    m1 = _pair(Pi, Ci, ["idkey", "school"])
    used_p = np.zeros(len(P), dtype=bool)
    used_c = np.zeros(len(C), dtype=bool)
    used_p[m1["pos_p"].to_numpy()] = True
    used_c[m1["pos_c"].to_numpy()] = True
    Pr = Pi[~used_p[Pi["pos"].to_numpy()]]
    Cr = Ci[~used_c[Ci["pos"].to_numpy()]]
    m2 = _pair(Pr, Cr, ["idkey"])
    used_p[m2["pos_p"].to_numpy()] = True
    used_c[m2["pos_c"].to_numpy()] = True
    Pr = Pr[~used_p[Pr["pos"].to_numpy()]]
    Cr = Cr[~used_c[Cr["pos"].to_numpy()]]
    dup_removed = Pr.loc[np.isin(Pr["idkey"].to_numpy(), Ci["idkey"].to_numpy()), "pos"]
    dup_added = Cr.loc[np.isin(Cr["idkey"].to_numpy(), Pi["idkey"].to_numpy()), "pos"]
    used_p[dup_removed.to_numpy()] = True
    used_c[dup_added.to_numpy()] = True

    # name + birth date among the rest, unique on both sides
    up = np.flatnonzero(~used_p)
    uc = np.flatnonzero(~used_c)
    m3 = pd.DataFrame({"pos_p": pd.Series(dtype=np.int64), "pos_c": pd.Series(dtype=np.int64)})
    if len(up) and len(uc):
        kp_, kc_ = _codes(_name_key(previous.iloc[up]), _name_key(current.iloc[uc]))
        kp = pd.DataFrame({"pos": up, "k": kp_})
        kc = pd.DataFrame({"pos": uc, "k": kc_})
        kp = kp[(kp["k"] >= 0) & ~kp["k"].duplicated(keep=False)]
        kc = kc[(kc["k"] >= 0) & ~kc["k"].duplicated(keep=False)]
        m3 = kp.merge(kc, on="k", suffixes=("_p", "_c"))[["pos_p", "pos_c"]]
        used_p[m3["pos_p"].to_numpy(dtype=np.int64)] = True
        used_c[m3["pos_c"].to_numpy(dtype=np.int64)] = True

    left_pos = np.flatnonzero(~used_p)
    new_pos = np.flatnonzero(~used_c)

    def block(pp, cc, how):
        n = len(pp) if pp is not None else len(cc)
        return pd.DataFrame({
            "prev_pos": pd.array(pp, dtype="Int64") if pp is not None else pd.array([pd.NA] * n, dtype="Int64"),
            "cur_pos": pd.array(cc, dtype="Int64") if cc is not None else pd.array([pd.NA] * n, dtype="Int64"),
            "how": how,
        })

    mv = pd.concat(
        [
            block(m1["pos_p"].to_numpy(), m1["pos_c"].to_numpy(), "id"),
            block(m2["pos_p"].to_numpy(), m2["pos_c"].to_numpy(), "id"),
            block(m3["pos_p"].to_numpy(), m3["pos_c"].to_numpy(), "name"),
            block(dup_removed.to_numpy(), None, "dup-removed"),
            block(None, dup_added.to_numpy(), "dup-added"),
            block(left_pos, None, "left"),
            block(None, new_pos, "new"),
        ],
        ignore_index=True,
    )

    for side, df, pos in (("prev", previous, mv["prev_pos"]), ("cur", current, mv["cur_pos"])):
        mv[f"{side}_national_id"] = _take(df, "national_id", pos)
        mv[f"{side}_id_type"] = _take(df, "id_type", pos)
        mv[f"{side}_school"] = _take(df, "school_code", pos)
        mv[f"{side}_grade"] = _take(df, "grade", pos)
        mv[f"{side}_room"] = _take(df, "room", pos)
        mv[f"{side}_file"] = _take(df, "source_file", pos)
        mv[f"{side}_row"] = _take(df, "source_row", pos)
        for c in ("title", "first_name", "last_name", "birth_date"):
            mv[f"_{side}_{c}"] = _take(df, c, pos)
    for c in ("title", "first_name", "last_name", "birth_date"):
        mv[c] = mv[f"_cur_{c}"].where(mv["cur_pos"].notna(), mv[f"_prev_{c}"])
        mv = mv.drop(columns=[f"_cur_{c}", f"_prev_{c}"])
    mv["national_id"] = mv["cur_national_id"].where(mv["cur_pos"].notna(), mv["prev_national_id"])

    paired = mv["how"].isin(["id", "name"])
    same_school = mv["prev_school"].fillna("").eq(mv["cur_school"].fillna(""))
    ids_differ = mv["prev_national_id"].fillna("").ne(mv["cur_national_id"].fillna(""))
    g2p = (mv["prev_id_type"].eq("gcode") & mv["cur_id_type"].isin(["pin", "pin-0"])).fillna(False)
    status = pd.Series("new", index=mv.index, dtype="object")
    status[mv["how"].eq("left")] = "left"
    status[mv["how"].eq("dup-removed")] = "dup-removed"
    status[mv["how"].eq("dup-added")] = "dup-added"
    status[paired & same_school] = "stayed"
    status[paired & ~same_school] = "moved"
    name_pair = mv["how"].eq("name") & ids_differ
    status[name_pair & g2p] = "id-changed"
    mv["status"] = status.astype("string")
    id_change = pd.Series(pd.NA, index=mv.index, dtype="object")
    id_change[name_pair & g2p] = "gcode-to-pin"
    id_change[name_pair & ~g2p & ~mv["prev_id_type"].isin(list(MATCH_ID_TYPES)).fillna(False)] = "corrected"
    id_change[name_pair & ~g2p & mv["prev_id_type"].isin(list(MATCH_ID_TYPES)).fillna(False)] = "other"
    mv["id_change"] = id_change.astype("string")

    # discharges of the children who left
    is_left = mv["status"].eq("left")
    dpos = _match_discharges(mv.loc[is_left, ["prev_pos"]], previous, discharges)
    dpos_all = pd.Series(pd.NA, index=mv.index, dtype="Int64")
    dpos_all.loc[is_left] = dpos
    if discharges is not None and len(discharges):
        mv["discharge_reason"] = _take(discharges, "reason", dpos_all).str.strip()
        mv["discharge_date"] = (
            _take(discharges, "discharge_date", dpos_all)
            if "discharge_date" in discharges.columns
            else pd.Series(pd.NaT, index=mv.index, dtype="datetime64[ns]")
        )
        mv["discharge_school"] = _take(discharges, "school_code", dpos_all)
        mv["discharge_file"] = _take(discharges, "source_file", dpos_all)
        mv["discharge_row"] = _take(discharges, "source_row", dpos_all)
    else:
        mv["discharge_reason"] = pd.Series(pd.NA, index=mv.index, dtype="string")
        mv["discharge_date"] = pd.Series(pd.NaT, index=mv.index, dtype="datetime64[ns]")
        mv["discharge_school"] = pd.Series(pd.NA, index=mv.index, dtype="string")
        mv["discharge_file"] = pd.Series(pd.NA, index=mv.index, dtype="string")
        mv["discharge_row"] = pd.Series(pd.NA, index=mv.index, dtype="Int64")
    reason = mv["discharge_reason"].map(LEFT_REASON, na_action="ignore")
    # a discharge record with an unknown reason still explains the leaving
    reason = reason.where(reason.notna() | mv["discharge_reason"].isna(), "other")
    reason = reason.where(~is_left | reason.notna(), "unexplained")
    mv["left_reason"] = reason.where(is_left).astype("string")
    return mv[MOVEMENT_COLUMNS].reset_index(drop=True)


def _movements(data: CheckInput) -> pd.DataFrame:
    """``reconcile`` of the check input, computed once for all reconcile checks."""
    prev, cur, dis = data.previous, data.students, data.discharges
    if _CACHE and _CACHE[0] is prev and _CACHE[1] is cur and _CACHE[2] is dis:
        return _CACHE[3]
    mv = reconcile(prev, cur, dis)
    _CACHE[:] = [prev, cur, dis, mv]
    return mv


def _rows_at(df: pd.DataFrame, pos: pd.Series) -> pd.DataFrame:
    """Rows of ``df`` at positions ``pos``, indexed like ``pos`` (so Series aligned on pos's
    index can be passed to ``findings``)."""
    rows = df.iloc[pos.to_numpy(dtype=np.int64)].copy()
    rows.index = pos.index
    return rows


# ------------------------------------------------------------------------------ checks
@register(
    "left-unexplained", severity="warning", dataset="reconcile", phases=RECONCILE_PHASES,
    title_th="ออกจากระบบโดยไม่มีเหตุ",
    description_th="นักเรียนที่อยู่ในข้อมูลรอบก่อน แต่ไม่พบในโรงเรียนใดของเขตในรอบนี้ และไม่มีบันทึกการจำหน่าย "
                   "(ย้ายออก ออกกลางคัน เสียชีวิต จบการศึกษา)",
    title_en="Left without a discharge record",
)
def left_unexplained(data: CheckInput) -> pd.DataFrame:
    mv = _movements(data)
    sel = mv[mv["status"].eq("left") & mv["left_reason"].eq("unexplained")]
    if len(sel) == 0:
        return empty_findings()
    rows = _rows_at(data.previous, sel["prev_pos"])
    value = (sel["prev_grade"].fillna("") + "/" + sel["prev_room"].fillna("")).str.strip("/")
    msg = ("นักเรียนคนนี้อยู่ในข้อมูลรอบก่อน (ชั้น " + sel["prev_grade"].fillna("-")
           + ") แต่ไม่พบในโรงเรียนใดของเขตในรอบนี้ และไม่มีบันทึกการจำหน่าย: "
           "โรงเรียนเดิมตรวจสอบว่านักเรียนย้ายออก ออกกลางคัน หรือเสียชีวิต แล้วบันทึกการจำหน่ายใน DMC "
           "ให้ตรงกับความจริง หากยังเรียนอยู่ให้นำกลับเข้าระบบ")
    return findings(rows, "left-unexplained", field="", value=value, message=msg,
                    group="left:" + sel["prev_national_id"].fillna(sel["prev_row"].astype("string")))


@register(
    "moved-school", severity="info", dataset="reconcile", phases=RECONCILE_PHASES,
    title_th="ย้ายโรงเรียนภายในเขต",
    description_th="นักเรียนคนเดิม (เลขประจำตัวเดียวกัน หรือเปลี่ยนจากรหัส G เป็นเลข 13 หลัก) "
                   "อยู่คนละโรงเรียนกับรอบก่อน",
    title_en="Moved to another school of the area",
)
def moved_school(data: CheckInput) -> pd.DataFrame:
    mv = _movements(data)
    sel = mv[mv["status"].isin(["moved", "id-changed"]) & mv["cur_pos"].notna()
             & mv["prev_school"].fillna("").ne(mv["cur_school"].fillna(""))]
    if len(sel) == 0:
        return empty_findings()
    rows = _rows_at(data.students, sel["cur_pos"])
    msg = ("นักเรียนคนนี้รอบก่อนอยู่โรงเรียน " + sel["prev_school"].fillna("-")
           + " (ชั้น " + sel["prev_grade"].fillna("-") + ") ปัจจุบันอยู่โรงเรียนนี้: แจ้งเพื่อทราบ "
           "โรงเรียนตรวจสอบว่ารับย้ายเข้าถูกต้อง และโรงเรียนเดิมจำหน่ายย้ายออกแล้ว")
    return findings(rows, "moved-school", field="school_code", value=sel["prev_school"],
                    message=msg, group="moved:" + sel["cur_national_id"].fillna(""))


@register(
    "id-changed", severity="info", dataset="reconcile", phases=RECONCILE_PHASES,
    title_th="เปลี่ยนจากรหัส G เป็นเลขประจำตัว 13 หลัก",
    description_th="นักเรียนคนเดิม (ชื่อ นามสกุล วันเกิดตรงกัน) รอบก่อนใช้รหัส G รอบนี้ใช้เลขประจำตัว 13 หลัก",
    title_en="G-code converted to a 13-digit ID",
)
def id_changed(data: CheckInput) -> pd.DataFrame:
    mv = _movements(data)
    sel = mv[mv["status"].eq("id-changed")]
    if len(sel) == 0:
        return empty_findings()
    rows = _rows_at(data.students, sel["cur_pos"])
    value = sel["prev_national_id"].fillna("") + " → " + sel["cur_national_id"].fillna("")
    msg = ("รอบก่อนนักเรียนคนนี้ใช้รหัส G " + sel["prev_national_id"].fillna("")
           + " รอบนี้ใช้เลขประจำตัว 13 หลัก: แจ้งเพื่อทราบ โรงเรียนตรวจสอบว่าเลข 13 หลักตรงกับสูติบัตร/ทะเบียนบ้าน "
           "และไม่มีรายการรหัส G เดิมค้างอยู่ในระบบ")
    return findings(rows, "id-changed", field="national_id", value=value, message=msg,
                    group="id-changed:" + sel["cur_national_id"].fillna(""))


def _died(data: CheckInput) -> pd.DataFrame:
    d = data.discharges
    if d is None or len(d) == 0 or "reason" not in d.columns:
        return d.iloc[0:0] if d is not None else pd.DataFrame()
    died = d[_s(d, "reason").str.strip().eq("เสียชีวิต").fillna(False)]
    if data.as_of is not None and "discharge_date" in died.columns:
        date = pd.to_datetime(died["discharge_date"], errors="coerce")
        died = died[date.isna() | (date <= pd.Timestamp(data.as_of))]
    died = died.assign(_id=_s(died, "national_id").str.strip())
    return died[died["_id"].notna() & died["_id"].ne("")]


@register(
    "dead-reappears", severity="error", dataset="reconcile", phases=RECONCILE_PHASES,
    title_th="จำหน่ายตายแล้วแต่ยังมีชื่อ",
    description_th="นักเรียนที่ถูกจำหน่ายด้วยเหตุเสียชีวิตก่อนวันนับข้อมูล ยังมีรายชื่ออยู่ในข้อมูลรอบนี้",
    title_en="Discharged as died, present now",
    needs=("students", "discharges"),
)
def dead_reappears(data: CheckInput) -> pd.DataFrame:
    died = _died(data)
    if len(died) == 0:
        return empty_findings()
    died = died.assign(_date=pd.to_datetime(died.get("discharge_date"), errors="coerce"))
    died = died.sort_values("_date", na_position="first").drop_duplicates("_id", keep="last")
    date_by_id = pd.Series(_be_date(died["_date"]).to_numpy(), index=died["_id"].to_numpy())
    school_by_id = pd.Series(_s(died, "school_code").fillna("").to_numpy(), index=died["_id"].to_numpy())
    cur = data.students.reset_index(drop=True)
    cid = _s(cur, "national_id").str.strip()
    hit = cid.where(cid.isin(set(date_by_id.index)).fillna(False)).to_numpy(dtype=object)
    # also: died under the previous ID (e.g. a G-code) and present now under a converted one
    if data.previous is not None:
        mv = _movements(data)
        conv = mv[mv["cur_pos"].notna() & mv["prev_national_id"].isin(set(date_by_id.index)).fillna(False)
                  & mv["prev_national_id"].ne(mv["cur_national_id"]).fillna(False)]
        if len(conv):
            pos = conv["cur_pos"].to_numpy(dtype=np.int64)
            empty = pd.isna(hit[pos])
            hit[pos[empty]] = conv["prev_national_id"].to_numpy(dtype=object)[empty]
    hit_id = pd.Series(hit, index=cur.index, dtype="string")
    mask = hit_id.notna()
    if not mask.any():
        return empty_findings()
    rows = cur[mask]
    key = hit_id[mask]
    date = key.map(date_by_id).astype("string").fillna("")
    msg = ("นักเรียนคนนี้ถูกจำหน่ายด้วยเหตุเสียชีวิต (วันที่ " + date.replace("", "ไม่ระบุ")
           + " โรงเรียน " + key.map(school_by_id).astype("string").fillna("") + ") แต่ยังมีชื่ออยู่ในข้อมูลรอบนี้: "
           "โรงเรียนตรวจสอบว่าบันทึกการเสียชีวิตผิดคน หรือรายชื่อนี้ต้องจำหน่ายออก แล้วแก้ไขใน DMC")
    return findings(rows, "dead-reappears", field="national_id", value="เสียชีวิต " + date,
                    message=msg, group="dead:" + key)


@register(
    "grade-down", severity="warning", dataset="reconcile", phases=RECONCILE_PHASES,
    title_th="ชั้นเรียนลดลงจากรอบก่อน",
    description_th="นักเรียนคนเดิมอยู่ชั้นต่ำกว่าในข้อมูลรอบก่อน",
    title_en="Grade lower than in the previous census",
)
def grade_down(data: CheckInput) -> pd.DataFrame:
    mv = _movements(data)
    po = mv["prev_grade"].map(GRADE_ORDER).astype("Float64")
    co = mv["cur_grade"].map(GRADE_ORDER).astype("Float64")
    sel = mv[(mv["cur_pos"].notna() & mv["prev_pos"].notna() & (co < po)).fillna(False)]
    if len(sel) == 0:
        return empty_findings()
    rows = _rows_at(data.students, sel["cur_pos"])
    value = sel["prev_grade"] + " → " + sel["cur_grade"]
    msg = ("รอบก่อนนักเรียนคนนี้อยู่ชั้น " + sel["prev_grade"] + " รอบนี้อยู่ชั้น " + sel["cur_grade"]
           + " ซึ่งต่ำกว่าเดิม: โรงเรียนตรวจสอบชั้นเรียนให้ถูกต้อง (บันทึกชั้นผิด หรือเลขประจำตัวผิดคน) แล้วแก้ไขใน DMC")
    return findings(rows, "grade-down", field="grade", value=value, message=msg,
                    group="grade-down:" + sel["cur_national_id"].fillna(""))


@register(
    "dup-persisting", severity="error", dataset="reconcile", phases=RECONCILE_PHASES,
    title_th="ซ้ำซ้อนต่างโรงเรียนค้างจากรอบก่อน",
    description_th="เลขประจำตัวเดียวกันอยู่ในโรงเรียนตั้งแต่ 2 แห่งขึ้นไป ทั้งในรอบก่อนและรอบนี้ (ยังไม่ได้แก้ไข)",
    title_en="Same ID in two schools in both censuses",
)
def dup_persisting(data: CheckInput) -> pd.DataFrame:

    cur = data.students.reset_index(drop=True)
    pk, ck = _codes(_id_key(data.previous), _id_key(cur))
    ps, cs = _codes(_s(data.previous, "school_code"), _s(cur, "school_code"))

    def multi(k, s):
        t = pd.DataFrame({"k": k, "s": s})
        t = t[(t["k"] >= 0) & (t["s"] >= 0)].drop_duplicates()
        n = t.groupby("k").size()
        return n[n >= 2].index.to_numpy()

    ids = np.intersect1d(multi(pk, ps), multi(ck, cs))
    if len(ids) == 0:
        return empty_findings()
    mask = pd.Series(np.isin(ck, ids), index=cur.index)
    rows = cur[mask]
    k = _id_key(rows)
    schools = (
        pd.DataFrame({"id": k, "s": _s(rows, "school_code").fillna("")})
        .drop_duplicates().sort_values(["id", "s"]).groupby("id")["s"].agg(", ".join)
    )
    value = k.map(schools).astype("string")
    msg = ("เลขประจำตัวนี้มีชื่ออยู่ในหลายโรงเรียน (" + value
           + ") ตั้งแต่รอบก่อนและยังไม่ได้แก้ไข: โรงเรียนที่นักเรียนไม่ได้เรียนอยู่จริงให้จำหน่ายออก "
           "โรงเรียนที่นักเรียนเรียนอยู่จริงให้ส่งหลักฐานยืนยันตัวตน")
    return findings(rows, "dup-persisting", field="national_id", value=value, message=msg,
                    group="dup-persisting:" + k)


@register(
    "count-drop", severity="warning", dataset="reconcile", phases=RECONCILE_PHASES,
    title_th="จำนวนนักเรียนลดลงมาก",
    description_th="จำนวนนักเรียนของโรงเรียนลดลงเกินร้อยละ 20 (และอย่างน้อย 10 คน) จากข้อมูลรอบก่อน",
    title_en="School count fell sharply",
)
def count_drop(data: CheckInput) -> pd.DataFrame:
    ratio = float(_opt(data, "count_drop_ratio", 0.8))
    min_drop = int(_opt(data, "count_drop_min", 10))
    before = _s(data.previous, "school_code").dropna().value_counts()
    after = _s(data.students, "school_code").dropna().value_counts()
    t = pd.DataFrame({"before": before, "after": after}).fillna(0).astype(int)
    t = t[(t["before"] - t["after"] >= min_drop) & (t["after"] < ratio * t["before"])]
    if len(t) == 0:
        return empty_findings()
    files = _school_file(data.students)
    pfiles = _school_file(data.previous)
    rows = pd.DataFrame({
        "school_code": pd.array(t.index.astype(str), dtype="string"),
        "source_file": pd.array(
            [pd.NA] * len(t), dtype="string"),
        "source_row": pd.array([pd.NA] * len(t), dtype="Int64"),
    }, index=t.index)
    rows["source_file"] = files.reindex(t.index).fillna(pfiles.reindex(t.index)).astype("string")
    b = t["before"].astype(str)
    a = t["after"].astype(str)
    pct = ((t["before"] - t["after"]) * 100 / t["before"]).round(0).astype(int).astype(str)
    msg = ("จำนวนนักเรียนลดลงจาก " + b + " คน เหลือ " + a + " คน (ลดลงร้อยละ " + pct
           + "): โรงเรียนตรวจสอบว่าบันทึกนักเรียนครบทุกชั้นทุกห้อง และการจำหน่ายถูกต้อง")
    msg = msg.where(t["after"] > 0,
                    "ไม่พบนักเรียนของโรงเรียนนี้ในข้อมูลรอบนี้ (รอบก่อน " + b + " คน): "
                    "ตรวจสอบว่าได้นำแฟ้มของโรงเรียนเข้ามาครบ และโรงเรียนบันทึกข้อมูลใน DMC แล้ว")
    return findings(rows, "count-drop", field="", value=b + " → " + a, message=msg)


@register(
    "graduate-discharged", severity="error", dataset="reconcile", phases=RECONCILE_PHASES,
    title_th="จำหน่ายจบการศึกษาก่อนสิ้นปี",
    description_th="มีการจำหน่ายนักเรียนด้วยเหตุจบการศึกษาในปีการศึกษานี้ ก่อนหรือในวันนับข้อมูล "
                   "(นักเรียนชั้นสูงสุดต้องอยู่ในระบบจนถึงการนับข้อมูลสิ้นปีการศึกษา)",
    title_en="Graduate discharged before the end-of-year census",
    needs=("students", "discharges"),
)
def graduate_discharged(data: CheckInput) -> pd.DataFrame:
    d = data.discharges
    if d is None or len(d) == 0 or "reason" not in d.columns:
        return empty_findings()
    grad = _s(d, "reason").str.strip().eq("จบการศึกษา").fillna(False)
    date = (pd.to_datetime(d["discharge_date"], errors="coerce") if "discharge_date" in d.columns
            else pd.Series(pd.NaT, index=d.index))
    if data.as_of is not None:
        start = pd.Timestamp(dt.date(data.academic_year_ce, 5, 16))
        end = pd.Timestamp(data.as_of)
        in_year = date.isna() | ((date >= start) & (date <= end))
        grad &= in_year
    rows = d[grad]
    if len(rows) == 0:
        return empty_findings()
    dd = _be_date(date[grad])
    value = (_s(rows, "grade").fillna("") + " " + dd).str.strip()
    msg = ("นักเรียนคนนี้ถูกจำหน่ายด้วยเหตุจบการศึกษา (ชั้น " + _s(rows, "grade").fillna("-")
           + " วันที่ " + dd.replace("", "ไม่ระบุ") + ") ก่อนการนับข้อมูลสิ้นปีการศึกษา: "
           "โรงเรียนยกเลิกการจำหน่ายและนำนักเรียนกลับเข้าระบบ นักเรียนชั้นสูงสุดต้องมีชื่ออยู่จนถึงวันนับข้อมูลสิ้นปี "
           "แล้วจึงจำหน่ายจบการศึกษา")
    return findings(rows, "graduate-discharged", field="reason", value=value, message=msg)


# comparing two rounds' findings moved to checks.compare; importable from here as before
from obec_audit.checks.compare import STATUS_TH, compare_by_school, compare_findings  # noqa: E402,F401
