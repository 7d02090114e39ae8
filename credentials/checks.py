"""`manage.py check --deploy`: the signing key must live outside the code, where a deployment
keeps and backs it up (registered in CredentialsConfig.ready)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_signing_key_path(app_configs=None, **kwargs) -> list[CheckMessage]:
    path = Path(settings.CREDENTIALS_SIGNING_KEY_PATH).resolve()
    if not path.is_relative_to(Path(settings.BASE_DIR).resolve()):
        return []
    return [
        Warning(
            f"CREDENTIALS_SIGNING_KEY_PATH is {path}, inside the code's folder: a new release "
            "or a fresh checkout would make a new key there, and credentials signed with the "
            "old one could no longer be issued from it.",
            hint="Set CREDENTIALS_SIGNING_KEY_PATH to a file kept outside the code and backed "
            "up, e.g. /var/lib/cpd-portal/keys/credentials-signing-key.pem.",
            id="credentials.W001",
        )
    ]
