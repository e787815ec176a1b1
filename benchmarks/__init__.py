"""Benchmarks for paper-tracker: ``python -m benchmarks.run --papers 1000,10000,100000``.

See ``benchmarks/README.md`` for what each number means and how it is measured.
"""
