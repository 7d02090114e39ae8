"""The portal's settings (read from the environment as ever) with the floor page added."""

from cpd_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
