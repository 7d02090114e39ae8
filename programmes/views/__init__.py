"""The programmes' pages, a module for each kind of user: home.py (the programmes page, for
leaders and students alike), leaders.py, students.py, reviews.py (a submission, reviewed by its
leaders and answered by its student), notifications.py and packs.py (a student's shared
evidence packs)."""
