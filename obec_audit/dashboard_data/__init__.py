"""Privacy-safe aggregates for the supervisors' dashboards (DOMAIN.md §1).

Supervisors see **per-school aggregates only**: no names, no IDs, no student rows. This is
enforced by construction and checked at the exit:

- round files are read with an allow-list of columns (``rounds``): ``national_id``, names,
  ``value``, ``message`` and ``student_name`` are never even loaded;
- every public function that returns a frame passes it through ``assert_aggregate_safe``
  (``guard``: no identifying column, no 13-digit number, no G-code), so a future change that
  leaks a field fails loudly instead of showing it.

Modules: ``rounds`` (where the rounds are, reading one), ``aggregates`` (per-school figures),
``certification`` (status from the ledger, deadlines from the calendar), ``labels`` (Thai
labels and bands; check titles from the registry), ``guard`` (the privacy guard). Running the
demo area's rounds is ``obec_audit.demo.rounds``' job, not this package's.
"""

from obec_audit.dashboard_data.aggregates import (
    certification,
    errors_by_check,
    field_completeness,
    grade_sex,
    grade_sex_compare,
    headline,
    id_quality_trend,
    school_table,
)
from obec_audit.dashboard_data.certification import (
    LEDGER_ENV,
    certification_status,
    ledger_folder,
    phase_deadline,
)
from obec_audit.dashboard_data.guard import (
    FORBIDDEN_COLUMNS,
    ID_PATTERN,
    PrivacyError,
    assert_aggregate_safe,
)
from obec_audit.dashboard_data.labels import (
    BAND_TH,
    CHASE_STATUSES,
    CHECK_TH,
    ID_TREND_CHECKS,
    ID_TREND_TH,
    NO_DATA_TH,
    PHASE_TH,
    SIZE_BANDS,
    STATUS_TH,
    check_label,
    completeness_band,
    field_label,
    size_band,
    thai_date,
)
from obec_audit.dashboard_data.rounds import (
    ROUNDS_ENV,
    TODAY_ENV,
    RootChoice,
    RoundData,
    RoundInfo,
    is_round_dir,
    list_rounds,
    load_round,
    round_stamp,
    rounds_root,
    today,
)

__all__ = [
    "ROUNDS_ENV", "LEDGER_ENV", "TODAY_ENV", "RoundInfo", "RoundData", "RootChoice",
    "rounds_root", "list_rounds", "is_round_dir", "round_stamp", "ledger_folder",
    "certification_status", "phase_deadline", "CHASE_STATUSES", "load_round", "today",
    "headline", "school_table", "field_completeness", "errors_by_check", "certification",
    "grade_sex", "grade_sex_compare", "id_quality_trend", "assert_aggregate_safe",
    "PrivacyError", "FORBIDDEN_COLUMNS", "ID_PATTERN", "thai_date", "size_band",
    "completeness_band", "check_label", "field_label", "CHECK_TH", "STATUS_TH", "PHASE_TH",
    "SIZE_BANDS", "NO_DATA_TH", "BAND_TH", "ID_TREND_CHECKS", "ID_TREND_TH",
]
