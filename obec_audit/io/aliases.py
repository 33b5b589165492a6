"""Alias tables: the Thai headers seen in the files → the canonical snake_case columns.

Headers are compared after ``obec_audit.text.normalize_header`` (NFKC, every whitespace and
zero-width character removed), so ``ชื่อ (อังกฤษ)`` and ``ชื่อ(อังกฤษ)`` are one alias. Only
spellings are listed here; matching is done by ``obec_audit.io.readers``.

``LAYOUT_A_HEADERS`` (91) and ``LAYOUT_B_HEADERS`` (39) are the two known DMC export layouts
(DOMAIN.md §3.1), in file order. The demo generator writes files with them.

This module is pure data (no imports) so anything may import it cheaply.
"""

# --------------------------------------------------------------------------------------
# Layout A: "studentInSchoolList.xlsx", 91 columns
# --------------------------------------------------------------------------------------
_PERSON_BLOCK = [
    "หมายเลขบัตรประชาชน{p}",
    "คำนำหน้าชื่อ{p}",
    "ชื่อ{p}",
    "นามสกุล{p}",
    "รายได้ต่อเดือนของ{p}",
    "หมายเลขโทรศัพท์ของ{p}",
]
_ADDRESS_BLOCK = [
    "รหัสประจำบ้าน ({a})",
    "เลขที่บ้าน ({a})",
    "หมู่ ({a})",
    "ถนน ({a})",
    "ตำบล ({a})",
    "อำเภอ ({a})",
    "จังหวัด ({a})",
    "รหัสไปรษณีย์ ({a})",
    "หมายเลขโทรศัพท์ ({a})",
]

#: the 91 headers of layout A, in file order (the first 76 in DMC's order; the last 15 in an
#: order of our choosing, the repeated sibling headers included: pandas would call them
#: ``จำนวนพี่ชาย.1`` …, the first set wins)
LAYOUT_A_HEADERS: list[str] = (
    [
        "รหัสโรงเรียน",
        "ชื่อโรงเรียน",
        "เลขประจำตัวประชาชน",
        "ชั้น",
        "ห้อง",
        "รหัสนักเรียน",
        "เพศ",
        "คำนำหน้าชื่อ",
        "ชื่อ",
        "นามสกุล",
        "ชื่อ (อังกฤษ)",
        "นามสกุล (อังกฤษ)",
        "วันเกิด",
        "อายุ(ปี)",
        "อายุ(เดือน)",
        "หมู่โลหิต",
        "เชื้อชาติ",
        "สัญชาติ",
        "ศาสนา",
        "จำนวนพี่ชาย",
        "จำนวนน้องชาย",
        "จำนวนพี่สาว",
        "จำนวนน้องสาว",
        "เป็นบุตรคนที่",
        "สถานภาพสมรสของบิดามารดา",
    ]
    + [h.format(p="บิดา") for h in _PERSON_BLOCK]
    + [h.format(p="มารดา") for h in _PERSON_BLOCK]
    + ["ความเกี่ยวข้องของผู้ปกครองกับนักเรียน"]
    + [h.format(p="ผู้ปกครอง") for h in _PERSON_BLOCK]
    + [h.format(a="ทะเบียนบ้าน") for h in _ADDRESS_BLOCK]
    + [h.format(a="ที่อยู่ปัจจุบัน") for h in _ADDRESS_BLOCK]
    + [
        "น้ำหนัก",
        "ส่วนสูง",
        "ความด้อยโอกาส",
        "การพักนอนประจำ",
        "ขาดแคลนเครื่องแบบ",
        "ขาดแคลนเครื่องเขียน",
        "ขาดแคลนแบบเรียน",
        "ขาดแคลนอาหารกลางวัน",
        "ความพิการ",
        "ระยะทางจากบ้านถึงโรงเรียน (ถนนลูกรัง)",
        "ระยะทางจากบ้านถึงโรงเรียน (ถนนลาดยาง)",
        "ระยะทางจากบ้านถึงโรงเรียน (ทางน้ำ)",
        "ระยะเวลาจากบ้านถึงโรงเรียน",
        "ลักษณะการเดินทางมาโรงเรียน",
    ]
    # the last 15 (DMC's order unknown)
    + [
        "อาชีพบิดา",
        "อาชีพมารดา",
        "อาชีพผู้ปกครอง",
        "ประเภทนักเรียน",
        "GPAX",
        "GPA",
        "จังหวัดที่เกิด",
        "เป็นบุตร/ธิดาลำดับที่",
        "จำนวนพี่น้องที่ศึกษาอยู่",
        "จำนวนพี่ชาย",
        "จำนวนน้องชาย",
        "จำนวนพี่สาว",
        "จำนวนน้องสาว",
        "รหัสโรงเรียนห้องสาขา",
        "ชื่อโรงเรียนห้องสาขา",
    ]
)

