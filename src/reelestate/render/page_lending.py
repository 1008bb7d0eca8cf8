"""Frames handed to the encoder's pipe without copying them: Linux's `vmsplice`.

A raw 1080x1920 frame is 3 MB. `write` copies it into pipe pages that the kernel allocates and
frees for every frame, about a millisecond of system time per frame on each side of the pipe.
`vmsplice` puts the frame's own pages in the pipe instead, and the encoder's read copies straight
from them. The price: lent pages must not change until the encoder has read them. A pipe holds
at most its capacity of the newest bytes, so once more than that has been lent after a frame,
the frame has been read; a writer that keeps `buffers_in_rotation` frames and draws each into
the oldest never changes a page still in the pipe (`segments._Buffers`).

Where `vmsplice` is missing (not Linux) or refuses a buffer, the frame is written as before.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import math
import os
from collections.abc import Callable

DEFAULT_PIPE_BYTES = 1 << 16
"""Linux's pipe size when nobody widened it; the capacity assumed where it cannot be read."""
_F_GETPIPE_SZ = getattr(fcntl, "F_GETPIPE_SZ", 1032)


class _IoVec(ctypes.Structure):
    _fields_ = [("iov_base", ctypes.c_void_p), ("iov_len", ctypes.c_size_t)]


Splice = Callable[[int, int, int], int]
"""(fd, address, length) -> bytes lent, or -1 with errno set."""


@functools.cache
def _vmsplice() -> Splice | None:
    if not hasattr(os, "splice"):  # Linux only, like vmsplice itself
        return None
    try:
        call = ctypes.CDLL(None, use_errno=True).vmsplice
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.POINTER(_IoVec), ctypes.c_size_t, ctypes.c_uint]
    call.restype = ctypes.c_ssize_t

    def splice(fd: int, address: int, length: int) -> int:
        return int(call(fd, ctypes.byref(_IoVec(address, length)), 1, 0))

    return splice


def can_lend() -> bool:
    """Whether this system lends pages to pipes at all."""
    return _vmsplice() is not None


def pipe_capacity(fd: int) -> int:
    """Bytes the pipe behind `fd` holds at most."""
    try:
        return int(fcntl.fcntl(fd, _F_GETPIPE_SZ))
    except OSError:
        return DEFAULT_PIPE_BYTES


def buffers_in_rotation(frame_bytes: int, capacity: int) -> int:
    """Frames a lending writer keeps so that none is drawn over while the pipe still holds it.

    When frame `n` has just been lent, everything older than the pipe's last `capacity` bytes
    has been read: frame `n - k` is free once `k` whole frames cover the capacity.
    """
    return max(2, math.ceil(capacity / max(1, frame_bytes)) + 1)


def lend(fd: int, view: memoryview) -> bool:
    """Put every byte of `view` in the pipe `fd` by reference; False where it cannot lend.

    Raises `BrokenPipeError` when the reader has gone, like a write would. A False return
    means nothing was lent: the caller writes the bytes instead.
    """
    splice = _vmsplice()
    if splice is None or view.readonly or not view.contiguous:
        return False
    flat = view.cast("B")
    total = flat.nbytes
    holder = (ctypes.c_char * total).from_buffer(flat)
    address, done = ctypes.addressof(holder), 0
    del holder  # the address stays valid: `view`'s owner keeps the memory
    while done < total:
        sent = splice(fd, address + done, total - done)
        if sent >= 0:
            done += sent
            continue
        code = ctypes.get_errno()
        if code == errno.EINTR:
            continue
        if code == errno.EPIPE:
            raise BrokenPipeError(code, os.strerror(code))
        if done == 0 and code in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
            return False
        raise OSError(code, os.strerror(code))
    return True
