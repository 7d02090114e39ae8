class ConfirmationRefused(Exception):
    """Something asked of a peer confirmation that cannot be done, with the reason in words
    the person reads."""


class LinkUnusable(ConfirmationRefused):
    """The link can no longer be answered by anyone (answered, withdrawn, expired, locked)."""


class WrongAddress(ConfirmationRefused):
    """The address typed on the link's page is not the one the link was sent to."""