# --------------------------------------------------------------------------------------
# Layout B: the daily download "ดาวน์โหลดรายชื่อนักเรียน", 39 columns (B.E. 2568)
# --------------------------------------------------------------------------------------
LAYOUT_B_HEADERS: list[str] = [
    "รหัสโรงเรียน",
    "ชื่อโรงเรียน",
    "เลขประจำตัวประชาชน",
    "ชั้น",
    "ห้อง",
    "เลขประจำตัวนักเรียน",
    "เพศ",
    "คำนำหน้าชื่อ",
    "ชื่อ",
    "นามสกุล",
    "วันเกิด",
    "อายุ(ปี)",
    "น้ำหนัก",
    "ส่วนสูง",
    "กลุ่มเลือด",
    "ศาสนา",
    "เชื้อชาติ",
    "สัญชาติ",
    "บ้านเลขที่",
    "หมู่",
    "ถนน/ซอย",
    "ตำบล",
    "อำเภอ",
    "จังหวัด",
    "ชื่อผู้ปกครอง",
    "นามสกุลผู้ปกครอง",
    "อาชีพของผู้ปกครอง",
    "ความเกี่ยวข้องของผู้ปกครองกับนักเรียน",
    "ชื่อบิดา",
    "นามสกุลบิดา",
    "อาชีพของบิดา",
    "ชื่อมารดา",
    "นามสกุลมารดา",
    "อาชีพของมารดา",
    "ความด้อยโอกาส",
    "ยังไม่สามารถจำหน่ายได้ (3.1.8)",
    "เป็นลูกเสือ/เนตรนารี",
    "เป็นยุวกาชาด",
    "ทักษะการว่ายน้ำ",
]

# --------------------------------------------------------------------------------------
# Alias tables: canonical column → header spellings (normalised before comparison)
# --------------------------------------------------------------------------------------
_SCHOOL = {
    "school_code": ["รหัสโรงเรียน", "รหัสโรงเรียน(SMIS)", "รหัสSMIS", "SMIS", "รหัสสถานศึกษา",
                    "รหัส SMIS 8 หลัก", "smis8", "school_code"],
    "school_name": ["ชื่อโรงเรียน", "โรงเรียน", "ชื่อสถานศึกษา", "school_name"],
}
_PERSON = {
    "national_id": ["เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขประจำตัวประชาชน13หลัก",
                    "หมายเลขบัตรประชาชน", "เลขบัตรประจำตัวประชาชน", "รหัสประจำตัวประชาชน",
                    "เลขประจำตัว13หลัก", "เลขที่บัตรประชาชน", "national_id", "citizen_id", "ID"],
    "title": ["คำนำหน้าชื่อ", "คำนำหน้า", "คำนำหน้านาม", "title", "prefix"],
    "first_name": ["ชื่อ", "ชื่อจริง", "first_name", "name"],
    "last_name": ["นามสกุล", "สกุล", "last_name", "surname"],
    "sex": ["เพศ", "sex", "gender"],
    "birth_date": ["วันเกิด", "วันเดือนปีเกิด", "วัน/เดือน/ปีเกิด", "วันที่เกิด", "ว/ด/ปเกิด",
                   "ว/ด/ปีเกิด", "birth_date", "birthdate", "dob"],
}

