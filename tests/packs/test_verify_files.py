"""The public /verify/ page checks what people hold: the pack's ZIP, or any file its manifest
lists (portfolio.pdf alone, most often), and says which file it is; a changed file, a file
too large, or no file at all each get a clear answer. Signed out, as the people sent a pack
are. Files are found by their hash in the pack's recorded files, never by opening a pack."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import WorkState
from packs.building import delete_expired_evidence_packs
from packs.models import EvidencePack, PackFile
from tests.packs.conftest import PINNED, YEAR, build_now, open_pack

pytestmark = PINNED

EXPORTED = "exported by Alex Morgan on 21 November 2026, unchanged."


@pytest.fixture
def evidence_pack(practitioner, portfolio, django_capture_on_commit_callbacks) -> EvidencePack:
    return build_now(practitioner, django_capture_on_commit_callbacks, period=YEAR)


def check(client, evidence_pack: EvidencePack, name: str, data: bytes):
    return client.post(
        reverse("packs:verify", args=[evidence_pack.pk]),
        {"file": SimpleUploadedFile(name, data, "application/octet-stream")},
    )


def member(evidence_pack: EvidencePack, path: str) -> bytes:
    with open_pack(evidence_pack) as archive:
        return archive.read(path)


def test_the_files_a_build_records_are_its_manifests_with_the_manifest_itself(evidence_pack):
    manifest = json.loads(member(evidence_pack, "manifest.json"))
    listed = {(f["path"], f["sha256"], f["size"]) for f in manifest["files"]}

    recorded = set(evidence_pack.files.values_list("path", "sha256", "size"))

    assert recorded - listed == {
        (
            "manifest.json",
            PackFile.objects.get(evidence_pack=evidence_pack, path="manifest.json").sha256,
            len(member(evidence_pack, "manifest.json")),
        )
    }
    assert listed <= recorded
    assert {"portfolio.pdf", "renewal-sheet.pdf", "activities.csv"} <= {p for p, _, _ in listed}


def test_the_zip_is_recognised_as_the_whole_pack(evidence_pack, client_for):
    with evidence_pack.file.open("rb") as handle:
        genuine = handle.read()

    content = check(client_for(None), evidence_pack, "pack.zip", genuine).content.decode()

    assert "It matches." in content
    assert f"This is the evidence pack (ZIP) {EXPORTED}" in content


def test_the_pdf_alone_is_recognised_and_named(evidence_pack, client_for):
    pdf = member(evidence_pack, "portfolio.pdf")

    response = check(client_for(None), evidence_pack, "my renamed copy.pdf", pdf)

    content = response.content.decode()
    assert response.status_code == 200
    assert "It matches." in content
    assert "It does not match." not in content
    assert (
        'This is <strong class="verify-file">portfolio.pdf</strong> from the evidence pack '
        f"{EXPORTED}" in content
    )


@pytest.mark.parametrize(
    "path", ["renewal-sheet.pdf", "activities.csv", "manifest.json", "evidence"]
)
def test_any_other_file_of_the_manifest_is_recognised(path, evidence_pack, client_for):
    if path == "evidence":  # the evidence file the practitioner attached, as the pack holds it
        path = evidence_pack.files.get(path__startswith="evidence/").path

    content = check(client_for(None), evidence_pack, "f", member(evidence_pack, path)).content
    assert f'<strong class="verify-file">{path}</strong>' in content.decode()


def test_a_changed_pdf_is_not_recognised(evidence_pack, client_for):
    pdf = member(evidence_pack, "portfolio.pdf")

    content = check(client_for(None), evidence_pack, "portfolio.pdf", pdf + b"\n").content.decode()

    assert "It matches." not in content
    assert (
        "<strong>It does not match.</strong> This file is neither the pack described above nor "
        "any file in it: it may have been changed, or come from another pack."
    ) in content


def test_a_file_of_another_pack_is_not_this_packs(
    evidence_pack, practitioner, django_capture_on_commit_callbacks, client_for
):
    other = build_now(practitioner, django_capture_on_commit_callbacks, period=YEAR)
    their_pdf = member(other, "portfolio.pdf")  # its cover gives its own verify address

    content = check(client_for(None), evidence_pack, "p.pdf", their_pdf).content.decode()

    assert "It does not match." in content


def test_the_lookup_costs_the_same_however_many_files_packs_hold(
    evidence_pack, client_for, django_assert_max_num_queries
):
    PackFile.objects.bulk_create(
        PackFile(
            evidence_pack=evidence_pack, path=f"evidence/9/{n}.pdf", sha256=f"{n:064x}", size=1
        )
        for n in range(500)
    )
    pdf = member(evidence_pack, "portfolio.pdf")
    client = client_for(None)

    with django_assert_max_num_queries(4):  # the pack, its files exist, the match; a session
        content = check(client, evidence_pack, "p.pdf", pdf).content.decode()
    assert "portfolio.pdf</strong> from the evidence pack" in content


def test_a_file_over_the_limit_gets_a_clear_answer(evidence_pack, client_for, settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 1000
    client = client_for(None)

    small_but_over = check(client, evidence_pack, "big.pdf", b"x" * 1001)
    far_over = check(client, evidence_pack, "huge.pdf", b"x" * 200_000)

    assert (
        "That file is 1001\xa0bytes; the limit is 1000\xa0bytes." in small_but_over.content.decode()
    )
    assert far_over.status_code == 413
    assert (
        "That file is larger than 1000\xa0bytes, the most this page can check."
        in far_over.content.decode()
    )
    for response in (small_but_over, far_over):
        assert "It does not match." not in response.content.decode()
        assert "Check the file" in response.content.decode()  # the form, to try another


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose a file to check: the pack&#x27;s ZIP, or a file from it."),
        (
            {"file": "portfolio.pdf"},
            "Choose a file to check: the pack&#x27;s ZIP, or a file from it.",
        ),
        (
            {"file": SimpleUploadedFile("empty.pdf", b"")},
            "That file is empty, so it cannot be part of a pack.",
        ),
    ],
    ids=["nothing", "text-not-a-file", "empty-file"],
)
def test_no_file_gets_a_clear_answer(data, message, evidence_pack, client_for):
    response = client_for(None).post(reverse("packs:verify", args=[evidence_pack.pk]), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "It matches." not in content and "It does not match." not in content


def test_checking_a_file_still_counts_against_the_addresses_limit(
    evidence_pack, client_for, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify-upload": "2/h"}
    pdf = member(evidence_pack, "portfolio.pdf")
    client = client_for(None)

    answers = [check(client, evidence_pack, "p.pdf", pdf).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_a_pack_built_before_files_were_recorded_has_them_read_from_its_zip_once(
    evidence_pack, client_for
):
    evidence_pack.files.all().delete()
    pdf = member(evidence_pack, "portfolio.pdf")
    client = client_for(None)

    first = check(client, evidence_pack, "p.pdf", pdf).content.decode()

    assert "portfolio.pdf</strong> from the evidence pack" in first
    manifest = json.loads(member(evidence_pack, "manifest.json"))
    assert evidence_pack.files.count() == len(manifest["files"]) + 1
    assert "manifest.json</strong>" in (
        check(client, evidence_pack, "m", member(evidence_pack, "manifest.json")).content.decode()
    )


def test_an_old_pack_whose_zip_expired_says_only_the_zip_can_be_checked(evidence_pack, client_for):
    pdf = member(evidence_pack, "portfolio.pdf")
    evidence_pack.files.all().delete()
    EvidencePack.objects.filter(pk=evidence_pack.pk).update(expires_at=evidence_pack.created_at)
    assert delete_expired_evidence_packs(evidence_pack.expires_at) == 1

    content = check(client_for(None), evidence_pack, "p.pdf", pdf).content.decode()

    assert "It does not match." in content
    assert "only the whole ZIP can be checked" in content


def test_files_of_an_expired_pack_recorded_when_built_can_still_be_checked(
    evidence_pack, client_for
):
    pdf = member(evidence_pack, "portfolio.pdf")
    EvidencePack.objects.filter(pk=evidence_pack.pk).update(expires_at=evidence_pack.created_at)
    delete_expired_evidence_packs(evidence_pack.expires_at)
    evidence_pack.refresh_from_db()
    assert evidence_pack.state == WorkState.EXPIRED

    content = check(client_for(None), evidence_pack, "p.pdf", pdf).content.decode()

    assert "portfolio.pdf</strong> from the evidence pack" in content


def test_the_pack_page_gives_the_full_verify_address(evidence_pack, practitioner, client_for):
    content = client_for(practitioner).get(evidence_pack.get_absolute_url()).content.decode()

    address = f"{settings.SITE_URL}/verify/{evidence_pack.pk}/"
    assert address.startswith("http")
    assert f'<a href="{address}" class="verify-address">{address}</a>' in content
