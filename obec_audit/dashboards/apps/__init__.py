"""The supervisors' three dashboards; each top-level ``dashboards/*.ipynb`` calls one of the
``*_dashboard()`` functions. They only see the aggregates of ``obec_audit.dashboard_data``."""

from obec_audit.dashboards.apps.base import ALL, DashboardApp, clean_search, show, valid_choice
from obec_audit.dashboards.apps.certification import CertificationApp, certification_dashboard
from obec_audit.dashboards.apps.completeness import CompletenessApp, completeness_dashboard
from obec_audit.dashboards.apps.overview import OverviewApp, overview_dashboard

__all__ = [
    "ALL", "DashboardApp", "clean_search", "show", "valid_choice",
    "CertificationApp", "certification_dashboard", "CompletenessApp", "completeness_dashboard",
    "OverviewApp", "overview_dashboard",
]