#: students (schema.STUDENT_COLUMNS)
STUDENT_ALIASES: dict[str, list[str]] = {
    **_SCHOOL,
    **_PERSON,
    "grade": ["ชั้น", "ระดับชั้น", "ชั้นเรียน", "ชั้นปี", "grade", "class"],
    "room": ["ห้อง", "ห้องเรียน", "ห้องที่", "room"],
    "student_no": ["เลขประจำตัวนักเรียน", "รหัสนักเรียน", "เลขประจำตัว", "student_no", "student_id"],
    "weight": ["น้ำหนัก", "น้ำหนัก (kg)", "น้ำหนัก(กก.)", "น้ำหนัก (กิโลกรัม)", "weight"],
    "height": ["ส่วนสูง", "ส่วนสูง (cm)", "ส่วนสูง(ซม.)", "ส่วนสูง (เซนติเมตร)", "height"],
    "blood_group": ["หมู่โลหิต", "กลุ่มเลือด", "หมู่เลือด", "blood_group"],
    "religion": ["ศาสนา", "religion"],
    "race": ["เชื้อชาติ", "race"],
    "nationality": ["สัญชาติ", "nationality"],
    "disadvantage": ["ความด้อยโอกาส", "ด้อยโอกาส", "ประเภทความด้อยโอกาส", "disadvantage"],
    "disability": ["ความพิการ", "ประเภทความพิการ", "พิการ", "disability"],
    "boarding": ["การพักนอนประจำ", "การพักนอน", "พักนอน", "boarding"],
    "house_no": ["เลขที่บ้าน (ทะเบียนบ้าน)", "บ้านเลขที่", "เลขที่บ้าน", "house_no"],
    "moo": ["หมู่ (ทะเบียนบ้าน)", "หมู่", "หมู่ที่", "moo"],
    "street": ["ถนน (ทะเบียนบ้าน)", "ถนน/ซอย", "ถนน", "street"],
    "subdistrict": ["ตำบล (ทะเบียนบ้าน)", "ตำบล", "ตำบล/แขวง", "subdistrict"],
    "district": ["อำเภอ (ทะเบียนบ้าน)", "อำเภอ", "อำเภอ/เขต", "district"],
    "province": ["จังหวัด (ทะเบียนบ้าน)", "จังหวัด", "province"],
    "guardian_first_name": ["ชื่อผู้ปกครอง", "guardian_first_name"],
    "guardian_last_name": ["นามสกุลผู้ปกครอง", "guardian_last_name"],
    "guardian_relation": ["ความเกี่ยวข้องของผู้ปกครองกับนักเรียน", "ความเกี่ยวข้องกับนักเรียน",
                          "ความสัมพันธ์กับนักเรียน", "guardian_relation"],
    "father_first_name": ["ชื่อบิดา", "father_first_name"],
    "father_last_name": ["นามสกุลบิดา", "father_last_name"],
    "mother_first_name": ["ชื่อมารดา", "mother_first_name"],
    "mother_last_name": ["นามสกุลมารดา", "mother_last_name"],
    "first_name_en": ["ชื่อ (อังกฤษ)", "ชื่อภาษาอังกฤษ", "first_name_en"],
    "last_name_en": ["นามสกุล (อังกฤษ)", "นามสกุลภาษาอังกฤษ", "last_name_en"],
}

#: per-person staff list (schema.STAFF_COLUMNS)
STAFF_ALIASES: dict[str, list[str]] = {
    **_SCHOOL,
    **_PERSON,
    "position": ["ตำแหน่ง", "ตำแหน่งปัจจุบัน", "position"],
    "academic_standing": ["วิทยฐานะ", "academic_standing"],
    "level": ["ระดับ", "อันดับ", "ระดับ/อันดับ", "level"],
    "subject": ["วิชาเอก", "กลุ่มสาระ", "วิชาที่สอน", "subject"],
}

