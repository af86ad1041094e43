"""A stateful local emulator of the part of Stripe's API that MintKit Hub uses.

Start it with ``python -m stripe_emulator`` or, in tests::

    from stripe_emulator import EmulatorServer
    emu = EmulatorServer(port=0, webhook_secret="whsec_test").start()
"""

from .objects import API_VERSION
from .server import EmulatorServer
from .webhooks import sign

__all__ = ["API_VERSION", "EmulatorServer", "sign"]
