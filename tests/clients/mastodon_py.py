"""Drives a Maillage node with Mastodon.py, as a bot or an app would.

Called by tests/clients.rs with: the node's URL, a second node's URL, the
handle of a group there, the token of its member who publishes for it, and
the token of a local person who will follow the newcomer. Exits non-zero
(with the failed assertion) when anything is not as Mastodon would answer.
"""

import json
import sys
import time

import requests
from mastodon import Mastodon, MastodonAPIError

base, other, group_handle, publisher_token, follower_token = sys.argv[1:6]


def eventually(what, check, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


client_id, client_secret = Mastodon.create_app("maillage-client-test", api_base_url=base, scopes=["read", "write", "follow", "push"])
api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
instance = api.instance()
assert "Maillage" in instance["version"], instance["version"]

# Register, then log in with the e-mail address and the password.
api.create_account("nora", "a long enough password", "nora@example.org", agreement=True, locale="fr")
# Plain http on localhost: the library asks to be told that it is meant.
token = api.log_in("nora@example.org", "a long enough password", scopes=["read", "write", "follow", "push"], allow_http=True)
nora = Mastodon(client_id=client_id, client_secret=client_secret, access_token=token, api_base_url=base)
me = nora.account_verify_credentials()
assert me["username"] == "nora", me

posted = nora.status_post("Bonjour le territoire ! #jardins", visibility="public")
assert nora.status(posted["id"])["content"].startswith("<p>Bonjour"), posted
assert posted["tags"][0]["name"] == "jardins", posted["tags"]

# Resolve the group on the other node and follow it.
found = nora.search_v2(group_handle, resolve=True, result_type="accounts")
group = found["accounts"][0]
assert group["group"] is True, group
nora.account_follow(group["id"])
eventually("the group's acceptance", lambda: nora.account_relationships(group["id"])[0]["following"])

# The group's member publishes an offer in the group, and a post that
# mentions it: the group shares the post with its followers.
headers = {"Authorization": f"Bearer {publisher_token}"}
group_id = requests.get(f"{other}/api/v1/accounts/lookup", params={"acct": group_handle.split("@")[0]}, headers=headers).json()["id"]
offer = requests.post(f"{other}/api/v1/listings", headers=headers, json={
    "kind": "offer", "category": "food", "title": "Plants de tomates à donner",
    "description": "Des plants de tomates anciennes, à venir chercher au jardin partagé",
    "tags": ["tomates", "jardin"], "place": {"name": "Jardin partagé", "lat": 46.54, "lon": 2.43},
    "radius_km": 20, "terms": {"mode": "gift"}, "visibility": "public", "group_id": group_id,
})
assert offer.status_code == 200, offer.text
offer = offer.json()
shared = requests.post(f"{other}/api/v1/statuses", headers=headers, data={"status": f"@{group_handle.split('@')[0]} Semis de tomates samedi au jardin !"})
assert shared.status_code == 200, shared.text


def in_home():
    return [s for s in nora.timeline_home() if "Semis de tomates" in ((s.get("reblog") or s)["content"])]


eventually("the group's post in the home timeline", in_home)


def listing_in_home():
    return [s for s in nora.timeline_home() if "Plants de tomates à donner" in ((s.get("reblog") or s)["content"])]


# The group's offer is a status too, which reads well in any app.
listing = eventually("the group's offer in the home timeline", listing_in_home)[0]
listing = listing.get("reblog") or listing
for fact in ["Offre", "Jardin partagé", "don", "#tomates"]:
    assert fact in listing["content"], (fact, listing["content"])
assert listing["uri"] == offer["uri"], (listing["uri"], offer["uri"])
nora.status_bookmark(listing["id"])
assert [s["id"] for s in nora.bookmarks()] == [listing["id"]]
assert nora.status(listing["id"])["bookmarked"] is True
nora.status_favourite(listing["id"])

# Where nora stopped reading, kept for her other devices.
nora.markers_set(["home"], [listing["id"]])
assert nora.markers_get(["home"])["home"]["last_read_id"] == str(listing["id"])

# Followers-only is Mastodon's "private", both ways.
private = nora.status_post("Pour mes abonnés seulement", visibility="private")
assert private["visibility"] == "private", private["visibility"]

# The public timeline needs no token where the node allows previews.
anonymous = Mastodon(api_base_url=base)
assert any(s["id"] == posted["id"] for s in anonymous.timeline_public(local=True))

# A follower, and a match for a need of nora's.
follower = Mastodon(access_token=follower_token, api_base_url=base)
follower.account_follow(me["id"])
need = requests.post(f"{base}/api/v1/listings", headers={"Authorization": f"Bearer {token}"}, json={
    "kind": "need", "category": "food", "title": "Je cherche des plants de tomates",
    "description": "Pour mon potager, des plants de tomates", "tags": ["tomates"],
    "place": {"name": "Centre", "lat": 46.55, "lon": 2.44}, "radius_km": 10, "terms": {"mode": "gift"},
    "visibility": "public",
})
assert need.status_code == 200, need.text


def kinds():
    return {(n["type"], n.get("maillage_reason")) for n in nora.notifications()}


eventually("a follow and a match notification", lambda: {("follow", "follow"), ("mention", "match")} <= kinds())
match = [n for n in nora.notifications() if n["type"] == "mention"][0]
assert "Plants de tomates" in match["status"]["content"], match["status"]["content"]
assert match["account"]["group"] is True, "from the territory actor"

# Errors come back as Mastodon's.
try:
    nora.status(99999999)
    raise AssertionError("a missing status must be 404")
except MastodonAPIError as e:
    assert e.args[1] == 404, e.args

# Log out: the token no longer works.
nora.revoke_access_token(allow_http=True)
try:
    Mastodon(access_token=token, api_base_url=base).account_verify_credentials()
    raise AssertionError("a revoked token must be refused")
except MastodonAPIError as e:
    assert e.args[1] == 401, e.args

print(json.dumps({"ok": True, "account": me["acct"], "offer": offer["uri"]}))
