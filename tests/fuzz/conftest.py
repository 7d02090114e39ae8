# The programmes tests' small world: a leader, a cohort, a student with entries and a
# submission in review, so every form has something of its own to act on.
from tests.programmes.conftest import world  # noqa: F401
