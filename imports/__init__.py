"""Imports: CPD recorded elsewhere, brought into the log after review.

The parsers in importers/ turn a file (an X or Mastodon archive, a blog feed, a CSV, Leap2A)
into proposed entries; staging.py stages them in the background (ImportBatch, StagedEntry) and
confirms the ticked ones into the log.
"""
