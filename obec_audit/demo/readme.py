"""The README.txt written into the demo area (Thai + English)."""

README = """เขตพื้นที่ตัวอย่าง (ข้อมูลสังเคราะห์) — สพป.เชียงราย เขต 1 ปีการศึกษา {year}
==================================================================
ข้อมูลนักเรียนทั้งหมดในโฟลเดอร์นี้เป็นข้อมูลสมมติ สร้างด้วยโปรแกรม (seed {seed}) บนรายชื่อโรงเรียนจริง 104 แห่ง
ชื่อบุคคลสุ่มจากคลังชื่อของ PyThaiNLP ไม่ใช่บุคคลจริง ใช้สำหรับการอบรมและการทดสอบเท่านั้น

students/<วันที่ ค.ศ.>/   แฟ้มรายชื่อนักเรียนจาก DMC (.xlsx .xls .csv รูปแบบ A 91 คอลัมน์ และ B 39 คอลัมน์)
    2026-06-10 รอบที่ 1 (ข้อมูล ณ 10 มิ.ย.)   2026-07-05 รอบที่ 2 (ข้อมูล ณ 10 มิ.ย. หลังโรงเรียนแก้ไข)
    2026-11-10 ภาคเรียนที่ 2                   2027-03-31 สิ้นปีการศึกษา
discharges/<วันที่>/      การจำหน่ายนักเรียนตั้งแต่รอบก่อน (ย้ายออก ออกกลางคัน เสียชีวิต จบการศึกษา)
class_counts/<วันที่>/    จำนวนนักเรียนรายชั้นและห้องเรียนจาก EMIS
staff/<วันที่>/           รายชื่อบุคลากรรายโรงเรียน
mobec/<ปี พ.ศ.>/          ครุภัณฑ์ (ปีนี้และปีก่อน)        bobec/<ปี พ.ศ.>/  สิ่งก่อสร้าง
boarding_schools.csv      โรงเรียนในโครงการพักนอนประจำ
ground_truth/             เฉลย: ข้อผิดพลาดที่ใส่ไว้ (errors.csv) ค่าที่ถูกต้องของทุกแถว (students_truth.csv)
                          และกับดักที่ไม่ใช่ข้อผิดพลาด (traps.csv เช่น ฝาแฝด เลขประจำตัวประเภท 0)

Demo area (synthetic data) — Chiang Rai Primary Educational Service Area 1, academic year {year} B.E.
Every student here is synthetic (generator seed {seed}); the 104 schools are the real registry.
Folder names of censuses are C.E. ISO dates; the census date (as-of) of round 2 (2026-07-05) is
still 10 June. ground_truth/censuses.csv lists each folder's phase, as-of date and previous census.

ground_truth/students_truth.csv  one row per data row of every student file: census (folder),
    source_file, source_row (the row number Excel shows; title rows and header counted),
    the canonical values a loader must produce (national_id normalised, birth_date ISO C.E.).
ground_truth/errors.csv  one row per finding the checks must report: dataset, phase, round (the
    census whose round reports it), previous (reconciliation findings: the previous census they
    were computed against — semester 2 is given against both 2026-07-05 and 2026-06-10),
    census + source_file + source_row (where the row lives: for left-unexplained the previous
    census's file), school_code, check, field, group (shared by the members of a duplicate set).
    School-level findings (file-unreadable, count-drop, top-grade-empty, staff-no-director,
    staff-incomplete, mobec-incomplete, bobec-incomplete (one per file and missing column),
    staff-ratio, mobec-missing-item, bobec-classrooms) have no source_row.
    Conventions: ID codes follow the canonical ID (a G-coded row always has id-gcode);
    same-ID duplicates count valid IDs only; a row with an invalid birth date is not also
    an age-grade finding.
ground_truth/traps.csv  rows that must NOT be reported: twin, common-name, pin-0, type-6,
    type-7, repairable ID damage (id-numeric-cell, id-float, id-dashes, id-thai-digits,
    id-excel-guard), be-date-cell (a real Excel date whose year is B.E.).
ground_truth/files.csv  every student file: layout, format, encoding, ID and date styles.
"""
