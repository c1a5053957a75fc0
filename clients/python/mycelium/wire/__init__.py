"""The Mycelium wire protocol v1 (docs/wire.md): TLV frames, schema digest, both handshakes and control frames.

Pure Python 3.11, standard library only, and byte-for-byte the same as the Java runtime in
``io.mycelium.protocol``; both are tested against ``docs/wire-vectors.json``. Every integer is little-endian.
Importing this module has no side effects. Nothing here is thread-safe unless it is immutable: use one
:class:`FrameDecoder` / :class:`HandshakeReader` per connection, from one thread.

Errors name the wire field at fault (``field``) with the same names as the Java exceptions and the docs.
"""

from mycelium.wire import control, digest, frame, handshake
from mycelium.wire.control import *  # noqa: F401,F403
from mycelium.wire.digest import *  # noqa: F401,F403
from mycelium.wire.frame import *  # noqa: F401,F403
from mycelium.wire.handshake import *  # noqa: F401,F403

__all__: list[str] = []
__all__ += frame.__all__
__all__ += digest.__all__
__all__ += handshake.__all__
__all__ += control.__all__

