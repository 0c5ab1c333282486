"""Photos through Mastodon.py, as Tusky or Elk send them: a photo taken
sideways with a GPS position is uploaded with its alt text and focal
point, attached to a status and to a listing; what the node stores is read
back with Pillow (upright, no EXIF left, a preview). A decompression bomb
and a file lying about its type are refused with 422.

Called by tests/it/media.rs with: the node's URL, a token, and a folder
to write the pictures in. Prints one JSON object.
"""

import io
import json
import os
import sys

import requests
from mastodon import Mastodon, MastodonAPIError
from PIL import ExifTags, Image

base, token, folder = sys.argv[1:4]
api = Mastodon(access_token=token, api_base_url=base)


def sideways_photo(path):
    # As the sensor saw it: 400 wide, 200 high, red on the left. The phone
    # was turned: EXIF says to rotate 90° clockwise (orientation 6), so the
    # picture shows 200 wide, 400 high, red on top.
    picture = Image.new("RGB", (400, 200), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (44.0, 45.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (5.0, 22.0, 8.0),
    }
    picture.save(path, "JPEG", exif=exif.tobytes(), quality=92)
    back = Image.open(path)
    assert back.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo carries a GPS position"


def fetch(url):
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response


def check_stored(media):
    assert media["type"] == "image", media
    assert media["blurhash"], media
    assert media["meta"]["original"]["width"] == 200 and media["meta"]["original"]["height"] == 400, media
    stored = fetch(media["url"])
    assert stored.headers["Content-Type"] == "image/jpeg", stored.headers
    assert "immutable" in stored.headers.get("Cache-Control", ""), stored.headers
    picture = Image.open(io.BytesIO(stored.content))
    assert picture.size == (200, 400), picture.size
    assert len(picture.getexif()) == 0, f"EXIF left: {dict(picture.getexif())}"
    assert "exif" not in picture.info, picture.info.keys()
    red, _, blue = picture.getpixel((100, 50))
    assert red > 200 and blue < 60, f"upright: red on top, found {picture.getpixel((100, 50))}"
    preview = Image.open(io.BytesIO(fetch(media["preview_url"]).content))
    assert max(preview.size) <= 640 and len(preview.getexif()) == 0, preview.size


def refused(path, mime):
    try:
        api.media_post(path, mime_type=mime)
    except MastodonAPIError as e:
        assert e.args[1] == 422, e.args
        return str(e.args[-1])
    raise AssertionError(f"{path} was accepted")


photo = os.path.join(folder, "perceuse.jpg")
sideways_photo(photo)
first = api.media_post(photo, mime_type="image/jpeg", description="Une perceuse rouge et bleue", focus=(0.1, -0.2))
check_stored(first)
assert first["description"] == "Une perceuse rouge et bleue" and first["meta"]["focus"]["x"] == 0.1, first
assert api.media(first["id"])["id"] == first["id"]
changed = api.media_update(first["id"], description="Perceuse sans fil")
assert changed["description"] == "Perceuse sans fil", changed
status = api.status_post("Ma perceuse est prête #outils", media_ids=[first["id"]])
assert [m["id"] for m in status["media_attachments"]] == [first["id"]], status
assert api.status(status["id"])["media_attachments"][0]["blurhash"] == first["blurhash"]

photos = [api.media_post(photo, mime_type="image/jpeg", description=f"Photo {i}") for i in (1, 2)]
listing = requests.post(
    f"{base}/api/v1/listings",
    headers={"Authorization": f"Bearer {token}"},
    json={
        "kind": "offer", "category": "goods", "title": "Perceuse à prêter",
        "description": "Une perceuse sans fil, avec deux batteries.", "tags": ["outils"],
        "place": {"name": "Die", "lat": 44.7537, "lon": 5.3703}, "radius_km": 20.0,
        "terms": {"mode": "loan"}, "visibility": "public",
        # The second photo first: the order given is kept.
        "media_ids": [photos[1]["id"], photos[0]["id"]],
    },
    timeout=30,
)
assert listing.status_code == 200, listing.text
listing = listing.json()
assert [m["description"] for m in listing["media_attachments"]] == ["Photo 2", "Photo 1"], listing

# Attached media cannot be attached again by another post, nor deleted.
try:
    api.status_post("Encore", media_ids=[first["id"]])
    raise AssertionError("media attached twice")
except MastodonAPIError as e:
    assert e.args[1] == 422, e.args
spare = api.media_post(photo, mime_type="image/jpeg")
deleted = requests.delete(f"{base}/api/v1/media/{spare['id']}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
assert deleted.status_code == 200, deleted.text
assert requests.get(spare["url"], timeout=30).status_code == 404

# A PNG whose header says 10,000 x 10,000 pixels, a few KB long, and an
# HTML page sent as a JPEG.
bomb = os.path.join(folder, "bomb.png")
import struct
import zlib

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

row = b"\x00" + b"\x00" * 10_000
squeezed = zlib.compressobj(9)
idat = squeezed.compress(row * 200) + squeezed.flush()
with open(bomb, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 10_000, 10_000, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
assert os.path.getsize(bomb) < 64 * 1024
liar = os.path.join(folder, "photo.jpg")
with open(liar, "wb") as f:
    f.write(b"<html><body><script>alert(1)</script></body></html>")

print(json.dumps({
    "ok": True,
    "status_uri": status["uri"],
    "listing_uri": listing["uri"],
    "bomb": refused(bomb, "image/png"),
    "liar": refused(liar, "image/jpeg"),
    "blurhash": first["blurhash"],
}))
