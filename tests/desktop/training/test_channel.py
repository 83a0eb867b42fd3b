"""The training process's channel: frames survive partial reads; garbage is refused."""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import threading

import numpy as np
import pytest

from desktop.training.channel import (
    HEADER,
    MAX_FRAME,
    ChannelError,
    Inbox,
    Outbox,
    read_frame,
    write_frame,
)


class Trickle(io.RawIOBase):
    """A stream that hands out at most ``step`` bytes a read, as a pipe may."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._step = data, step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        piece, self._data = self._data[: min(size, self._step)], self._data[min(size, self._step) :]
        return piece


def _frames(*messages) -> bytes:
    stream = io.BytesIO()
    for message in messages:
        write_frame(stream, message)
    return stream.getvalue()


@pytest.mark.parametrize("step", [1, 3, 4096])
def test_messages_come_through_whatever_the_pipe_hands_out(step) -> None:
    weights = np.arange(12.0).reshape(3, 4)
    stream = Trickle(_frames(("ready", 42), ("epochs", [1, 2]), ("done", weights)), step)
    assert read_frame(stream) == ("ready", 42)
    assert read_frame(stream) == ("epochs", [1, 2])
    kind, received = read_frame(stream)
    assert kind == "done" and np.array_equal(received, weights)
    with pytest.raises(EOFError):  # a clean end between frames
        read_frame(stream)


@pytest.mark.parametrize(
    "garbage",
    [
        HEADER.pack(MAX_FRAME + 1),  # a length no frame may have: refused before reading on
        HEADER.pack(100) + b"short",  # cut short
        b"\x00\x00\x00",  # a header cut short
        HEADER.pack(10) + os.urandom(10),  # not a pickle
        _frames(("fine",))[:-1],  # the last byte missing
    ],
    ids=["huge", "truncated", "torn header", "noise", "one byte short"],
)
def test_garbage_is_a_channel_error(garbage) -> None:
    with pytest.raises(ChannelError):
        read_frame(io.BytesIO(garbage))


@pytest.mark.parametrize("payload", [[1, 2], (), (3, "x"), "ready"], ids=repr)
def test_a_frame_must_hold_a_named_message(payload) -> None:
    data = pickle.dumps(payload)
    with pytest.raises(ChannelError):
        read_frame(io.BytesIO(HEADER.pack(len(data)) + data))


def test_random_bytes_never_escape_as_another_error() -> None:
    rng = np.random.default_rng(0)
    for _ in range(500):
        noise = rng.integers(0, 256, int(rng.integers(1, 64))).astype(np.uint8).tobytes()
        try:
            read_frame(io.BytesIO(noise))
        except (ChannelError, EOFError):
            pass


def test_the_inbox_hands_out_messages_then_the_end() -> None:
    reader, writer = os.pipe()
    with os.fdopen(reader, "rb") as incoming:
        inbox = Inbox(incoming)
        assert inbox.get(0.05) is None  # nothing yet
        with os.fdopen(writer, "wb") as outgoing:
            write_frame(outgoing, ("status", "hello"))
        assert inbox.get(5) == ("status", "hello")
        for _ in range(2):  # the end is said every time after
            with pytest.raises(EOFError):
                inbox.get(5)


def test_sending_never_blocks_though_nobody_reads() -> None:
    reader, writer = os.pipe()
    incoming, outgoing = os.fdopen(reader, "rb"), os.fdopen(writer, "wb")
    outbox = Outbox(outgoing)
    sent = threading.Event()

    def flood() -> None:
        for _ in range(20_000):  # far more than a pipe holds
            outbox.put(("pause",))
        sent.set()

    threading.Thread(target=flood, daemon=True).start()
    assert sent.wait(30), "put() blocked on a full pipe"
    outbox.close()
    incoming.close()  # the writer thread's blocked write fails, and the thread ends
    for thread in threading.enumerate():
        if thread.name == "outbox":
            thread.join(5)
    with contextlib.suppress(BrokenPipeError):
        outgoing.close()  # what the thread had buffered cannot go anywhere now
