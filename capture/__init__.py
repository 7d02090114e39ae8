"""Quick capture: logging a link in seconds.

The offline capture page and its sync (views.py, quick_capture.py), the bookmarklet and the
share target that open the entry form filled in from a link, and the installable web app: its
manifest and service worker (web_app.py).
"""
