"""Capability frameworks come from portfolio/data/frameworks.json, not from code."""

import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "frameworks.json"


def load_framework_data(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["frameworks"]


def sync_frameworks(framework_model, capability_model, data: list[dict[str, Any]]) -> int:
    """Create or update every framework and capability in ``data``; returns how many
    capabilities it wrote. Takes the model classes so that a migration can pass its
    historical models. Capabilities no longer in the data are kept: entries may map to them."""
    written = 0
    for framework_position, item in enumerate(data, start=1):
        framework, _ = framework_model.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "short_name": item["short_name"],
                "description": item.get("description", ""),
                "source_url": item.get("source_url", ""),
                "position": item.get("position", framework_position),
            },
        )
        for position, capability in enumerate(item["capabilities"], start=1):
            capability_model.objects.update_or_create(
                framework=framework,
                code=capability["code"],
                defaults={
                    "name": capability["name"],
                    "description": capability.get("description", ""),
                    "position": position,
                },
            )
            written += 1
    return written
