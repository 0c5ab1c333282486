"""Reads a calendar or a feed as a calendar app or a feed reader would:
the iCalendar with `icalendar` (RFC 5545, time zones resolved from the
file's own VTIMEZONE), the Atom with `feedparser`. Prints one JSON line.

Called by tests/it/calendars.rs with: `ics` or `atom`, then the URL.
"""

import json
import sys
import urllib.request

kind, url = sys.argv[1:3]
with urllib.request.urlopen(url) as response:
    content_type = response.headers.get("Content-Type", "")
    body = response.read()

if kind == "ics":
    import icalendar

    calendar = icalendar.Calendar.from_ical(body)
    events = []
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        events.append({
            "summary": str(event.get("SUMMARY")),
            "location": str(event.get("LOCATION", "")),
            "start_local": start.strftime("%Y-%m-%dT%H:%M"),
            "start_offset": start.strftime("%z"),
            "start_utc": start.astimezone(__import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M"),
            "tzid": event["DTSTART"].params.get("TZID", ""),
            "uid": str(event.get("UID")),
        })
    print(json.dumps({"content_type": content_type, "name": str(calendar.get("X-WR-CALNAME", "")), "events": events}))
else:
    import feedparser

    feed = feedparser.parse(body)
    print(json.dumps({
        "content_type": content_type,
        "bozo": bool(feed.bozo),
        "error": str(feed.get("bozo_exception", "")),
        "title": feed.feed.get("title", ""),
        "entries": [{"title": e.get("title", ""), "id": e.get("id", ""), "link": e.get("link", "")} for e in feed.entries],
    }))
