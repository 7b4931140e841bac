"""The web: the chat widget a municipality embeds, its sample page, and the maintainers' pages.

- ``chat.py``: ``/`` (a sample municipal page with the widget), ``/widget.js``, ``/widget.css`` and the
  privacy page. These pages set no cookies and talk to nobody but the Rasa REST channel.
- ``maintainer/``: server-rendered pages under ``/admin`` for catalogue maintainers (session cookie,
  CSRF tokens on every form), built on the same catalogue functions as the admin API.
- ``csp.py``: the Content-Security-Policy every page is sent with; ``templating.py``: the Jinja2 setup.
- ``static/`` and ``templates/``: the files themselves; no build step.
"""
