"""The canonical schemas every loader produces and every check consumes.

Column names are English snake_case; Thai lives in the alias tables (``obec_audit.io``),
the labels below and the messages of the checks.

All identifier-like and coded columns are pandas string columns (``pd.StringDtype``);
``birth_date`` is ``datetime64[ns]`` (``NaT`` when unreadable), ``weight``/``height`` are
``float64`` (``NaN`` when empty or unreadable). Every parsed column keeps what was read in a
``<name>_raw`` companion so a finding can quote the value "as read".
"""

from __future__ import annotations

import pandas as pd

# --------------------------------------------------------------------------------------
# Findings: the contract's columns (CONTRACT.md), plus a few extras officers want.
# --------------------------------------------------------------------------------------
FINDING_COLUMNS: list[str] = [
    "check",
    "severity",
    "school_code",
    "source_file",
    "source_sheet",  # the sheet's name when a workbook holds several; '' for CSV
    "source_row",
    "national_id",
    "field",
    "value",
    "group",
    "message",
    # extras (never rename the ones above)
    "dataset",  # students / staff / mobec / bobec / files
    "student_name",  # title + first + last, for the school's own fix list (never on dashboards)
]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
SEVERITY_TH: dict[str, str] = {"error": "ข้อผิดพลาด", "warning": "ควรตรวจสอบ", "info": "แจ้งเพื่อทราบ"}


def empty_findings() -> pd.DataFrame:
    """An empty findings frame with the contract's columns and dtypes."""
    df = pd.DataFrame({c: pd.Series(dtype="string") for c in FINDING_COLUMNS})
    df["source_row"] = pd.Series(dtype="Int64")
    return df


class AbsentColumns(dict):
    """``frame.attrs["absent_columns"]``: source file name → the canonical columns it lacks.

    pandas deep-copies ``attrs`` on nearly every operation; with one entry per downloaded file
    (≈ 100 in an area) that copying cost more than the checks themselves. This mapping is
    treated as read-only once attached (values are tuples), so a deep copy returns it as is.

    >>> import copy
    >>> a = AbsentColumns({"x.xlsx": ["religion"]})
    >>> copy.deepcopy(a) is a, a["x.xlsx"]
    (True, ('religion',))
    """

    def __init__(self, mapping=None):
        super().__init__({str(k): tuple(v or ()) for k, v in dict(mapping or {}).items()})

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return (AbsentColumns, (dict(self),))


# --------------------------------------------------------------------------------------
# Students
# --------------------------------------------------------------------------------------
#: The columns every canonical student frame has, in this order (students.csv order).
STUDENT_COLUMNS: list[str] = [
    "source_file",  # file name without folders
    "source_row",  # the row number a person sees in Excel / a text editor
    "source_sheet",  # sheet name ('' for CSV)
    "layout",  # 'A' (91 columns), 'B' (39 columns) or 'other'
    "school_code",
    "school_name",
    "national_id",  # normalised: 13 digits or G+12 digits, else the cleaned text as read
    "id_type",  # pin / pin-0 / gcode / invalid / missing
    "title",
    "first_name",
    "last_name",
    "sex",  # M / F / <NA>
    "birth_date",  # datetime64[ns], C.E.
    "grade",  # canonical label, see GRADES
    "room",
    "student_no",
    "weight",  # kg, float
    "height",  # cm, float
    "blood_group",
    "religion",
    "race",
    "nationality",
    "disadvantage",  # label as exported ('' / ไม่ด้อยโอกาส when none)
    "disability",
    "boarding",  # การพักนอนประจำ label
    "house_no",
    "moo",
    "street",
    "subdistrict",
    "district",
    "province",
    "guardian_first_name",
    "guardian_last_name",
    "guardian_relation",
    "father_first_name",
    "father_last_name",
    "mother_first_name",
    "mother_last_name",
    "first_name_en",
    "last_name_en",
    # as read, for findings
    "national_id_raw",
    "sex_raw",
    "birth_date_raw",
    "grade_raw",
    "weight_raw",
    "height_raw",
]

#: Columns that are not plain strings.
STUDENT_DTYPES: dict[str, str] = {
    "source_row": "Int64",
    "birth_date": "datetime64[ns]",
    "weight": "float64",
    "height": "float64",
}

#: Required fields of ``field-missing`` (CONTRACT.md). ``national_id`` is ``id-missing``'s.
#: race / religion / nationality only count where the layout has the column (loaders leave
#: the column all-<NA> *and* list it in ``df.attrs['absent_columns']`` when the file lacks it).
REQUIRED_FIELDS: list[str] = [
    "grade",
    "room",
    "sex",
    "title",
    "first_name",
    "last_name",
    "birth_date",
    "weight",
    "height",
    "religion",
    "nationality",
    "race",
]

