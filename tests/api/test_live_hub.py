"""The hub's fan-out inside one worker: bounded queues, and a slow connection that is resynced
instead of waited for."""

from __future__ import annotations

import asyncio

from app.live.hub import RESYNC, Hub, Member, Outbox, state_seq
from app.live.memory import MemoryStore
from app.live.store import Audience, state_message


def test_state_messages_carry_their_number_at_a_fixed_place():
    assert state_seq(state_message(42, b'{"hash":"a"}').decode()) == 42
    assert state_seq('{"type":"poll","poll":{}}') is None


def test_a_full_queue_is_emptied_and_marked_for_a_resync():
    box = Outbox(limit=3)
    for n in range(3):
        box.put(str(n))
    box.put("3")
    assert list(box.items) == [RESYNC] and box.overflows == 1


def test_a_slow_connection_never_holds_back_the_others():
    async def run():
        store = MemoryStore()
        hub = Hub(store)
        slow, fast = Member(Outbox(4)), Member(Outbox(4))
        room = await hub.enter("ABCDEF", slow)
        await hub.enter("ABCDEF", fast)
        received = []
        for seq in range(1, 101):   # the fast one reads each, the slow one none
            hub.deliver("ABCDEF", Audience.EVERYONE, state_message(seq, b"{}"))
            received.append(state_seq(await fast.outbox.get()))
        assert received == list(range(1, 101))
        assert list(slow.outbox.items) == [RESYNC]
        catch_up = hub.catch_up(room)
        assert [state_seq(text) for text in catch_up[1:]] == [100]   # only the latest state
        hub.deliver("ABCDEF", Audience.TEACHER, b'{"type":"answered","poll":1}')
        assert not fast.changed.is_set() and len(fast.outbox.items) == 0   # students: nothing
        await hub.leave("ABCDEF", slow)
        await hub.leave("ABCDEF", fast)
        assert hub.rooms == {} and store.handlers == {}

    asyncio.run(run())


def test_older_states_are_not_sent_again():
    async def run():
        hub = Hub(MemoryStore())
        member = Member(Outbox(8), last_seq=5)
        await hub.enter("ABCDEF", member)
        hub.deliver("ABCDEF", Audience.EVERYONE, state_message(4, b"{}"))
        hub.deliver("ABCDEF", Audience.EVERYONE, state_message(6, b"{}"))
        assert [state_seq(text) for text in member.outbox.items] == [6]

    asyncio.run(run())
