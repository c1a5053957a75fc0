"""`mycelium bench`: runs the registered benchmark suites, waits for an idle machine before each process run,
collects the harnesses' RESULT/CURVE lines and writes a markdown table of ratios, JSON and plots.

See docs/benchmarks.md. Standard library only, except the plots (matplotlib, in a venv of their own).
"""
