"""Demo data for programmes: the demo leader runs a programme whose cohort includes the demo
practitioner, who shares her current CPD year and has submitted it; the leader has begun to
review it. Runs after portfolio.demo has created the users; safe to run again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from portfolio.cpd_year import cpd_year_containing
from portfolio.models import Activity

from .access import submission_for
from .cohorts import create_programme
from .models import Cohort, Membership, Notification, Programme
from .review import add_comment, current_snapshot
from .submissions import submit

LEADER_EMAIL = "leader@example.org"
PRACTITIONER_EMAIL = "practitioner@example.org"
PROGRAMME_NAME = "Advanced post-qualifying social work (MSc)"
PROGRAMME_DESCRIPTION = (
    "A two-year part-time programme for experienced practitioners: critical reflection, "
    "research-minded practice and professional leadership."
)
COHORT_NAME = "2026 intake"
SUBMISSION_NOTE = "My CPD year so far, with the peer discussions from group supervision."
COMMENT = (
    "A clear account of what changed in your practice. Could you say which of the PCF "
    "domains this evidences most strongly, and why?"
)


def load_programme_demo(today: dt.date) -> None:
    leader = User.objects.filter(email=LEADER_EMAIL).first()
    practitioner = User.objects.filter(email=PRACTITIONER_EMAIL).first()
    if leader is None or practitioner is None:
        return
    year = cpd_year_containing(today)
    started = timezone.now()
    with transaction.atomic():
        programme = Programme.objects.for_user(leader).filter(name=PROGRAMME_NAME).first()
        if programme is None:
            programme = create_programme(
                name=PROGRAMME_NAME, description=PROGRAMME_DESCRIPTION, created_by=leader
            )
        cohort, _ = Cohort.objects.get_or_create(programme=programme, name=COHORT_NAME)
        membership, joined = Membership.objects.get_or_create(
            cohort=cohort, student=practitioner, defaults={"shared_year": year.end.year}
        )
        has_entries = Activity.objects.for_user(practitioner).complete().in_year(year).exists()
        if joined and has_entries:
            submission = submit(membership, year, note=SUBMISSION_NOTE)
            entry = current_snapshot(submission).entries.first()
            add_comment(submission_for(leader, submission.pk), leader, COMMENT, entry=entry)
        # Listed in the app, but nobody is there to email: mark them sent.
        Notification.objects.filter(created_at__gte=started, emailed_at=None).update(
            emailed_at=timezone.now()
        )
