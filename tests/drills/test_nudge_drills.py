"""The nudge drills, shortened: beat firing twice, and a worker killed in the middle of a batch."""

import pytest

pytestmark = pytest.mark.drills


def test_beat_firing_twice_sends_one_nudge_each(drill):
    findings = drill("double_beat", "--users", "100")

    figures = findings.figures
    assert (figures["deliveries"], figures["messages"], figures["lost"], figures["doubled"]) == (
        300,
        300,
        0,
        0,
    )
    assert findings.failures == []


def test_worker_killed_mid_batch_loses_at_most_the_nudge_each_process_was_sending(drill):
    findings = drill("worker_kill", "--users", "1500", "--kill-after", "500")

    figures = findings.figures
    assert (figures["drained"], figures["doubled"], figures["unexpected"]) == (True, 0, 0)
    # Every nudge the killed worker had not started is sent once by the next one; only the
    # one each pool process was handing over may be lost, and it is never sent again.
    assert figures["lost"] == figures["lost_in_flight"] <= figures["killed"] == 2
    assert findings.failures == []
