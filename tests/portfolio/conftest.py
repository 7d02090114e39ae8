"""What the portfolio's tests share."""

import datetime as dt

import pytest
from django.utils import timezone

from portfolio.models import Capability


@pytest.fixture
def form_data():
    return {
        "title": "#SWSCmedia chat on social media in education",
        "activity_type": "live_chat",
        "platform": "x",
        "occurred_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "duration": "1h",
        "hashtag": "#SWSCmedia",
        "what_happened": "Joined the hour-long chat with students and academics.",
        "what_learned": "Students want practitioners in the conversation.",
        "impact": "I will share two papers with my team each month.",
        "capabilities": [
            Capability.objects.get(code="PCF5").pk,
            Capability.objects.get(code="SWE4").pk,
        ],
        "tag_names": "social media, #Education, social media",
        "action": "complete",
    }
