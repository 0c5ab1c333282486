"""Web Push end to end, as a Mastodon app subscribes: Mastodon.py makes the
browser-side keys and the subscription; this script also plays the push
service, on a local port: it checks the VAPID token (ES256, for its own
origin, signed by the key the node publishes) and decrypts each message
(RFC 8291, aes128gcm) with the private key only the subscriber holds.

Called by tests/it/push.rs with: the node's URL, Alice's token (with the
push scope), Bob's token, Alice's username. Prints one JSON line.
"""

import base64
import json
import queue
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from mastodon import Mastodon
from mastodon.errors import MastodonAPIError, MastodonNotFoundError

base, alice_token, bob_token, alice_name = sys.argv[1:5]
alice = Mastodon(access_token=alice_token, api_base_url=base)
bob = Mastodon(access_token=bob_token, api_base_url=base)
received = queue.Queue()


def b64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService(BaseHTTPRequestHandler):
    status = 201

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        received.put((self.path, dict(self.headers), body))
        self.send_response(PushService.status)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), PushService)
threading.Thread(target=server.serve_forever, daemon=True).start()
endpoint = f"http://127.0.0.1:{server.server_port}/push/alice"

# Bad input first: nothing is stored.
for bad in [
    {"pubkey": b"\x04" + b"\x01" * 10, "auth": b"0123456789abcdef"},
    {"pubkey": b"\x04" + b"\x01" * 64, "auth": b"short"},
]:
    try:
        alice.push_subscription_set(endpoint, bad, mention_events=True)
        raise AssertionError("a malformed key was accepted")
    except MastodonAPIError as e:
        assert "422" in str(e) or getattr(e, "args", [None, 422])[1] == 422, e
try:
    alice.push_subscription()
    raise AssertionError("a refused subscription was stored")
except MastodonNotFoundError:
    pass

private, public = alice.push_subscription_generate_keys()
sub = alice.push_subscription_set(endpoint, public, mention_events=True, follow_events=False)
assert sub["endpoint"] == endpoint, sub
assert sub["alerts"]["mention"] is True and sub["alerts"]["follow"] is False, sub
server_key = alice.instance_v2()["configuration"]["vapid"]["public_key"]
assert server_key and sub["server_key"] == server_key, (sub, server_key)
assert alice.push_subscription()["id"] == sub["id"]

bob.status_post(f"@{alice_name} Le pressoir est libre samedi ?", visibility="direct")
path, headers, body = received.get(timeout=30)
headers = {k.lower(): v for k, v in headers.items()}
assert path == "/push/alice", path
assert headers["content-encoding"] == "aes128gcm", headers
assert int(headers["ttl"]) > 0, headers

# VAPID: t=JWT, k=the key the node publishes; the token is for our origin.
scheme, _, params = headers["authorization"].partition(" ")
assert scheme == "vapid", headers["authorization"]
fields = dict(p.strip().split("=", 1) for p in params.split(","))
assert fields["k"] == server_key, (fields, server_key)
head, claims, signature = fields["t"].split(".")
claims = json.loads(b64(claims))
assert claims["aud"] == f"http://127.0.0.1:{server.server_port}", claims
assert claims["exp"] > time.time(), claims
raw = b64(signature)
der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
vapid_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64(server_key))
try:
    vapid_key.verify(der, f"{head}.{fields['t'].split('.')[1]}".encode(), ec.ECDSA(hashes.SHA256()))
except InvalidSignature:
    raise AssertionError("the VAPID token's signature does not verify")

receiver = ec.derive_private_key(private["privkey"], ec.SECP256R1())
clear = http_ece.decrypt(body, private_key=receiver, auth_secret=private["auth"], version="aes128gcm")
push = json.loads(clear)
assert push["notification_type"] == "mention", push
assert "pressoir" in push["body"], push
notification = alice.notifications()[0]
assert str(notification["id"]) == push["notification_id"], (notification["id"], push)

# Follow alerts are off: a follow is not pushed.
bob.account_follow(alice.me()["id"])
time.sleep(2)
assert received.empty(), "a follow was pushed though its alert is off"

# Changing the alerts through PUT: follows are now pushed.
changed = alice.push_subscription_update(follow_events=True)
assert changed["alerts"]["follow"] is True and changed["alerts"]["mention"] is True, changed
bob.account_unfollow(alice.me()["id"])
bob.account_follow(alice.me()["id"])
_, _, body = received.get(timeout=30)
push = json.loads(http_ece.decrypt(body, private_key=receiver, auth_secret=private["auth"], version="aes128gcm"))
assert push["notification_type"] == "follow", push

# A push service that answers 410 has forgotten the subscription: so do we.
PushService.status = 410
bob.status_post(f"@{alice_name} Et dimanche ?", visibility="direct")
received.get(timeout=30)
deadline = time.time() + 10
gone = False
while time.time() < deadline and not gone:
    try:
        alice.push_subscription()
        time.sleep(0.3)
    except MastodonNotFoundError:
        gone = True
assert gone, "the subscription outlived a 410"

sub = alice.push_subscription_set(endpoint, public, mention_events=True)
alice.push_subscription_delete()
try:
    alice.push_subscription()
    raise AssertionError("a deleted subscription is still there")
except MastodonNotFoundError:
    pass
print(json.dumps({"ok": True}))
