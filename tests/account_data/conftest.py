"""A practitioner with something of every kind an account export holds, and helpers to build
an export in this process, as a worker would, and to read it."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from account_data.export import build_account_export, request_account_export
from account_data.models import AccountExport
from accounts.models import User
from api.tokens import create_token
from core.cpd_year import cpd_year_containing
from peer_confirmations.models import PeerConfirmation
from peer_confirmations.requests import token_hash
from portfolio.entries import save_entry
from portfolio.frameworks import load_framework_data, sync_frameworks
from portfolio.models import ActivityType, Capability, Entry, Framework, Platform, Status, Tag
from programmes.access import submission_for
from programmes.consent import record_joining
from programmes.models import Notification, NotificationKind, Submission
from programmes.review import add_comment, current_snapshot, reply, sign_off
from programmes.submissions import submit
from resources.models import ReadingListEntry, Suggestion
from summaries.models import ReflectiveSummary
from tests.factories import make_entry
from tests.programmes.conftest import join, make_cohort
from tests.resources.factories import make_resource

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


@dataclass
class RichAccount:
    owner: User
    submission: Submission
    token_secret: str


def make_summary(owner: User, version: int, **fields) -> ReflectiveSummary:
    values = {
        "period_start": dt.date(2025, 12, 1),
        "period_end": dt.date(2026, 11, 30),
        "state": "done",
        "input_hash": f"{version:064x}",
        "facts": {"entry_count": version + 2, "minutes": 90 * version, "frameworks": ["PCF"]},
        "draft_text": f"# Summary of practice, version {version}",
        "text": f"# Summary of practice, version {version}, as I edited it",
        "finished_at": timezone.now(),
        "edited_at": timezone.now() if version > 1 else None,
    }
    values.update(fields)
    return ReflectiveSummary.objects.create(owner=owner, version=version, **values)


@pytest.fixture
def rich_account(practitioner, programme_leader) -> RichAccount:
    """Complete entries and drafts, with files, tags and capabilities, one from the library;
    a tag on no entry; three versions of a summary; a submission with a comment, a reply and a
    sign-off; notifications read and unread; a saved resource, a suggestion and an API token."""
    # A transactional test before this one may have flushed the seeded frameworks.
    sync_frameworks(Framework, Capability, load_framework_data())
    pcf5, pcf6, swe4 = (Capability.objects.get(code=c) for c in ("PCF5", "PCF6", "SWE4"))
    owner = practitioner
    User.objects.filter(pk=owner.pk).update(
        registration_number="SW123456",
        pseudonym="@alexmsw",
        specialism="Adult mental health, AMHP",
        employer="Northtown Council",
        time_zone="America/New_York",
        cpd_reminders=False,
        last_login=timezone.now(),
    )
    owner.refresh_from_db()
    today = timezone.localdate()
    this_year = cpd_year_containing(today)
    Tag.objects.create(owner=owner, name="Unused tag")
    library_post = make_resource(title="Recording with care", url="https://example.org/records")

    save_entry(
        Entry(
            title="#SWSCmedia chat on strengths-based supervision",
            activity_type=ActivityType.LIVE_CHAT,
            platform=Platform.X,
            occurred_on=this_year.start,
            duration_minutes=60,
            status=Status.COMPLETE,
            hashtag="SWSCmedia",
            url="https://x.com/swscmedia/status/1",
            what_happened="Joined the chat about strengths-based supervision.",
            what_learned="Supervision can start from what is working well.",
            impact="I open supervision by asking what went well, so people feel heard.",
            client_id=uuid.uuid4(),
        ),
        owner=owner,
        capabilities=[pcf5, swe4],
        tag_names=["supervision", "Social media"],
        new_files=[
            SimpleUploadedFile("Chat transcript.pdf", PDF_BYTES, "application/pdf"),
            SimpleUploadedFile("screenshot.png", PNG_BYTES, "image/png"),
        ],
    )
    peer_entry = make_entry(
        owner,
        title="Group supervision on capacity",
        activity_type=ActivityType.PEER_DISCUSSION,
        occurred_on=today,
        duration_minutes=90,
        is_peer_reflected=True,
        peer_role="team manager",
        peer_learning="We agreed how to record capacity decisions.",
        capabilities=[pcf6],
        source_key="csv:row:7",
    )
    make_entry(
        owner,
        title="Blog post on recording with care",
        activity_type=ActivityType.BLOG_READ,
        platform=Platform.BLOG,
        occurred_on=today,
        resource=library_post,
        what_learned='=HYPERLINK("http://attacker.example") ünïcödé and "quotes"',
    )
    make_entry(
        owner, title="Last year's course", occurred_on=this_year.start - dt.timedelta(days=30)
    )
    # A colleague's answer (kept and recreated), and a link still waiting (kept, not recreated).
    PeerConfirmation.objects.create(
        entry=peer_entry,
        email="pat.peer@example.net",
        note="Thanks for Monday.",
        token_hash=token_hash("a-token-answered"),
        expires_at=timezone.now() + dt.timedelta(days=10),
        answered_at=timezone.now(),
        name="Pat Peer",
        role="Senior practitioner",
        registration_number="SW778899",
        correction="We also agreed to write it down the same day.",
        confirmed_text="An earlier wording of our discussion.",
    )
    PeerConfirmation.objects.create(
        entry=peer_entry,
        email="kim.waiting@example.net",
        token_hash=token_hash("a-token-waiting"),
        expires_at=timezone.now() + dt.timedelta(days=10),
    )
    save_entry(
        Entry(
            title="Unfinished draft",
            activity_type=ActivityType.READING,
            occurred_on=today,
            status=Status.DRAFT,
            what_happened="Started reading the Care Act guidance.",
        ),
        owner=owner,
        capabilities=[pcf5],
        tag_names=["supervision"],
        new_files=[SimpleUploadedFile("notes.pdf", PDF_BYTES + b"draft", "application/pdf")],
    )

    for version in (1, 2, 3):
        make_summary(owner, version)
    make_summary(
        owner, 1, period_start=today, period_end=today, input_hash="f" * 64, text="", facts={}
    )

    cohort = make_cohort(programme_leader, "Advanced practice MSc")
    membership = join(owner, cohort)
    record_joining(membership)
    submission = submit(membership, this_year, note="My first year on the programme.")
    as_leader = submission_for(programme_leader, submission.pk)
    snapshot_entry = current_snapshot(submission).entries.first()
    comment = add_comment(as_leader, programme_leader, "Say more.", entry=snapshot_entry)
    reply(submission_for(owner, submission.pk), owner, comment, "I have added more.")
    add_comment(as_leader, programme_leader, "A good year overall.")
    sign_off(
        as_leader,
        programme_leader,
        name="Dr Sam Patel",
        role="Programme leader",
        signed_on=today,
        statement="A thoughtful, well-evidenced year.",
        confirmed=True,
    )
    first_told = Notification.objects.for_user(owner).order_by("pk").first()
    Notification.objects.filter(pk=first_told.pk).update(read_at=timezone.now())
    Notification.objects.create(
        user=owner,
        kind=NotificationKind.REMINDER,
        text="Your CPD year ends in 7 days.",
        url="/log/",
    )
    ReadingListEntry.objects.create(owner=owner, resource=make_resource(title="A saved read"))
    Suggestion.objects.create(
        owner=owner, url="https://example.org/suggested", reason="It helped my team."
    )
    _, secret = create_token(owner, name="My reading app", scope="read")
    return RichAccount(owner=owner, submission=submission, token_secret=secret)


def export_now(owner, django_capture_on_commit_callbacks) -> AccountExport:
    """Request an export and build it in this process, as a worker would."""
    with django_capture_on_commit_callbacks(execute=False):
        account_export = request_account_export(owner)
    assert build_account_export(account_export.pk, last_try=True)
    account_export.refresh_from_db()
    return account_export


def export_bytes(account_export: AccountExport) -> bytes:
    with account_export.file.open("rb") as handle:
        return handle.read()


def open_export(account_export: AccountExport) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(export_bytes(account_export)))


@pytest.fixture
def exported(practitioner, django_capture_on_commit_callbacks) -> bytes:
    """A small account's export: two entries with a file each, and a summary."""
    for title, name, content in (
        ("A webinar on the Care Act", "slides.pdf", PDF_BYTES),
        ("A chat on supervision", "chat.png", PNG_BYTES),
    ):
        save_entry(
            Entry(
                title=title,
                activity_type=ActivityType.WEBINAR,
                occurred_on=dt.date(2026, 3, 10),
                duration_minutes=60,
                status=Status.COMPLETE,
                what_happened="Watched it.",
                what_learned="Learned something.",
                impact="Will do something.",
            ),
            owner=practitioner,
            capabilities=[],
            tag_names=["law"],
            new_files=[SimpleUploadedFile(name, content)],
        )
    make_summary(practitioner, 1)
    return export_bytes(export_now(practitioner, django_capture_on_commit_callbacks))


def rewritten(
    original: bytes,
    change: Callable[[dict], None] | None = None,
    *,
    files: dict[str, bytes | None] | None = None,
) -> bytes:
    """The export with account.json changed by ``change`` and members replaced (or, given
    None, left out) by ``files``."""
    files = files or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "account.json" and change:
                document = json.loads(content)
                change(document)
                content = json.dumps(document).encode()
            content = files.get(name, content)
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()
