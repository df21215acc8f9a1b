"""A local Bot API server for tests, the demo and benchmarks (see DESIGN.md §7).

The real python-telegram-bot Application is pointed at it with
`ApplicationBuilder().token(T).base_url(server.bot_base_url).base_file_url(server.file_base_url)`;
the Zalo client with `ZaloClient(token, base_url=server.zalo_base_url)`.
"""

from bot.sandbox.client import SandboxControl, SandboxControlError
from bot.sandbox.errors import ApiError
from bot.sandbox.faults import Fault
from bot.sandbox.limits import Limits
from bot.sandbox.records import CallbackAnswer, SandboxStats, SentMessage
from bot.sandbox.server import SandboxServer, serve_forever
from bot.sandbox.state import SandboxState
from bot.sandbox.zalo_control_client import ZaloControl, ZaloControlError
from bot.sandbox.zalo_state import ZaloSandbox, ZaloSentMessage

__all__ = [
    "ApiError",
    "CallbackAnswer",
    "Fault",
    "Limits",
    "SandboxControl",
    "SandboxControlError",
    "SandboxServer",
    "SandboxState",
    "SandboxStats",
    "SentMessage",
    "ZaloControl",
    "ZaloControlError",
    "ZaloSandbox",
    "ZaloSentMessage",
    "serve_forever",
]
