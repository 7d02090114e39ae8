"""An id no row can have (2**63 and more, far below zero, thousands of digits), wherever a form
or an API call takes one, is a form error or a 4xx, never a 500. SQLite is where it broke
("Python int too large to convert to SQLite INTEGER"): run these without DATABASE_URL too."""

from __future__ import annotations

import pytest

from .targets import TARGETS

pytestmark = pytest.mark.calendar  # the world's entries are dated today

OUT_OF_RANGE = [str(2**63), str(2**70), "1180591620717411303424", str(-(2**63) - 1), "9" * 5000]
ID_FIELDS = {"capabilities", "entries", "remove_evidence", "entry", "resource", "tag", "capability"}
ID_TARGETS = [target for target in TARGETS if ID_FIELDS.intersection(target.fields)]


@pytest.mark.parametrize("target", ID_TARGETS, ids=lambda t: t.name)
@pytest.mark.parametrize(
    "value", OUT_OF_RANGE, ids=["2**63", "2**70", "2**70 again", "-2**63-1", "5000 digits"]
)
def test_an_id_no_row_can_have_is_never_a_server_error(target, value, world):
    fields = ID_FIELDS.intersection(target.fields)
    client = target.client(world)
    if target.method.startswith("json-"):  # a number in JSON, unless too long for Python to read
        value = int(value) if len(value) < 4000 else value
    data = {name: [value] if name == "capabilities" else value for name in fields}

    response = target.send(client, world, data)

    assert response.status_code < 500
