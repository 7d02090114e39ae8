"""THE SWEEP: every page each role can open, at a phone's width and a desktop's.

For each role (a practitioner with a full account, a programme leader with a cohort and a
sharing student, an admin who curates the library, and someone signed out), one browser context
visits every page in PAGES_BY_ROLE and fails if, at 390x844, the page scrolls sideways or a
navigation item cannot be reached (the menu opens and shows every item within the screen), or
if axe finds any violation, of any impact, at 390x844 or at 1280x800; and, at 1280, if the
navigation takes more than one row.

A page added to the site must be added to PAGES_BY_ROLE, or to NOT_SWEPT with the reason:
test_every_page_is_swept_or_excused fails otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from account_data.models import AccountExport
from accounts.models import Role
from core.cpd_year import cpd_year_containing
from core.models import WorkState
from imports.models import ImportSource
from packs.models import EvidencePack
from peer_confirmations.models import PeerConfirmation
from peer_confirmations.requests import token_hash
from portfolio.models import Entry
from programmes import invitations
from programmes.models import Invitation, Notification, NotificationKind, Programme
from resources.models import CuratedList, Event, Resource, Suggestion
from summaries.models import ReflectiveSummary
from tests.account_data.conftest import RichAccount, rich_account  # noqa: F401 (a fixture)
from tests.browser.test_evidence_pack_journey import sign_in
from tests.factories import make_user
from tests.imports.staged import proposal, staged_batch
from tests.programmes.test_shared_packs import make_pack
from tests.resources.factories import make_event, make_list, make_resource, make_suggestion

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# With SWEEP_SCREENSHOTS=1, a screenshot of every page at both widths, to look at, in the
# temporary directory: nav-<role>-<width>-<page>.png (off by default: they slow the sweep).
SCREENSHOTS = Path(tempfile.gettempdir()) if os.environ.get("SWEEP_SCREENSHOTS") else None
DESKTOP = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class Visit:
    """A page to visit: a URL's name and its arguments, each named by a key of the sweep's
    data (World.ids), or a plain path; ``status`` is the answer the page must give."""

    url_name: str = ""
    kwargs: dict[str, str] = field(default_factory=dict)
    path: str = ""
    status: int = 200

    def url(self, ids: dict[str, object]) -> str:
        if self.path:
            return self.path
        return reverse(self.url_name, kwargs={k: ids[v] for k, v in self.kwargs.items()})


INVITATION_TOKEN = "an-invitation-token-for-the-sweep"
PEER_CONFIRMATION_TOKEN = "a-peer-confirmation-token-for-the-sweep"

PRACTITIONER, LEADER, ADMIN, ANONYMOUS = "practitioner", "programme leader", "admin", "anonymous"
NOT_FOUND = Visit(path="/no-such-page/", status=404)

# Every page a signed-in user opens; each role adds its own below.
_SIGNED_IN = (
    Visit("home"),
    Visit("portfolio:dashboard"),
    Visit("portfolio:entry_list"),
    Visit("portfolio:entry_create"),
    Visit("capture:capture"),
    Visit("capture:link"),
    Visit("summaries:list"),
    Visit("packs:list"),
    Visit("imports:list"),
    Visit("resources:resource_list"),
    Visit("resources:resource_detail", {"pk": "resource"}),
    Visit("resources:reading_list"),
    Visit("resources:list_index"),
    Visit("resources:list_detail", {"slug": "list_slug"}),
    Visit("resources:suggestion_create"),
    Visit("resources:suggestion_list"),
    Visit("resources:event_list"),
    Visit("resources:event_detail", {"pk": "event"}),
    Visit("programmes:home"),
    Visit("programmes:notification_list"),
    Visit("accounts:profile"),
    Visit("regulators:regulator"),
    Visit("accounts:delete"),
    Visit("tokens:list"),
    Visit("tokens:create"),
    Visit("account_email"),
    Visit("account_change_password"),
    Visit("mfa_index"),
    NOT_FOUND,
)

# THE LIST: every page each role can open. Add the pages you build here.
PAGES_BY_ROLE: dict[str, tuple[Visit, ...]] = {
    PRACTITIONER: (
        *_SIGNED_IN,
        Visit("portfolio:entry_detail", {"pk": "entry"}),
        # With a colleague's answer, a link waiting and the form to ask.
        Visit("portfolio:entry_detail", {"pk": "peer_entry"}),
        Visit("portfolio:entry_edit", {"pk": "entry"}),
        Visit("portfolio:entry_delete", {"pk": "entry"}),
        Visit("summaries:detail", {"pk": "summary"}),
        Visit("summaries:edit", {"pk": "summary"}),
        Visit("packs:detail", {"pk": "pack"}),
        Visit("packs:renewal_sheet", {"pk": "pack"}),
        Visit("packs:verify", {"pk": "pack"}),
        Visit("imports:detail", {"pk": "import"}),
        Visit("imports:entry_edit", {"pk": "import", "entry_pk": "staged_entry"}),
        Visit("programmes:submission_detail", {"pk": "submission"}),
        Visit("capture:saved", {"pk": "entry"}),
        Visit("mfa_activate_totp"),
    ),
    LEADER: (
        *_SIGNED_IN,
        Visit("programmes:programme_create"),
        Visit("programmes:programme_detail", {"pk": "programme"}),
        Visit("programmes:programme_edit", {"pk": "programme"}),
        Visit("programmes:cohort_overview", {"pk": "cohort"}),
        Visit("programmes:cohort_records", {"pk": "cohort"}),
        Visit("programmes:shared_portfolio", {"student_id": "student"}),
        Visit("programmes:submission_detail", {"pk": "submission"}),
    ),
    ADMIN: (
        *_SIGNED_IN,
        Visit("resources:curation_home"),
        Visit("resources:curation_resources"),
        Visit("resources:curation_resource_create"),
        Visit("resources:curation_resource_edit", {"pk": "resource"}),
        Visit("resources:curation_import"),
        Visit("resources:curation_lists"),
        Visit("resources:curation_list_create"),
        Visit("resources:curation_list_edit", {"pk": "list"}),
        Visit("resources:curation_events"),
        Visit("resources:curation_event_create"),
        Visit("resources:curation_event_edit", {"pk": "event"}),
        Visit("resources:curation_suggestions"),
        Visit("resources:curation_suggestion_approve", {"pk": "suggestion"}),
        Visit("resources:curation_broken_links"),
    ),
    ANONYMOUS: (
        Visit("home"),
        Visit("resources:resource_list"),
        Visit("resources:resource_detail", {"pk": "resource"}),
        Visit("resources:list_index"),
        Visit("resources:list_detail", {"slug": "list_slug"}),
        Visit("resources:event_list"),
        Visit("resources:event_detail", {"pk": "event"}),
        Visit("packs:verify", {"pk": "pack"}),
        Visit("account_login"),
        Visit("account_signup"),
        Visit("account_reset_password"),
        Visit("account_reset_password_done"),
        Visit("account_email_verification_sent"),
        Visit("account_inactive"),
        Visit("programmes:invitation_accept", {"token": "invitation_token"}),
        Visit("peer_confirmations:answer", {"token": "peer_confirmation_token"}),
        Visit("credentials:verify"),
        Visit("credentials:credential", {"pk": "credential"}),
        NOT_FOUND,
    ),
}

# Pages with a GET that are not swept, and why.
NOT_SWEPT: dict[str, str] = {
    "account_logout": "a form that only confirms; the navigation's button posts it",
    "account_reauthenticate": "asks again for the password of someone just signed in",
    "account_set_password": "only for an account without a password (never here)",
    "account_confirm_login_code": "only within a login by code (not enabled)",
    "account_confirm_email": "needs a key from an email",
    "account_reset_password_from_key": "needs a key from an email",
    "account_reset_password_from_key_done": "shown after a reset by key",
    "mfa_authenticate": "only within a login, between password and code",
    "mfa_reauthenticate": "asks again for the code of someone just signed in",
    "mfa_deactivate_totp": "asks to reauthenticate first",
    "mfa_view_recovery_codes": "asks to reauthenticate first",
    "mfa_generate_recovery_codes": "asks to reauthenticate first",
    "mfa_download_recovery_codes": "a text file",
    "mfa_list_webauthn": "security keys are not enabled",
    "mfa_add_webauthn": "security keys are not enabled",
    "mfa_reauthenticate_webauthn": "security keys are not enabled",
    "mfa_remove_webauthn": "security keys are not enabled",
    "mfa_edit_webauthn": "security keys are not enabled",
    "tokens:revoke": "a POST",
    "regulators:confirm": "a POST from the regulator page",
    "regulators:withdraw": "a POST from the regulator page",
    "account_data:request": "a POST from the profile page",
    "account_data:download": "a file",
    "account_data:status": "a fragment htmx polls",
    "portfolio:confidentiality_check": "a fragment htmx asks for",
    "portfolio:confidentiality_check_field": "a POST htmx makes as a field is typed in",
    "portfolio:evidence_download": "a file",
    "capture:sync": "a POST from the capture page's script",
    "capture:manifest": "the web app manifest (JSON)",
    "capture:service_worker": "a script",
    "summaries:retry": "a POST",
    "packs:status": "a fragment htmx polls",
    "packs:entry_choices": "a fragment htmx asks for (the pack form's entries)",
    "packs:retry": "a POST",
    "packs:download": "a file",
    "imports:status": "a fragment htmx polls",
    "imports:choices": "a POST",
    "imports:confirm": "a POST",
    "imports:retry": "a POST",
    "imports:discard": "a POST",
    "imports:csv_template": "a CSV file",
    "resources:resource_save": "a POST",
    "resources:events_feed": "an iCalendar feed",
    "resources:event_ics": "an iCalendar file",
    "resources:event_took_part": "a POST",
    "resources:curation_import_confirm": "a POST",
    "resources:curation_resource_publication": "a POST",
    "resources:curation_list_publication": "a POST",
    "resources:curation_item_add": "a POST",
    "resources:curation_item_move": "a POST",
    "resources:curation_item_remove": "a POST",
    "resources:curation_event_publication": "a POST",
    "resources:curation_suggestion_decline": "a POST",
    "resources:curation_link_check": "a POST",
    "programmes:cohort_create": "a POST from the programme's page",
    "programmes:leader_add": "a POST from the programme's page",
    "programmes:invite": "a POST from the cohort's page",
    "programmes:invitation_join": "a POST",
    "programmes:sharing_change": "a POST",
    "programmes:sharing_stop": "a POST",
    "programmes:submit": "a POST",
    "programmes:comment_create": "a POST",
    "programmes:reply_create": "a POST",
    "programmes:request_changes": "a POST",
    "programmes:sign_off": "a POST",
    "programmes:revoke_sign_off": "a POST",
    "programmes:resubmit": "a POST",
    "programmes:pack_share": "a POST",
    "programmes:pack_unshare": "a POST",
    "programmes:pack_download": "a file",
    "programmes:notifications_read": "a POST",
    "programmes:notification_open": "redirects to what the notification is about",
    "peer_confirmations:request_create": "a POST from the entry's page",
    "peer_confirmations:request_withdraw": "a POST from the entry's page",
    "peer_confirmations:answer_remove": "a POST from the entry's page",
    "credentials:jwks": "the public keys (JSON)",
    "credentials:key": "a public key (JSON)",
    "credentials:issuer": "an issuer's profile (JSON-LD)",
    "credentials:achievement": "an achievement (JSON-LD)",
    "credentials:download_jwt": "a file",
    "credentials:download_json": "a file",
    "core:health": "a health check for the load balancer",
    "core:health_web": "a health check for the load balancer",
}


def _url_names(patterns, namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _url_names(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_page_is_swept_or_excused():
    """A new page cannot escape the sweep: every named URL outside the admin and the API is
    in PAGES_BY_ROLE or in NOT_SWEPT, and nothing is in both or names a URL that is gone."""
    names = {
        name
        for name in _url_names(get_resolver().url_patterns)
        if not name.startswith(("admin:", "api:"))
    }
    swept = {visit.url_name for visits in PAGES_BY_ROLE.values() for visit in visits} - {""}

    assert names - swept - NOT_SWEPT.keys() == set()
    assert swept & NOT_SWEPT.keys() == set()
    assert (swept | NOT_SWEPT.keys()) - names == set()


@dataclass
class World:
    users: dict[str, object]
    ids: dict[str, object]


@pytest.fixture
def world(rich_account: RichAccount, programme_leader) -> World:  # noqa: F811
    """The rich account's practitioner (entries, files, summaries, a signed-off submission to
    programme_leader's cohort, notifications, a token), with a pack, an import and an account
    export of hers; and an admin's library: resources, a list, an event, a suggestion."""
    owner = rich_account.owner
    this_year = cpd_year_containing(timezone.localdate())
    admin = make_user("admin@example.org", role=Role.ADMIN, display_name="Ada Min")
    # The longest navigation: an admin's, with a two-digit unread count.
    for n in range(12):
        Notification.objects.create(
            user=admin, kind=NotificationKind.REMINDER, text=f"Reminder {n}.", url="/dashboard/"
        )
    resource = make_resource(title="Making good decisions under the Mental Capacity Act")
    curated_list = make_list([resource], title="Starting out")
    event = make_event(title="#SWSCmedia chat on supervision")
    suggestion = make_suggestion(owner)
    pack = make_pack(owner, this_year.start, this_year.end)
    batch = staged_batch(owner, [proposal(1), proposal(2)], source=ImportSource.CSV)
    account_export = AccountExport.objects.create(
        owner=owner, state=WorkState.RUNNING, progress=40, step="Gathering your entries"
    )
    Invitation.objects.create(
        cohort_id=rich_account.submission.membership.cohort_id,
        email="new.student@example.net",
        token_hash=invitations.token_hash(INVITATION_TOKEN),
        expires_at=timezone.now() + dt.timedelta(days=7),
        invited_by=programme_leader,
    )
    peer_entry = Entry.objects.for_user(owner).get(is_peer_reflected=True)
    # The rich account's has a colleague's answer; this link waits for another.
    PeerConfirmation.objects.create(
        entry=peer_entry,
        email="sam.colleague@example.net",
        token_hash=token_hash(PEER_CONFIRMATION_TOKEN),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    ids = {
        "invitation_token": INVITATION_TOKEN,
        "peer_confirmation_token": PEER_CONFIRMATION_TOKEN,
        "peer_entry": peer_entry.pk,
        "entry": Entry.objects.for_user(owner).order_by("pk").first().pk,
        "summary": ReflectiveSummary.objects.filter(owner=owner).order_by("-version").first().pk,
        "pack": pack.pk,
        "import": batch.pk,
        "staged_entry": batch.entries.order_by("position").first().pk,
        "submission": rich_account.submission.pk,
        "credential": rich_account.submission.sign_off.credential.pk,
        "account_export": account_export.pk,
        "programme": Programme.objects.for_user(programme_leader).get().pk,
        "cohort": rich_account.submission.membership.cohort_id,
        "student": owner.pk,
        "resource": resource.pk,
        "list": curated_list.pk,
        "list_slug": curated_list.slug,
        "event": event.pk,
        "suggestion": suggestion.pk,
    }
    assert Resource.objects.exists() and CuratedList.objects.exists()
    assert Event.objects.exists() and Suggestion.objects.exists()
    assert EvidencePack.objects.filter(owner=owner, state=WorkState.DONE).exists()
    users = {PRACTITIONER: owner, LEADER: programme_leader, ADMIN: admin, ANONYMOUS: None}
    return World(users=users, ids=ids)


def overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# What sticks out to the right: the innermost elements past the screen's edge, to fix.
STICKING_OUT = """
() => {
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = (e) => e.getBoundingClientRect().right > innerWidth + 0.5;
  return [...document.querySelectorAll("body *")]
    .filter((e) => out(e) && !clipped(e) && ![...e.children].some(out))
    .slice(0, 4)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}`
      + (typeof e.className === "string" && e.className.trim()
        ? "." + e.className.trim().split(/\\s+/).join(".") : "")
      + ` (${Math.round(e.getBoundingClientRect().right)} px)`);
}
"""


# What is out of reach: a navigation item that is not visible, or not wholly on the screen.
UNREACHABLE_NAV_ITEMS = """
() => {
  const nav = document.querySelector("nav.phone-nav");
  if (!nav) return ["no phone navigation"];
  const out = [];
  for (const item of nav.querySelectorAll("a, button, summary")) {
    const box = item.getBoundingClientRect();
    const shown = box.width > 0 && box.height > 0 && getComputedStyle(item).visibility !== "hidden";
    if (!shown || box.left < 0 || box.top < 0 || box.right > innerWidth + 0.5
        || box.bottom > innerHeight + 0.5) {
      out.push((item.textContent || "").trim().replace(/\\s+/g, " ") || item.outerHTML);
    } else if (item.scrollWidth > item.clientWidth + 1) {
      out.push(`${item.textContent.trim()} (its label is cut off)`);
    }
  }
  return out;
}
"""

# How many rows the desktop navigation takes (by its items' tops).
DESKTOP_NAV_ROWS = """
() => {
  let rows = 0, bottom = -Infinity;
  for (const li of document.querySelectorAll("nav.desktop-nav > ul > li")) {
    const box = li.getBoundingClientRect();
    if (box.top >= bottom - 1) { rows += 1; bottom = box.bottom; }
  }
  return rows;
}
"""


def axe_violations(axe: Axe, page: Page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:4])
        for v in results.response["violations"]
    ]