FIELD_LABEL_TH: dict[str, str] = {
    "school_code": "รหัสโรงเรียน",
    "school_name": "ชื่อโรงเรียน",
    "national_id": "เลขประจำตัวประชาชน",
    "title": "คำนำหน้าชื่อ",
    "first_name": "ชื่อ",
    "last_name": "นามสกุล",
    "sex": "เพศ",
    "birth_date": "วันเกิด",
    "grade": "ชั้น",
    "room": "ห้อง",
    "student_no": "เลขประจำตัวนักเรียน",
    "weight": "น้ำหนัก",
    "height": "ส่วนสูง",
    "blood_group": "หมู่โลหิต",
    "religion": "ศาสนา",
    "race": "เชื้อชาติ",
    "nationality": "สัญชาติ",
    "disadvantage": "ความด้อยโอกาส",
    "disability": "ความพิการ",
    "boarding": "การพักนอนประจำ",
    "position": "ตำแหน่ง",
    "academic_standing": "วิทยฐานะ",
    "item_code": "รหัสครุภัณฑ์",
    "usable": "จำนวนที่ใช้ได้",
    "repair": "จำนวนรอซ่อม",
    "disposal": "จำนวนรอจำหน่าย",
    "year_built": "ปีที่สร้าง",
    "condition": "สภาพ",
    "design_rooms": "จำนวนห้องตามแบบ",
    "actual_rooms": "จำนวนห้องที่มีจริง",
    "photos": "รูปถ่าย",
}

# --------------------------------------------------------------------------------------
# Code lists (DOMAIN.md §5)
# --------------------------------------------------------------------------------------
GRADES: list[str] = (
    ["อ.1", "อ.2", "อ.3"]
    + [f"ป.{i}" for i in range(1, 7)]
    + [f"ม.{i}" for i in range(1, 7)]
    + [f"ปวช.{i}" for i in range(1, 4)]
)
GRADE_ORDER: dict[str, int] = {g: i for i, g in enumerate(GRADES)}
#: level of each grade, for report 1's subtotals
GRADE_LEVEL: dict[str, str] = {
    **{g: "อนุบาล" for g in GRADES[0:3]},
    **{g: "ประถมศึกษา" for g in GRADES[3:9]},
    **{g: "มัธยมศึกษาตอนต้น" for g in GRADES[9:12]},
    **{g: "มัธยมศึกษาตอนปลาย" for g in GRADES[12:15]},
    **{g: "ปวช." for g in GRADES[15:18]},
}
LEVELS: list[str] = ["อนุบาล", "ประถมศึกษา", "มัธยมศึกษาตอนต้น", "มัธยมศึกษาตอนปลาย", "ปวช."]

SEX_TH: dict[str, str] = {"M": "ชาย", "F": "หญิง"}

TITLES_MALE: frozenset[str] = frozenset({"เด็กชาย", "ด.ช.", "นาย", "สามเณร", "ส.ณ."})
TITLES_FEMALE: frozenset[str] = frozenset({"เด็กหญิง", "ด.ญ.", "นางสาว", "น.ส.", "นาง"})
#: canonical spelling of each title
TITLE_CANON: dict[str, str] = {
    "ด.ช.": "เด็กชาย",
    "ดช.": "เด็กชาย",
    "ด.ช": "เด็กชาย",
    "ด.ญ.": "เด็กหญิง",
    "ดญ.": "เด็กหญิง",
    "ด.ญ": "เด็กหญิง",
    "น.ส.": "นางสาว",
    "นส.": "นางสาว",
    "ส.ณ.": "สามเณร",
}

DISADVANTAGE_TYPES: list[str] = [
    "เด็กถูกบังคับให้ขายแรงงาน",
    "เด็กที่อยู่ในธุรกิจทางเพศ",
    "เด็กถูกทอดทิ้ง",
    "เด็กในสถานพินิจและคุ้มครองเด็กและเยาวชน",
    "เด็กเร่ร่อน",
    "ผลกระทบจากเอดส์",
    "ชนกลุ่มน้อย",
    "เด็กที่ถูกทำร้ายทารุณ",
    "เด็กยากจน",
    "เด็กที่มีปัญหาเกี่ยวกับยาเสพติด",
    "อื่น ๆ",
    "กำพร้า",
    "ทำงานรับผิดชอบตนเองและครอบครัว",
]
DISADVANTAGE_NONE: list[str] = ["ไม่ด้อยโอกาส", "ไม่เป็น", "-"]

DISABILITY_TYPES: list[str] = [
    "บกพร่องทางการเห็น",
    "บกพร่องทางการได้ยิน",
    "บกพร่องทางสติปัญญา",
    "บกพร่องทางร่างกาย หรือการเคลื่อนไหว หรือสุขภาพ",
    "บกพร่องทางการเรียนรู้",
    "บกพร่องทางการพูดและภาษา",
    "บกพร่องทางพฤติกรรม หรืออารมณ์",
    "ออทิสติก",
    "พิการซ้อน",
]
DISABILITY_NONE: list[str] = ["ไม่พิการ", "ไม่เป็น", "-"]

