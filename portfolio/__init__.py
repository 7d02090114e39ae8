"""The CPD log itself: frameworks and their capabilities, tags, entries and their evidence files,
the confidentiality check, the regulator's checklist and the dashboard. Every read of a
practitioner's entries goes through ``Activity.objects.for_user(user)``.
"""
