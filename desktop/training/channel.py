"""Messages between the window and the training process, over the child's standard pipes.

A message is a tuple whose first item names it (``("epochs", [...])``), sent as one frame:
an 8-byte big-endian length, then the pickled tuple. Only blocking reads and writes on
the pipes ``subprocess`` gives, each side's in threads of their own: no ``select``, no
file descriptors handed over, so the same code serves Linux, macOS and Windows.

Robust to garbage: a length beyond :data:`MAX_FRAME`, a frame cut short, or bytes that do
not unpickle to such a tuple end the channel with :class:`ChannelError`; nothing is
allocated for a length before it is checked. Both sides trust each other's pickles (the
same program, started by the window), as ``multiprocessing`` does.
"""

from __future__ import annotations

import pickle
import queue
import struct
import threading
import time
from typing import IO, Any

HEADER = struct.Struct(">Q")
MAX_FRAME = 1 << 31  # 2 GiB: far above any model the form allows
CHUNK = 1 << 20  # a frame is read in pieces of at most this, so a lie costs nothing

Message = tuple[Any, ...]


class ChannelError(Exception):
    """The other side sent something that is not a message."""


def write_frame(stream: IO[bytes], message: Message) -> None:
    """Write ``message`` as one frame and flush it."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Message:
    """The next message; :class:`EOFError` at a clean end, :class:`ChannelError` else."""
    header = _read_exactly(stream, HEADER.size, at_start=True)
    (length,) = HEADER.unpack(header)
    if length > MAX_FRAME:
        raise ChannelError(f"a frame of {length:,} bytes was announced (at most {MAX_FRAME:,})")
    data = _read_exactly(stream, length, at_start=False)
    try:
        message = pickle.loads(data)
    except Exception as error:  # garbage may fail in any way
        raise ChannelError(f"a frame could not be read ({type(error).__name__})") from None
    if not isinstance(message, tuple) or not message or not isinstance(message[0], str):
        raise ChannelError(f"a frame held {type(message).__name__}, not a message")
    return message


def _read_exactly(stream: IO[bytes], size: int, *, at_start: bool) -> bytes:
    pieces, left = [], size
    while left:
        piece = stream.read(min(left, CHUNK))
        if not piece:
            if at_start and left == size:
                raise EOFError("the other side closed the channel")
            raise ChannelError(f"a frame was cut short ({size - left} of {size} bytes)")
        pieces.append(piece)
        left -= len(piece)
    return b"".join(pieces)


class Inbox:
    """Messages from ``stream``, read by a thread of its own and handed out with timeouts.

    When the stream ends or garbles, :meth:`get` raises that error (``EOFError`` or
    :class:`ChannelError`) from then on. :attr:`last_heard` is when a message last came.
    """

    def __init__(self, stream: IO[bytes], name: str = "inbox") -> None:
        self._messages: queue.Queue[Message | BaseException] = queue.Queue()
        self._ended: BaseException | None = None
        self.last_heard = time.monotonic()
        self._thread = threading.Thread(target=self._read, args=(stream,), name=name,
                                        daemon=True)  # fmt: skip
        self._thread.start()

    def get(self, timeout: float | None) -> Message | None:
        """The next message within ``timeout`` seconds (None: wait for ever), or None."""
        if self._ended is not None:
            raise self._ended
        try:
            item = (
                self._messages.get(timeout=timeout) if timeout != 0 else self._messages.get_nowait()
            )
        except queue.Empty:
            return None
        if isinstance(item, BaseException):
            self._ended = item
            raise item
        return item

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            try:
                message = read_frame(stream)
            except (EOFError, ChannelError) as error:
                self._messages.put(error)
                return
            except (OSError, ValueError) as error:  # the pipe closed under the thread
                self._messages.put(EOFError(str(error)))
                return
            self.last_heard = time.monotonic()
            self._messages.put(message)


class Outbox:
    """Messages to ``stream``, written by a thread of its own: sending never blocks.

    A child that stops reading (frozen, say) fills the pipe; the window goes on. After
    the stream breaks, messages are dropped (the reader's side reports the end).
    """

    def __init__(self, stream: IO[bytes], name: str = "outbox") -> None:
        self._messages: queue.Queue[Message | None] = queue.Queue()
        self._thread = threading.Thread(target=self._write, args=(stream,), name=name,
                                        daemon=True)  # fmt: skip
        self._thread.start()

    def put(self, message: Message) -> None:
        """Queue ``message`` for sending."""
        self._messages.put(message)

    def close(self) -> None:
        """Send what is queued, then stop the thread (it closes nothing)."""
        self._messages.put(None)

    def _write(self, stream: IO[bytes]) -> None:
        while (message := self._messages.get()) is not None:
            try:
                write_frame(stream, message)
            except (OSError, ValueError):  # the other side is gone, or the pipe closed
                return
