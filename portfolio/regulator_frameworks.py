"""Which capability frameworks a practitioner maps her entries to: those her regulator's
profile lists (regulators/data/regulators.toml `frameworks`), and whatever an entry already
links to, whatever the regulator was when it was linked."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from regulators.registrations import registration_of

from .models import Capability, Entry


def offered_capabilities(user, entry: Entry | None = None) -> QuerySet[Capability]:
    """The capabilities the entry form offers ``user`` for ``entry`` (a new one if None)."""
    regulator, _ = registration_of(user)
    offered = Q(framework__slug__in=regulator.frameworks)
    if entry is not None and entry.pk:
        offered |= Q(pk__in=entry.capabilities.values("pk"))
    return Capability.objects.select_related("framework").filter(offered)
