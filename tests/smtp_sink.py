"""A local SMTP sink (aiosmtpd on 127.0.0.1) for tests and benchmarks; no Django here."""

import asyncio
import socket
import threading


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts (aiosmtpd).

    With `delay` (seconds) each message is kept as soon as its data arrived, and answered only
    after the delay: a slow relay, and a sender that dies meanwhile leaves a message delivered
    that it never saw accepted (as it happens with a real server)."""

    def __init__(self, *, delay: float = 0.0):
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)

        self.messages = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                with sink.lock:
                    sink.messages.append(envelope)
                if delay:
                    await asyncio.sleep(delay)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def recipients(self) -> list[str]:
        with self.lock:
            return [to for envelope in self.messages for to in envelope.rcpt_tos]
