"""One module per `nhacviec` sub-command, each with `register(subparsers)`.

Building the parser imports every module here, so at module level they import only the
standard library; what a command needs (SQLAlchemy, python-telegram-bot, the handlers) is
imported inside the function that runs it. `tests/bot/test_cli_startup.py` holds them to it.
"""
