"""Reflective summaries of a period: the numbers, the gaps, the regulator's checklist, recurring
themes and a draft narrative in the practitioner's words (summaries.py), generated in the
background and kept as versions (ReflectiveSummary).
"""
