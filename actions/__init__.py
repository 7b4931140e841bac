"""Veiviser's rasa-sdk action server: thin actions over the catalogue, with cached national doors as a fallback.

``rasa run actions --actions actions`` imports every module of this package. None of them does any work at
import time (settings, the need labels and the cache are read on first use), except that this file puts the
request guard (``request_guard.py``: malformed action calls get a 400) in front of rasa-sdk's app when it runs.
"""

from actions.request_guard import install_on_running_server

install_on_running_server()
