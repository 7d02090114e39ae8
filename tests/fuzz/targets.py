"""The forms and API operations the fuzz and the out-of-range id tests send to, each as the
user it belongs to: where it is, how it is sent and which fields it reads."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.tokens import create_token

ENTRY_FIELDS = [
    "title",
    "activity_type",
    "platform",
    "url",
    "occurred_on",
    "duration",
    "hashtag",
    "what_happened",
    "what_learned",
    "impact",
    "is_peer_reflected",
    "peer_role",
    "peer_learning",
    "capabilities",
    "tag_names",
    "resource",
    "confirm_no_identifying_details",
    "action",
]


@dataclass(frozen=True)
class Target:
    name: str
    method: str  # get, post, or json-post / json-patch for the API and the capture sync
    url: Callable[[Any], str]  # from the world
    fields: tuple[str, ...]
    actor: str = "student"  # or "leader"
    api: bool = False
    files: tuple[str, ...] = ()

    def client(self, world) -> Client:
        user = getattr(world, self.actor)
        if self.api:
            client = APIClient()
            secret = create_token(user, name="Fuzz", scope="write")[1]
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
            return client
        client = Client()
        client.force_login(user)
        return client

    def send(self, client: Client, world, data: dict[str, Any]):
        url = self.url(world)
        if self.method == "get":
            return client.get(url, data)
        if self.method.startswith("json-"):
            verb = self.method.removeprefix("json-")
            return getattr(client, verb)(url, json.dumps(data), content_type="application/json")
        form = dict(data)
        for name in self.files:
            if name in form:
                form[name] = SimpleUploadedFile(str(form[name])[:200] or "f", b"%PDF-1.4\n")
        return client.post(url, form)


TARGETS = [
    Target(
        "entry create",
        "post",
        lambda w: reverse("portfolio:entry_create"),
        (*ENTRY_FIELDS, "evidence"),
        files=("evidence",),
    ),
    Target(
        "entry edit",
        "post",
        lambda w: reverse("portfolio:entry_edit", args=[w.entry.pk]),
        (*ENTRY_FIELDS, "remove_evidence"),
    ),
    Target(
        "evidence pack request",
        "post",
        lambda w: reverse("packs:list"),
        ("include", "entries", "period", "start", "end"),
    ),
    Target(
        "quick capture",
        "post",
        lambda w: reverse("capture:capture"),
        ("client_id", "title", "url", "activity_type", "occurred_on", "duration", "note"),
    ),
    Target(
        "capture card",
        "post",
        lambda w: reverse("capture:link"),
        ("client_id", "title", "url", "activity_type", "occurred_on"),
    ),
    Target(
        "quick capture sync",
        "json-post",
        lambda w: reverse("capture:sync"),
        ("client_id", "title", "url", "activity_type", "occurred_on", "duration", "note"),
    ),
    Target(
        "import upload",
        "post",
        lambda w: reverse("imports:list"),
        ("source", "file", "feed_url", "own_feed"),
        files=("file",),
    ),
    Target(
        "programme invitation",
        "post",
        lambda w: reverse("programmes:invite", args=[w.cohort.pk]),
        ("emails",),
        actor="leader",
    ),
    Target(
        "comment",
        "post",
        lambda w: reverse("programmes:comment_create", args=[w.submission.pk]),
        ("text", "entry"),
        actor="leader",
    ),
    Target(
        "library filters",
        "get",
        lambda w: reverse("resources:resource_list"),
        ("q", "kind", "tag", "capability", "page"),
    ),
    Target(
        "log filters",
        "get",
        lambda w: reverse("portfolio:entry_list"),
        (
            "q",
            "activity_type",
            "capability",
            "tag",
            "year",
            "date_from",
            "date_to",
            "status",
            "page",
        ),
    ),
    Target(
        "API activities list and filters",
        "get",
        lambda w: "/api/v1/activities/",
        (
            "capability",
            "tag",
            "platform",
            "updated_since",
            "year",
            "date_from",
            "date_to",
            "status",
            "q",
            "page",
            "page_size",
        ),
        api=True,
    ),
    Target(
        "API activity create",
        "json-post",
        lambda w: "/api/v1/activities/",
        (
            "client_id",
            "status",
            "title",
            "activity_type",
            "platform",
            "url",
            "occurred_on",
            "duration_minutes",
            "what_happened",
            "what_learned",
            "impact",
            "is_peer_reflected",
            "capabilities",
            "tags",
            "resource",
            "confirm_no_identifying_details",
        ),
        api=True,
    ),
    Target(
        "API activity update",
        "json-patch",
        lambda w: f"/api/v1/activities/{w.entry.pk}/",
        ("status", "title", "occurred_on", "duration_minutes", "capabilities", "tags", "resource"),
        api=True,
    ),
    Target(
        "API resources and capabilities filters",
        "get",
        lambda w: "/api/v1/resources/",
        ("q", "kind", "tag", "capability", "page", "page_size"),
        api=True,
    ),
]
