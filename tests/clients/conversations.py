"""Two people on two nodes talk in private with Mastodon.py, as Tusky or
Elk would: each reads their conversations (`/api/v1/conversations`) and
answers the last message with a direct status, three times each way.

Called by tests/it/conversations.rs with: node A's URL, Alice's token there,
node B's URL, Bob's token there, Bob's handle and Alice's handle.
"""

import json
import sys
import time

from mastodon import Mastodon

base_a, token_a, base_b, token_b, bob_acct, alice_acct = sys.argv[1:7]
alice = Mastodon(access_token=token_a, api_base_url=base_a)
bob = Mastodon(access_token=token_b, api_base_url=base_b)


def eventually(what, check, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def with_(api, acct):
    found = [c for c in api.conversations() if any(a["acct"] == acct for a in c["accounts"])]
    assert len(found) <= 1, f"one conversation per exchange, not {len(found)}"
    return found[0] if found else None


def ends_with(api, acct, text):
    c = with_(api, acct)
    return c if c and c["last_status"] and text in c["last_status"]["content"] else None


for i in range(1, 4):
    ca = eventually("alice's conversation with bob", lambda: with_(alice, bob_acct))
    sent = alice.status_post(f"@{bob_acct} Message {i} d'Alice", visibility="direct", in_reply_to_id=ca["last_status"]["id"])
    assert sent["visibility"] == "direct", sent
    cb = eventually(f"bob receives message {i}", lambda: ends_with(bob, alice_acct, f"Message {i} d&#39;Alice") or ends_with(bob, alice_acct, f"Message {i} d'Alice"))
    assert cb["unread"] is True, cb
    assert cb["last_status"]["visibility"] == "direct", cb["last_status"]
    bob.status_post(f"@{alice_acct} Message {i} de Bob", visibility="direct", in_reply_to_id=cb["last_status"]["id"])
    eventually(f"alice receives bob's message {i}", lambda: ends_with(alice, bob_acct, f"Message {i} de Bob"))

ca, cb = with_(alice, bob_acct), with_(bob, alice_acct)
read = bob.conversations_read(cb["id"])
assert read["unread"] is False, read
assert with_(bob, alice_acct)["unread"] is False
thread = alice.status_context(ca["last_status"]["id"])
texts = " ".join(s["content"] for s in thread["ancestors"]) + ca["last_status"]["content"]
for i in range(1, 4):
    assert f"Message {i} de Bob" in texts, texts
print(json.dumps({"ok": True, "alice_conversation": ca["id"], "bob_conversation": cb["id"]}))
