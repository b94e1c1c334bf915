"""Logging: what a client got wrong (a bad Host, a too-long search, a bad token) is one warning
line; a traceback is for our own errors."""

import logging


class ClientErrorsInOneLine(logging.Filter):
    """Records below ERROR lose their traceback, and django.security's (a bad Host header, for
    example) become warnings: the client's mistake, not ours."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security") and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        if record.levelno < logging.ERROR:
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
