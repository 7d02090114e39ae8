"""Run a module as a command with files stored slowly: ``python -m tests.packs.slow_saves
MODULE ARGS…``. The fault test runs its Celery workers so, to kill one while it stores a pack
(a few kilobytes at a time, 50 ms apart), which otherwise takes a millisecond."""

from __future__ import annotations

import runpy
import sys
import time

from django.core.files.base import File

CHUNK_BYTES = 8 * 1024
PAUSE_SECONDS = 0.05

_chunks = File.chunks


def _slow_chunks(self, chunk_size=None):
    for chunk in _chunks(self, CHUNK_BYTES):
        time.sleep(PAUSE_SECONDS)
        yield chunk


if __name__ == "__main__":
    File.chunks = _slow_chunks
    module, *arguments = sys.argv[1:]
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
