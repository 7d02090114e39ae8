"""Files are stored whole or not at all, and the sweep removes what killed work left behind
(partial files, files no row names, working folders no running attempt owns), but only once
it is older than any build can take."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from core.leftovers import save_whole, sweep_leftovers, working_folder
from core.models import WorkState
from packs.models import EvidencePack
from tests.packs.conftest import PINNED, YEAR

pytestmark = PINNED


@pytest.fixture(autouse=True)
def work_dir(settings, private_media) -> Path:
    """The test's own working folder (set by private_media)."""
    settings.WORK_LEFTOVERS_AFTER_SECONDS = 3600
    return Path(settings.WORK_TEMP_DIR)


def age(path: Path, seconds: float) -> None:
    """Date the file as written ``seconds`` before the test's now (disks keep real times)."""
    moment = timezone.now().timestamp() - seconds
    os.utime(path, (moment, moment))


def test_a_file_is_stored_whole_under_its_name(private_media):
    stored = save_whole(default_storage, "exports/1/pack-1.zip", ContentFile(b"zip" * 1000))

    assert stored == "exports/1/pack-1.zip"
    assert (private_media / stored).read_bytes() == b"zip" * 1000
    assert not any((private_media / "partial").iterdir())


def test_the_sweep_removes_old_partial_and_unrecorded_files_only(practitioner, private_media):
    pack = EvidencePack.objects.create(
        owner=practitioner, period_start=YEAR.start, period_end=YEAR.end
    )
    recorded = save_whole(
        default_storage, f"exports/{practitioner.pk}/{pack.pk}-2.zip", ContentFile(b"2")
    )
    EvidencePack.objects.filter(pk=pack.pk).update(state=WorkState.DONE, file=recorded)
    unrecorded = default_storage.save(
        f"exports/{practitioner.pk}/{pack.pk}-1.zip", ContentFile(b"1")
    )
    partial = default_storage.save("partial/abc.zip", ContentFile(b"half"))
    young = default_storage.save("partial/def.zip", ContentFile(b"being written"))
    for name in (recorded, unrecorded, partial):
        age(private_media / name, 2 * 3600)
    age(private_media / young, 60)

    assert sweep_leftovers(timezone.now()) == {"files": 2, "working_folders": 0}

    left = {str(p.relative_to(private_media)) for p in private_media.rglob("*") if p.is_file()}
    assert left == {recorded, young}


def attempt_folder(work_dir: Path, pk, attempt: int) -> Path:
    """A working folder as one attempt makes it, left behind as a killed one leaves it."""
    with working_folder("evidence_packs", pk, attempt) as made:
        name = Path(made).name
    folder = work_dir / name
    folder.mkdir()
    return folder


def test_the_sweep_removes_working_folders_no_running_attempt_owns(practitioner, work_dir):
    running = EvidencePack.objects.create(
        owner=practitioner, period_start=YEAR.start, period_end=YEAR.end
    )
    EvidencePack.objects.filter(pk=running.pk).update(state=WorkState.RUNNING, attempts=2)
    owned = attempt_folder(work_dir, running.pk, 2)
    killed = attempt_folder(work_dir, running.pk, 1)  # an earlier attempt's
    recent = attempt_folder(work_dir, running.pk, 3)
    (killed / "portfolio-00001.pdf").write_bytes(b"part")
    for folder in (owned, killed):
        for path in (folder, *folder.iterdir()):
            age(path, 2 * 3600)
    age(recent, 60)

    assert sweep_leftovers(timezone.now()) == {"files": 0, "working_folders": 1}

    assert sorted(work_dir.iterdir()) == sorted([owned, recent])
    later = timezone.now() + dt.timedelta(hours=2)
    EvidencePack.objects.filter(pk=running.pk).update(state=WorkState.DONE)
    assert sweep_leftovers(later) == {"files": 0, "working_folders": 2}
