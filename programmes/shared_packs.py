"""A student sharing one evidence pack with the leaders of a cohort she belongs to, stopping
sharing it, and the leaders' downloads, each recorded in the audit trail. A pack holds her
evidence files, which her consent alone never shares: hence one explicit share per pack and
cohort. Whether a leader may download a pack right now is decided in access.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from packs.building import is_downloadable
from packs.models import EvidencePack

from .audit import record_pack
from .errors import ActionRefused
from .models import AuditAction, AuditEvent, Membership, NotificationKind, SharedPack
from .notifications import notify


@dataclass(frozen=True)
class PackSharing:
    """What the owner's pack page shows about sharing: the cohorts it is shared with, those it
    could be shared with, those whose one-year consent does not cover its period, and the
    history of shares and downloads."""

    shares: list[SharedPack]
    shareable: list[Membership]
    not_covered: list[Membership]
    history: list[AuditEvent]

    @property
    def is_relevant(self) -> bool:
        """Whether there is anything to show: she is in a cohort, or the pack was shared."""
        return bool(self.shares or self.shareable or self.not_covered or self.history)


def pack_sharing(owner, evidence_pack: EvidencePack) -> PackSharing:
    """Sharing as the owner of ``evidence_pack`` sees it on the pack's page."""
    period = evidence_pack.period
    shares = list(
        SharedPack.objects.active()
        .filter(evidence_pack=evidence_pack, membership__student=owner)
        .select_related("membership__cohort__programme")
        .order_by("membership__cohort__programme__name", "membership__cohort__name", "pk")
    )
    shared_with = {share.membership_id for share in shares}
    memberships = [
        membership
        for membership in Membership.objects.for_user(owner)
        .active()
        .select_related("cohort__programme")
        .order_by("cohort__programme__name", "cohort__name", "pk")
        if membership.pk not in shared_with
    ]
    return PackSharing(
        shares=shares,
        shareable=[m for m in memberships if m.covers_period(period)],
        not_covered=[m for m in memberships if not m.covers_period(period)],
        history=list(AuditEvent.objects.filter(shared_pack__evidence_pack=evidence_pack)),
    )


def _with_leaders_of(evidence_pack: EvidencePack, membership: Membership) -> str:
    """The audit trail's detail of a share: which pack, with whom."""
    return f"{evidence_pack.period.label}, with the leaders of {membership.cohort}"


def _check_shareable(student, evidence_pack: EvidencePack, membership: Membership) -> None:
    if not (evidence_pack.owner_id == membership.student_id == student.pk):
        raise ValueError("Only the pack's owner shares it, and with her own cohorts only.")
    if not is_downloadable(evidence_pack, timezone.now()):
        raise ActionRefused("This pack is not ready, or has expired: it cannot be shared.")
    if not membership.is_sharing:
        raise ActionRefused(
            f"You stopped sharing with {membership.cohort}. Share your portfolio with it again "
            "on the programmes page before sharing a pack."
        )
    period = evidence_pack.period
    if not membership.covers_period(period):
        raise ActionRefused(
            f"You share one CPD year only with {membership.cohort}, and this pack covers "
            f"{period.label}: export a pack of that year, or share more with the cohort."
        )


def share_pack(
    student, evidence_pack: EvidencePack, memberships: Sequence[Membership]
) -> list[SharedPack]:
    """Share ``evidence_pack`` with the leaders of the cohort of each of ``memberships``, all or
    none, and tell them. Sharing again what is already shared changes and records nothing."""
    shared = []
    with transaction.atomic():
        for membership in memberships:
            _check_shareable(student, evidence_pack, membership)
            share, created = SharedPack.objects.select_for_update().get_or_create(
                membership=membership, evidence_pack=evidence_pack
            )
            if not created and share.is_shared:
                continue
            if not created:
                share.shared_at, share.revoked_at = timezone.now(), None
                share.save(update_fields=["shared_at", "revoked_at"])
            record_pack(
                share,
                actor=student,
                action=AuditAction.PACK_SHARED,
                detail=_with_leaders_of(evidence_pack, membership),
            )
            notify(
                membership.cohort.programme.leaders.all(),
                kind=NotificationKind.PACK,
                text=f"{student} shared an evidence pack ({evidence_pack.period.label}) with you.",
                url=reverse("programmes:shared_portfolio", args=[student.pk]) + "#packs",
            )
            shared.append(share)
    return shared


def unshare_pack(student, share: SharedPack) -> SharedPack:
    """Stop sharing: from the next request on, the cohort's leaders cannot download it."""
    with transaction.atomic():
        share = (
            SharedPack.objects.select_for_update(of=("self",))
            .select_related("evidence_pack", "membership__cohort__programme")
            .get(pk=share.pk, membership__student=student)
        )
        if share.is_shared:
            share.revoked_at = timezone.now()
            share.save(update_fields=["revoked_at"])
            record_pack(
                share,
                actor=student,
                action=AuditAction.PACK_UNSHARED,
                detail=_with_leaders_of(share.evidence_pack, share.membership),
            )
    return share


def record_download(share: SharedPack, leader) -> AuditEvent:
    return record_pack(
        share,
        actor=leader,
        action=AuditAction.PACK_DOWNLOADED,
        detail=f"{share.evidence_pack.period.label}, through {share.membership.cohort}",
    )
