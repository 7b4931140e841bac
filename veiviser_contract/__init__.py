"""The codes every Veiviser process shares: the catalogue (``.venv``), Rasa and the action server (``.venv-rasa``).

The two environments cannot import each other (Rasa 3.6 pins SQLAlchemy 1.4 and pydantic 1, the catalogue
SQLAlchemy 2 and pydantic 2) and talk over HTTP only; what both sides must agree on lives here, in the
standard library only, and is installed into both environments.

- ``needs.py``: the urgent needs (the crisis path) and the general need (nothing more specific is known).
- ``redaction.py``: removing personal data from a message before it is stored.

``data/taxonomy.yml`` stays the human source of the codes; tests/contract holds this package to it.
"""
