"""The resource library: blogs, policy papers, communities and chats curated by admins
(curation.py, suggestions.py, csv_import.py, the daily link check), searched, filtered and
listed (library.py, filters.py), saved to a reading list, and logged as an entry
(log_this.py); events with sessions in their own time zone (events.py) and a calendar feed
(ics.py).
"""
