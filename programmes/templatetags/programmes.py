from dataclasses import dataclass

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.cpd_year import CpdYear, cpd_year_ending_in
from packs.models import EvidencePack
from portfolio.dashboard import FrameworkCoverage
from programmes.forms import PackShareForm
from programmes.models import Notification
from programmes.shared_packs import pack_sharing
from programmes.signoffs import signoffs_for

register = template.Library()


@dataclass(frozen=True)
class ProgrammesNav:
    """What the main navigation needs to link to the programmes pages and notifications."""

    programmes_current: bool
    notifications_current: bool
    unread: int


@register.simple_tag(takes_context=True)
def programmes_nav(context) -> ProgrammesNav:
    """The state of the programmes and notifications links, counted once for the desktop row
    and the phone's bar alike: ``{% programmes_nav as programmes %}``."""
    request = context["request"]
    match = request.resolver_match
    on_notifications = bool(match and match.view_name == "programmes:notification_list")
    return ProgrammesNav(
        programmes_current=bool(match and match.namespace == "programmes") and not on_notifications,
        notifications_current=on_notifications,
        unread=Notification.objects.for_user(request.user).unread().count(),
    )


@register.inclusion_tag("programmes/_signoffs.html")
def signoffs_section(user, year: CpdYear) -> dict:
    """The sign-offs of ``year`` on the practitioner's dashboard; nothing when there are none."""
    return {"signoffs": list(signoffs_for(user, year)), "year": year}


@register.inclusion_tag("programmes/_pack_sharing.html")
def pack_sharing_section(user, evidence_pack: EvidencePack) -> dict:
    """On the owner's page of a ready pack: share it with the leaders of her cohorts, stop
    sharing it, and see who downloaded it. Nothing when she is in no cohort."""
    sharing = pack_sharing(user, evidence_pack)
    return {
        "evidence_pack": evidence_pack,
        "sharing": sharing,
        "form": PackShareForm(memberships=sharing.shareable),
    }


@register.filter
def cpd_year_label(end_year: int) -> str:
    """2026 -> "2025–26": a CPD year named by the calendar year it ends in."""
    return cpd_year_ending_in(end_year).label


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, css_class: str = ""):
    """A column heading of the cohort overview that sorts by ``key``, and says how it sorts."""
    current = context["overview"].sort
    ascending, descending = current == key, current == f"-{key}"
    state = "ascending" if ascending else "descending" if descending else "none"
    target = f"-{key}" if ascending else key
    query = context["query"]
    href = f"?{query}&sort={target}" if query else f"?sort={target}"
    arrow = "▲" if ascending else "▼" if descending else ""
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a href="{}">{}</a>'
        '<span aria-hidden="true" class="sort-arrow">{}</span></th>',
        css_class,
        state,
        href,
        label,
        arrow,
    )


@register.simple_tag
def coverage_cells(coverage: list[FrameworkCoverage]) -> str:
    """A student's capability coverage as a strip of shaded cells per framework, with the
    counts in words for screen readers. Built here rather than by template loops: the cohort
    overview draws it for every row it shows."""
    strips = format_html_join(
        "\n",
        '<span class="cells" aria-hidden="true" title="{}: {} of {}"><small>{}</small>{}</span>',
        (
            (
                framework.framework.short_name,
                framework.covered,
                len(framework.capabilities),
                framework.framework.short_name,
                mark_safe(  # noqa: S308 - only the integer levels go in
                    "".join(
                        f'<span class="cell level-{item.level}"></span>'
                        for item in framework.capabilities
                    )
                ),
            )
            for framework in coverage
        ),
    )
    words = ", ".join(
        f"{f.framework.short_name} {f.covered} of {len(f.capabilities)}" for f in coverage
    )
    return format_html('{}<span class="visually-hidden">{}</span>', strips, words)
