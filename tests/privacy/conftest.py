"""Privacy and channel-security tests against the shared ``stack`` fixture (tests/rest_stack.py)."""
