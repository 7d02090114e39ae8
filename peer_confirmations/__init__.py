"""Peer confirmations: the colleague an entry's peer discussion was with confirms it, or replies
with a correction, through an emailed single-use link bound to their address, without an account.
requests.py asks and records answers; shown.py reads them for the entry, the dashboard, a
submission's review page and evidence packs."""
