"""The maintainers' pages under ``/admin``: server-rendered forms over the catalogue functions."""
