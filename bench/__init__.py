"""pytest-talon's benchmarks: every figure of issue #14 against a baseline measured in the same run.

``python -m bench [--quick]`` runs every script and prints one table; each script also runs alone
(``python -m bench.bench_fake --quick``). See ``bench/BASELINE.md`` for the figures of the current code.
"""
