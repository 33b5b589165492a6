"""Root pytest configuration: doctests of the package, notebooks under nbval."""

collect_ignore = ["obec_audit/__main__.py", "benchmarks", "data", "artifacts"]
