"""Parsing uploaded XML (feeds, Leap2A) with defusedxml, so that a file declaring entities
(the "billion laughs", or an external entity reading /etc/passwd) is refused, never expanded."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from .base import ImportRejected


def parse_xml(data: bytes, what: str) -> Element:
    """The document's root element; ``what`` names the expected file in the messages
    ("a feed", "a Leap2A file")."""
    try:
        return defusedxml.ElementTree.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise ImportRejected(
            f"This is not {what} we can read: it declares its own entities, which it never "
            "needs and which can be used to attack the server."
        ) from error
    except ParseError as error:
        raise ImportRejected(
            f"This is not {what} we can read: the XML is damaged ({error})."
        ) from error
    except (LookupError, ValueError) as error:  # an encoding Python does not know
        raise ImportRejected(f"This is not {what} we can read: {error}.") from error
