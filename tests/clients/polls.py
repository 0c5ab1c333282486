"""A poll from another server, read and answered with Mastodon.py as a
Mastodon app would: the status carries the poll with its options and
counts; a vote returns the poll as voted; a second vote is refused.

Called by tests/it/polls.rs with: the node's URL, a token, and the
question's URI. Prints one JSON object.
"""

import json
import sys
import time

from mastodon import Mastodon, MastodonAPIError

base, token, uri = sys.argv[1:4]
api = Mastodon(access_token=token, api_base_url=base)

status = None
deadline = time.time() + 30
while status is None and time.time() < deadline:
    for n in api.notifications(types=["mention"]):
        if n["status"] and n["status"]["uri"] == uri:
            status = n["status"]
    time.sleep(0.3)
assert status is not None, "the poll's status was never received"
poll = status["poll"]
assert poll is not None, status
assert [o["title"] for o in poll["options"]] == ["Samedi", "Dimanche"], poll
assert [o["votes_count"] for o in poll["options"]] == [4, 1], poll
assert poll["multiple"] is False and poll["expired"] is False and poll["voted"] is False, poll
assert api.poll(poll["id"])["id"] == poll["id"]

voted = api.poll_vote(poll["id"], [1])
assert voted["voted"] is True and voted["own_votes"] == [1], voted
assert voted["options"][1]["votes_count"] == 2 and voted["votes_count"] == 6, voted
try:
    api.poll_vote(poll["id"], [0])
    raise AssertionError("voted twice")
except MastodonAPIError as e:
    assert e.args[1] == 422, e.args
print(json.dumps({"ok": True}))
