"""Requests to the object store are signed at the real time, whatever the test's clock says.

Tests pin the clock (tests/clock.py), but an S3 server refuses a request signed more than a
few minutes from its own time (RequestTimeTooSkewed). So the suite's processes sign with the
real clock; everything else they do keeps the test's.
"""

from __future__ import annotations

import datetime as dt

import botocore.auth
from time_machine import escape_hatch


def _real_now(remove_tzinfo: bool = True) -> dt.datetime:
    now = escape_hatch.datetime.datetime.now(dt.UTC)
    return now.replace(tzinfo=None) if remove_tzinfo else now


def sign_with_the_real_clock() -> None:
    botocore.auth.get_current_datetime = _real_now
