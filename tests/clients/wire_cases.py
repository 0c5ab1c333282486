"""Prints, as one JSON list, the activities of two third-party suites of
fediverse payloads, built by their own code for a given sender and
receiver (tests/it/interop.rs delivers them, signed, to a node):

- fediverse-pasture-inputs: each example object, sent as the pasture's
  ActivitySender would (its Create, its @context), its transport replaced
  by a recorder;
- funfedi-parsing-test-cases: each case of its Activities, Events, Notes
  and Polls suites, made for the same sender and receiver.

Usage: wire_cases.py SENDER_ACTOR SECOND_ACTOR RECEIVER_ACTOR
The examples' own actor (http://pasture-one-actor/actor, /second) is
replaced by SENDER_ACTOR and SECOND_ACTOR, so that ids and authors sit on
the sender's host as on a real server.
"""

import asyncio
import json
import sys
from unittest.mock import AsyncMock, MagicMock

import funfedi_parsing_test_cases as funfedi
from fediverse_pasture.runner import ActivitySender
from fediverse_pasture_inputs import available
from funfedi_parsing_test_cases.types import Environment

PASTURE_ACTOR = "http://pasture-one-actor/actor"
PASTURE_SECOND = "http://pasture-one-actor/second"


def with_our_actors(example, sender, second):
    text = json.dumps(example)
    text = text.replace(PASTURE_SECOND, second).replace(PASTURE_ACTOR, sender)
    return json.loads(text)


async def pasture_activity(sender, receiver, example):
    actor = MagicMock()
    actor.id = sender
    actor.build = MagicMock(return_value={"id": sender, "type": "Person"})
    transport = AsyncMock()
    transport.get = AsyncMock(return_value={"inbox": receiver + "/inbox"})
    activity_sender = ActivitySender.for_actor(transport, actor)
    activity_sender.sleep_after_getting_inbox = False
    # What the pasture's runner applies for an input: content, then the example.
    activity_sender.init_create_note(lambda note: {**note, "content": "text", **example})
    await activity_sender.send(receiver)
    return transport.post.call_args.args[1]


def pasture_cases(sender, second, receiver):
    cases = []
    for name, inputs in sorted(available.items()):
        for number, example in enumerate(inputs.examples):
            example = with_our_actors(example, sender, second)
            activity = asyncio.run(pasture_activity(sender, receiver, example))
            cases.append({"case": f"pasture/{name}/{number}", "activity": activity})
    return cases


def funfedi_cases(sender, receiver):
    env = Environment(
        sending_actor_profile={"id": sender, "type": "Person", "inbox": sender + "/inbox"},
        receiving_actor=receiver,
    )
    cases = []
    for suite in [funfedi.activity_suite, funfedi.event_suite, funfedi.notes_suite, funfedi.poll_suite]:
        for short_name, case_name in suite.names:
            made = suite.retrieve(short_name, case_name).maker.to_send(env)
            cases.append({"case": f"funfedi/{short_name}/{case_name}", "activity": made.activity})
    return cases


def main():
    sender, second, receiver = sys.argv[1:4]
    cases = pasture_cases(sender, second, receiver) + funfedi_cases(sender, receiver)
    json.dump(cases, sys.stdout)


if __name__ == "__main__":
    main()
