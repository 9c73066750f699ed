"""A real SMTP server for the tests (aiosmtpd): dlgrade sends through it, the tests read what arrived."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller


@dataclass
class Mail:
    to: list[str]
    subject: str
    body: str

    def link(self, contains: str = "/") -> str:
        """The first http(s) link of the body with ``contains`` in it."""
        for url in re.findall(r"https?://[^\s<>\"]+", self.body):
            if contains in url:
                return url
        raise AssertionError(f"no link with {contains!r} in the mail:\n{self.body}")


class Mailbox:
    def __init__(self) -> None:
        self.mails: list[Mail] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
        mail = Mail(to=list(envelope.rcpt_tos), subject=str(message["subject"]), body=part.get_content())
        with self._arrived:
            self.mails.append(mail)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, count: int = 1, timeout: float = 20.0) -> list[Mail]:
        """The mails to ``to`` once at least ``count`` have arrived (a worker may send them a little later)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = [m for m in self.mails if to.lower() in (t.lower() for t in m.to)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(found)} mail(s) to {to} after {timeout} s; got {self.mails!r}")
                self._arrived.wait(left)

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address.lower() in (t.lower() for t in m.to)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox
