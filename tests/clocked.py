"""Run a module as a command at the test's time: ``python -m tests.clocked MOMENT MODULE ARGS…``.

A process a test starts (a Celery worker it kills, say) would otherwise read the real clock
while the test and the database rows it writes live at the pinned moment. MOMENT is an ISO
datetime with its offset; the clock ticks on from it, as the test's does. Requests to the
object store are signed at the real time (tests/real_clock_signatures.py).
"""

from __future__ import annotations

import datetime as dt
import runpy
import sys

import time_machine

from tests.real_clock_signatures import sign_with_the_real_clock

if __name__ == "__main__":
    moment, module, *arguments = sys.argv[1:]
    sys.argv = [module, *arguments]
    sign_with_the_real_clock()
    with time_machine.travel(dt.datetime.fromisoformat(moment), tick=True):
        runpy.run_module(module, run_name="__main__", alter_sys=True)
