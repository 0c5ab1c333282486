"""A real SMTP server (aiosmtpd) for the mail tests and the benchmark.

    python smtp_sink.py PORT DIR [raw]

Listens on 127.0.0.1:PORT; every message accepted is written to DIR as
NAME.json (envelope, headers, decoded plain-text and HTML bodies) after
its raw NAME.eml, each renamed into place only once complete, so that a
reader never sees half a file. With `raw` (the benchmark), only the
.eml is written. Prints "ready" once listening.
"""

import asyncio
import email
import email.policy
import json
import os
import sys
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, raw):
        self.directory = directory
        self.raw = raw

    def _write(self, name, data):
        path = os.path.join(self.directory, name)
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.rename(path + ".tmp", path)

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        name = uuid.uuid4().hex
        if self.raw:
            self._write(name + ".eml", raw)
            return "250 Message accepted for delivery"
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        plain = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {k: str(v) for k, v in msg.items()},
            "text": plain.get_content() if plain is not None else "",
            "html": html.get_content() if html is not None else "",
        }
        self._write(name + ".eml", raw)
        self._write(name + ".json", json.dumps(record).encode())
        return "250 Message accepted for delivery"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    raw = sys.argv[3:] == ["raw"]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory, raw), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
