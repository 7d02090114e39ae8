"""Evidence packs: a period's entries as a ZIP of PDFs, CSV, JSON, Leap2A and evidence files
with a SHA-256 manifest (building.py, pdf.py, leap2a.py), built in the background, the renewal
sheet, and the public page that verifies a pack (verification.py).
"""
