"""The routing lab: how one message is routed and why, and many messages scored at once (for helpers).

- ``rasa_client.py``: the two calls to Rasa (``/model/parse`` with a JWT, and the REST channel).
- ``trace.py``: one message's whole decision: language, need and runner-ups, crisis layer, urgency, routing
  rule, doors with why each was kept or left out, and the reply text (``models.py`` holds the shapes).
- ``batch.py``: a test set in the shared format scored: right-door rate, urgent recall, false-urgent rate,
  per-need confusion, misrouted messages; ``report.py`` writes it as Markdown, JSON and a PNG.

The lab asks the real assistant (the same model the chat uses) and the real catalogue; nothing is simulated.
"""
