"""Accounts: the user (signing in by email; a practitioner, a programme leader or an admin, where
admin is what grants staff access) and the profile a practitioner's evidence shows.
"""
