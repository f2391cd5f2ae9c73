"""Follow-ups must change something: an off-topic question inside a conversation is not
answered with the previous result (that would be a silent guess)."""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood
from tests import fixtures_copilot as fx

AS_OF = fx.AS_OF
retail_lake, copilot_settings, copilot = fx.retail_lake, fx.copilot_settings, fx.copilot

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("question", ["what is the meaning of life", "hello there", "and?"])
def test_off_topic_follow_up_is_not_understood(copilot, question):
    first = copilot.ask("revenue by month for 2025", user_id="anna", as_of=AS_OF)
    with pytest.raises(NotUnderstood):
        copilot.ask(question, conversation_id=first.conversation_id, user_id="anna", as_of=AS_OF)


@pytest.mark.parametrize("question, fragment", [
    ("and in 2024?", "2024-01-01"),
    ("only web orders", "o.channel = 'web'"),
])
def test_real_follow_ups_still_merge(copilot, question, fragment):
    first = copilot.ask("revenue by month for 2025", user_id="anna", as_of=AS_OF)
    second = copilot.ask(question, conversation_id=first.conversation_id, user_id="anna", as_of=AS_OF)
    assert fragment in second.sql