def check_phone_navigation(page: Page, screenshot: Path | None = None) -> list[str]:
    problems: list[str] = []
    menu = page.locator("nav.phone-nav details.phone-menu")
    if menu.count():
        page.locator("nav.phone-nav summary").click()
        if screenshot:
            page.screenshot(path=screenshot)
        problems += [f"not reachable with the menu open: {i}" for i in _unreachable(page)]
        page.locator("nav.phone-nav summary").click()  # closed again, for the rest
    else:
        problems += [f"not reachable: {item}" for item in _unreachable(page)]
    return problems


def _unreachable(page: Page) -> list[str]:
    return page.evaluate(UNREACHABLE_NAV_ITEMS)


@pytest.mark.parametrize("role", [PRACTITIONER, LEADER, ADMIN, ANONYMOUS])
def test_every_page_fits_a_phone_keeps_its_navigation_in_reach_and_passes_axe(
    role, world: World, new_context, live_server, settings
):
    context = new_context(locale="en-GB", timezone_id="Europe/London", viewport=PHONE)
    context.clock.set_fixed_time(timezone.now())
    page = context.new_page()
    if world.users[role] is not None:
        sign_in(page, world.users[role], live_server)
    axe = Axe()
    problems: list[str] = []
    for visit in PAGES_BY_ROLE[role]:
        url = visit.url(world.ids)
        page.set_viewport_size(PHONE)
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            problems.append(f"{url}: {error.message.splitlines()[0]}")
            continue
        if response.status != visit.status:
            problems.append(f"{url}: answered {response.status}, not {visit.status}")
            continue
        slug = url.strip("/").replace("/", "-") or "home"
        shot = f"nav-{role.replace(' ', '_')}-{{}}-{slug}.png"
        if SCREENSHOTS:
            page.screenshot(path=SCREENSHOTS / shot.format(390))
        if (width := overflow(page)) > PHONE["width"]:
            sticking_out = ", ".join(page.evaluate(STICKING_OUT))
            problems.append(f"{url}: {width} px wide at 390 ({sticking_out})")
        on_dashboard = SCREENSHOTS and slug == "dashboard"
        menu_shot = SCREENSHOTS / shot.format("390-menu") if on_dashboard else None
        problems += [f"{url}: {p}" for p in check_phone_navigation(page, menu_shot)]
        problems += [f"{url} at 390: {v}" for v in axe_violations(axe, page)]
        page.set_viewport_size(DESKTOP)
        if SCREENSHOTS:
            page.screenshot(path=SCREENSHOTS / shot.format(1280))
        if (rows := page.evaluate(DESKTOP_NAV_ROWS)) != 1:
            problems.append(f"{url}: the navigation takes {rows} rows at 1280")
        problems += [f"{url} at 1280: {v}" for v in axe_violations(axe, page)]

    assert not problems, "\n".join(problems)
