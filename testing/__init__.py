"""Test infrastructure: local processes and the local PostgreSQL and Redis. The tests own it; benchmarks use it too."""
