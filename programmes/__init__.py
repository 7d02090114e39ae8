"""Programmes: programme leaders, their cohorts and invitations; a student's consented sharing;
submissions frozen as snapshots, reviewed, commented on and signed off; notifications and
deadline reminders. access.py is the only way a leader reads a student's data: anything not
shared right now answers 404.
"""
