"""What several apps share and none owns; it imports no other app of ours.

The owner-scoped querysets and background work recorded as rows (models.py, background.py,
tasks.py: the periodic re-queue of lost work), CPD years and periods, durations, Markdown made
safe (rendering.py), private file downloads, upload limits, the HTTP client that never reaches a
private address (safe_http.py), the viewer's time zone, and the display filters every template
loads (templatetags/formatting.py).
"""