#: M-OBEC equipment (schema.MOBEC_COLUMNS)
MOBEC_ALIASES: dict[str, list[str]] = {
    **_SCHOOL,
    "item_code": ["รหัส", "รหัสครุภัณฑ์", "รหัสรายการ", "item_code", "code"],
    "category": ["รายการ", "หมวด", "ประเภท", "category"],
    "item": ["รายการ(cm.)", "ชื่อครุภัณฑ์", "รายการครุภัณฑ์", "item"],
    "usable": ["จำนวนที่ใช้ได้", "ใช้ได้", "usable"],
    "repair": ["จำนวนรอซ่อม", "รอซ่อม", "ชำรุดรอซ่อม", "repair"],
    "disposal": ["จำนวนรอจำหน่าย", "รอจำหน่าย", "disposal"],
    "survey_year": ["ปีที่สำรวจ", "ปีงบประมาณ", "ปีการศึกษา", "survey_year"],
}

#: B-OBEC buildings (schema.BOBEC_COLUMNS)
BOBEC_ALIASES: dict[str, list[str]] = {
    **_SCHOOL,
    "building_no": ["ลำดับ", "ลำดับที่", "ที่", "building_no"],
    "category": ["ประเภท", "ประเภทอาคาร", "ประเภทสิ่งก่อสร้าง", "category"],
    "design": ["แบบ", "แบบอาคาร", "แบบก่อสร้าง", "design"],
    "design_rooms": ["จำนวนห้องตามแบบ", "ห้องตามแบบ", "design_rooms"],
    "actual_rooms": ["จำนวนห้องที่มีจริง", "ห้องที่มีจริง", "จำนวนห้องจริง", "actual_rooms"],
    "special_rooms": ["ห้องพิเศษ", "จำนวนห้องพิเศษ", "special_rooms"],
    "year_built": ["ปีที่สร้าง", "ปีที่ก่อสร้าง", "ปีสร้าง", "พ.ศ.ที่สร้าง", "year_built"],
    "budget": ["งบประมาณ", "งบประมาณ (บาท)", "งบประมาณที่ได้รับ", "budget"],
    "budget_source": ["แหล่งงบประมาณ", "ประเภทงบประมาณ", "budget_source"],
    "condition": ["สภาพ", "สภาพอาคาร", "สภาพปัจจุบัน", "condition"],
    "photos": ["รูปถ่าย", "รูปภาพ", "จำนวนรูปถ่าย", "ภาพถ่าย", "photos"],
}

#: discharges (schema.DISCHARGE_COLUMNS)
DISCHARGE_ALIASES: dict[str, list[str]] = {
    "school_code": _SCHOOL["school_code"],
    **{k: v for k, v in _PERSON.items() if k in ("national_id", "title", "first_name", "last_name")},
    "grade": STUDENT_ALIASES["grade"],
    "reason": ["สาเหตุการจำหน่าย", "สาเหตุ", "เหตุผลการจำหน่าย", "สาเหตุที่จำหน่าย",
               "ประเภทการจำหน่าย", "reason"],
    "discharge_date": ["วันที่จำหน่าย", "วันจำหน่าย", "วันที่ออก", "discharge_date"],
}

#: EMIS class counts (schema.CLASS_COUNT_COLUMNS)
CLASS_COUNT_ALIASES: dict[str, list[str]] = {
    "school_code": _SCHOOL["school_code"],
    "grade": ["ชั้น/เพศ", "ชั้น", "ระดับชั้น", "grade"],
    "male": ["ชาย", "male"],
    "female": ["หญิง", "female"],
    "total": ["รวม", "total"],
    "rooms": ["ห้องเรียน", "จำนวนห้องเรียน", "ห้อง", "rooms"],
}