BOARDING_VALUES: list[str] = [
    "อาศัยอยู่กับบิดามารดา",
    "อาศัยอยู่กับญาติ",
    "อาศัยอยู่กับครู",
    "อาศัยอยู่กับพระ",
    "องค์กรการกุศล",
    "(โครงการพักนอนประจำ)บ้านพักครู",
    "(โครงการพักนอนประจำ)บ้านพักนักเรียน/หอนอน",
    "(โครงการพักนอนประจำ)พักรวมกับชุมชน/อื่นๆ",
]
#: a student counts as boarding when the value names the boarding project
BOARDING_MARK = "โครงการพักนอนประจำ"

RELIGIONS: list[str] = ["พุทธ", "อิสลาม", "คริสต์", "ซิกส์", "พราหมณ์/ฮินดู", "อื่นๆ"]
BLOOD_GROUPS: list[str] = ["A", "B", "AB", "O", "ไม่ทราบ", "-"]
TRAVEL_MODES: list[str] = ["เดินเท้า", "พาหนะไม่เสียค่าโดยสาร", "พาหนะเสียค่าโดยสาร", "จักรยานยืมเรียน"]

# --------------------------------------------------------------------------------------
# Staff (per-person list), M-OBEC, B-OBEC, discharges, class counts
# --------------------------------------------------------------------------------------
STAFF_COLUMNS: list[str] = [
    "source_file", "source_row", "source_sheet", "school_code", "school_name",
    "national_id", "id_type", "title", "first_name", "last_name", "sex",
    "position", "academic_standing", "level", "birth_date", "subject",
    "national_id_raw", "sex_raw", "birth_date_raw",
]
#: staff frame columns after STAFF_COLUMNS: ``record`` ``person`` (a per-person row) or
#: ``count`` (a row of the EMIS counts page), its counts, and the people a row stands for
STAFF_COUNT_COLUMNS: list[str] = [
    "record", "male", "female", "total", "headcount", "male_raw", "female_raw", "total_raw",
]
STAFF_POSITIONS: list[str] = [
    "ผู้อำนวยการโรงเรียน",
    "รองผู้อำนวยการโรงเรียน",
    "ครู",
    "ครูผู้ช่วย",
    "ลูกจ้างประจำ",
    "พนักงานราชการ",
    "ลูกจ้างชั่วคราว",
]
ACADEMIC_STANDINGS: list[str] = ["-", "ชำนาญการ", "ชำนาญการพิเศษ", "เชี่ยวชาญ", "เชี่ยวชาญพิเศษ"]
STANDING_LEVEL: dict[str, str] = {
    "-": "คศ.1",
    "ชำนาญการ": "คศ.2",
    "ชำนาญการพิเศษ": "คศ.3",
    "เชี่ยวชาญ": "คศ.4",
    "เชี่ยวชาญพิเศษ": "คศ.5",
}
#: positions that count as teachers in a pupil-teacher ratio
TEACHING_POSITIONS: frozenset[str] = frozenset(
    {"ผู้อำนวยการโรงเรียน", "รองผู้อำนวยการโรงเรียน", "ครู", "ครูผู้ช่วย", "พนักงานราชการ"}
)

MOBEC_COLUMNS: list[str] = [
    "source_file", "source_row", "source_sheet", "school_code", "school_name",
    "item_code", "category", "item", "usable", "repair", "disposal",
    "usable_raw", "repair_raw", "disposal_raw", "survey_year",
]
BOBEC_COLUMNS: list[str] = [
    "source_file", "source_row", "source_sheet", "school_code", "school_name",
    "building_no", "category", "design", "design_rooms", "actual_rooms", "special_rooms",
    "year_built", "budget", "budget_source", "condition", "photos",
    "design_rooms_raw", "actual_rooms_raw", "year_built_raw", "photos_raw",
]
BOBEC_CONDITIONS: list[str] = ["ดี", "พอใช้", "ทรุดโทรม"]

#: students discharged (จำหน่าย) between censuses, from DMC's discharge report
DISCHARGE_COLUMNS: list[str] = [
    "source_file", "source_row", "source_sheet", "school_code", "national_id", "id_type",
    "title", "first_name", "last_name", "grade", "reason", "discharge_date",
    "national_id_raw", "discharge_date_raw",
]
DISCHARGE_REASONS: dict[str, str] = {
    "ย้ายออก": "moved",
    "ออกกลางคัน": "dropout",
    "เสียชีวิต": "died",
    "จบการศึกษา": "graduated",
}

#: EMIS class counts per school and grade (what report 1 looks like publicly)
CLASS_COUNT_COLUMNS: list[str] = [
    "source_file", "source_row", "source_sheet", "school_code", "grade",
    "male", "female", "total", "rooms",
]
