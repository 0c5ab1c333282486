"""A profile picture and header set with Mastodon.py, as apps set them
(`update_credentials` with files): the account then shows them, served by
the node, upright and without metadata.

Called by tests/it/media.rs with: the node's URL, a token, a folder.
Prints one JSON object.
"""

import io
import json
import os
import sys

import requests
from mastodon import Mastodon
from PIL import Image

base, token, folder = sys.argv[1:4]
api = Mastodon(access_token=token, api_base_url=base)

face = os.path.join(folder, "visage.png")
Image.new("RGBA", (300, 300), (240, 180, 120, 255)).save(face)
banner = os.path.join(folder, "bandeau.jpg")
Image.new("RGB", (1500, 500), (40, 120, 60)).save(banner, quality=90)
me = api.account_update_credentials(display_name="Alice des Vergers", avatar=face, header=banner)
assert me["display_name"] == "Alice des Vergers", me
for key, size in (("avatar", (300, 300)), ("header", (1500, 500))):
    url = me[key]
    assert url.startswith(base + "/media/"), me
    got = requests.get(url, timeout=30)
    assert got.status_code == 200, (url, got.status_code)
    assert Image.open(io.BytesIO(got.content)).size == size, key
print(json.dumps({"ok": True, "avatar": me["avatar"], "header": me["header"]}))
