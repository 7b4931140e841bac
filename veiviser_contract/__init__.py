"""The codes every Veiviser process shares: the catalogue (``.venv``), Rasa and the action server (``.venv-rasa``).

The two environments cannot import each other (Rasa 3.6 pins SQLAlchemy 1.4 and pydantic 1, the catalogue
SQLAlchemy 2 and pydantic 2) and talk over HTTP only; what both sides must agree on lives here, in the
standard library and one small pure-Python dependency (``phonenumbers``), and is installed into both environments.

- ``needs.py``: the urgent needs (the crisis path) and the general need (nothing more specific is known).
- ``doors.py``: the doors payload every reply with doors carries.
- ``redaction.py``: removing personal data from a message before it is stored.
- ``crisis_lexicon.py``, ``foreign_lexicon.py``: the crisis words of data/rasa/crisis_lexicon.yml and
  crisis_lexicon_other.yml; the chat's crisis gate decides with them, the catalogue refuses shared messages
  they fire on. Each side reads the YAML files with its own PyYAML.

``data/taxonomy.yml`` stays the human source of the codes; tests/contract holds this package to it.
"""
