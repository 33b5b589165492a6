"""The public API named in ``__all__`` of the package and of each package ``__init__``."""

import importlib

import pytest

import obec_audit

PACKAGES = ["obec_audit", "obec_audit.checks", "obec_audit.ledger", "obec_audit.dashboard_data",
            "obec_audit.io", "obec_audit.ids", "obec_audit.demo"]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_resolves(package):
    mod = importlib.import_module(package)
    assert mod.__all__ and len(mod.__all__) == len(set(mod.__all__))
    missing = [n for n in mod.__all__ if not hasattr(mod, n)]
    assert not missing


def test_top_level_names_come_from_their_homes():
    from obec_audit.checks.registry import select
    from obec_audit.ledger.certification import CertificationLedger
    from obec_audit.privacy import mask_text

    assert obec_audit.select is select
    assert obec_audit.CertificationLedger is CertificationLedger
    assert obec_audit.mask_text is mask_text
    with pytest.raises(AttributeError):
        obec_audit.no_such_name  # noqa: B018


def test_old_import_paths_still_work():
    from obec_audit.dashboard_data import CHECK_TH, rounds_root  # noqa: F401
    from obec_audit.ledger import CertificationLedger, DuplicateDecisions, mask_text  # noqa: F401
