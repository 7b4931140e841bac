"""Benchmarks. Each module writes its results to bench/results/; bench/README.md summarises them."""
