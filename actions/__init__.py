"""Veiviser's rasa-sdk action server: thin actions over the catalogue, with cached national doors as a fallback.

``rasa run actions --actions actions`` imports every module of this package; none of them does any work
at import time (settings, the need labels and the cache are read on first use).
"""
