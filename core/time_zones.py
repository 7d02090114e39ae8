"""The time zone a user reads times in."""

from __future__ import annotations

LONDON = "Europe/London"


def viewer_time_zone(user) -> str:
    """The zone a user reads times in: their profile's, or London's for anyone else."""
    return getattr(user, "time_zone", "") or LONDON
