"""The ground floor: the contract's columns, code lists and labels hold together."""

import pandas as pd

from obec_audit import schema
from obec_audit.checks import registry

# CONTRACT.md: findings.csv and students.csv columns, at least these, in this order
CONTRACT_FINDINGS = ["check", "severity", "school_code", "source_file", "source_sheet",
                     "source_row", "national_id", "field", "value", "group", "message"]
CONTRACT_STUDENTS = ["source_file", "source_sheet", "source_row", "school_code", "national_id",
                     "id_type", "title", "first_name", "last_name", "sex", "birth_date", "grade",
                     "room"]
CONTRACT_REQUIRED = ["grade", "room", "sex", "title", "first_name", "last_name", "birth_date",
                     "weight", "height", "religion", "nationality", "race"]


def test_finding_columns_keep_the_contracts_order():
    cols = [c for c in schema.FINDING_COLUMNS if c in CONTRACT_FINDINGS]
    assert cols == [c for c in CONTRACT_FINDINGS if c in schema.FINDING_COLUMNS]
    assert set(CONTRACT_FINDINGS) <= set(schema.FINDING_COLUMNS)


def test_finding_columns_have_every_contract_column():
    assert set(CONTRACT_FINDINGS) <= set(schema.FINDING_COLUMNS)


def test_empty_findings_dtypes():
    f = schema.empty_findings()
    assert list(f.columns) == schema.FINDING_COLUMNS and len(f) == 0
    assert f["source_row"].dtype == "Int64"
    assert all(isinstance(f[c].dtype, pd.StringDtype) for c in f.columns if c != "source_row")


def test_student_columns_cover_the_contract():
    assert set(CONTRACT_STUDENTS) <= set(schema.STUDENT_COLUMNS)
    assert set(schema.STUDENT_DTYPES) <= set(schema.STUDENT_COLUMNS)
    assert len(schema.STUDENT_COLUMNS) == len(set(schema.STUDENT_COLUMNS))


def test_required_fields_are_the_contracts_and_have_thai_labels():
    assert schema.REQUIRED_FIELDS == CONTRACT_REQUIRED
    assert all(schema.FIELD_LABEL_TH.get(f) for f in schema.REQUIRED_FIELDS + ["national_id"])


def test_grades_in_order_with_a_level_each():
    assert schema.GRADES[:3] == ["อ.1", "อ.2", "อ.3"] and schema.GRADES[-1] == "ปวช.3"
    assert len(schema.GRADES) == 18 == len(set(schema.GRADES))
    assert [schema.GRADE_ORDER[g] for g in schema.GRADES] == list(range(18))
    assert set(schema.GRADE_LEVEL) == set(schema.GRADES)
    assert set(schema.GRADE_LEVEL.values()) == set(schema.LEVELS)


def test_titles_canonical_spelling_keeps_the_sex():
    assert not schema.TITLES_MALE & schema.TITLES_FEMALE
    for short, canon in schema.TITLE_CANON.items():
        if short in schema.TITLES_MALE:
            assert canon in schema.TITLES_MALE, short
        if short in schema.TITLES_FEMALE:
            assert canon in schema.TITLES_FEMALE, short


def test_every_check_severity_is_a_schema_severity():
    registry.load_all()
    info = registry.check_info()
    assert set(info["severity"]) <= set(schema.SEVERITIES)
    assert set(schema.SEVERITY_ORDER) == set(schema.SEVERITIES) == set(schema.SEVERITY_TH)
    assert info["code"].is_unique


def test_absent_columns_survive_pandas_copies():
    df = pd.DataFrame({"a": [1]})
    df.attrs["absent_columns"] = schema.AbsentColumns({"x.xlsx": ["race"]})
    assert df.copy().attrs["absent_columns"] is df.attrs["absent_columns"]
    assert df.attrs["absent_columns"]["x.xlsx"] == ("race",)
