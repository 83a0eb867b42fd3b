"""Model files made to hurt: shared by the serialization tests and tests/bench/model_files.py."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path


def lying_deflate(path: Path, members: dict[str, bytes], inflated: int) -> Path:
    """``members`` zipped, but the first weights claim 128 bytes and inflate to ``inflated``.

    The sizes a reader checks before inflating all say 128; only the compressed size
    (which a reader must trust to find the data) is true.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(min(inflated, 64 << 20))
    body = b"".join(compressor.compress(chunk) for _ in range(inflated // len(chunk)))
    body += compressor.flush()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in members.items():
            if name != "weights_0.npy":
                out.writestr(name, data)
        info = zipfile.ZipInfo("weights_0.npy")
        out.writestr(info, b"\0" * 128)  # a placeholder of the size it will claim
    raw = bytearray(path.read_bytes())
    # Splice the deflated data in place of the placeholder.
    local = raw.rfind(b"PK\x03\x04")  # the member written last
    name_length, extra_length = struct.unpack("<HH", raw[local + 26 : local + 30])
    data_at = local + 30 + name_length + extra_length
    before, after = raw[:data_at], raw[data_at + 128 :]
    struct.pack_into("<H", before, local + 8, 8)  # method: deflate
    struct.pack_into("<I", before, local + 18, len(body))  # compressed size
    spliced = before + body + after
    central = spliced.rfind(b"PK\x01\x02")  # its entry: the last in the directory
    struct.pack_into("<H", spliced, central + 10, 8)
    struct.pack_into("<I", spliced, central + 20, len(body))
    # The central directory's offset (in its end record) moved by the same amount.
    end = spliced.rindex(b"PK\x05\x06")
    offset = struct.unpack_from("<I", spliced, end + 16)[0]
    struct.pack_into("<I", spliced, end + 16, offset + len(body) - 128)
    path.write_bytes(bytes(spliced))
    return path
