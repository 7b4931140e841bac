"""Conversation tests use the shared ``stack`` fixture (tests/rest_stack.py, imported by tests/conftest.py)."""
