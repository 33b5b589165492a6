"""Hypothesis profiles for the property tests.

The suite (and CI) runs the ``default`` profile: a fixed number of examples drawn the same way
every run, so a red run is reproducible and a landing never hangs on a new random draw.
Explore with ``HYPOTHESIS_PROFILE=explore python -m pytest tests/io/test_damage_property.py``:
thousands of random examples; add any failure it finds as an ``@example`` to the test.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", max_examples=3000, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
