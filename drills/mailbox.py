"""What the file email backend wrote: who got how many messages.

The backend appends each message to its connection's file, then a line of 79 dashes, and
flushes. A message cut off by a killed process has no closing line and is not counted:
it never fully left.
"""

from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.utils import getaddresses
from pathlib import Path

END = b"\n" + b"-" * 79 + b"\n"


@dataclass
class Mailbox:
    per_recipient: Counter = field(default_factory=Counter)
    subjects: Counter = field(default_factory=Counter)
    torn: int = 0  # messages whose writing was cut off

    @property
    def messages(self) -> int:
        return sum(self.per_recipient.values())


def read(folder: Path) -> Mailbox:
    box = Mailbox()
    for path in sorted(folder.glob("*.log")):
        *complete, rest = path.read_bytes().split(END)
        box.torn += bool(rest.strip())
        for raw in complete:
            message = message_from_bytes(raw)
            box.subjects[str(message["Subject"])] += 1
            for _, address in getaddresses(message.get_all("To", [])):
                box.per_recipient[address] += 1
    return box


def exactly_once(box: Mailbox, expected: set[str]) -> tuple[list[str], list[str], list[str]]:
    """(lost, doubled, unexpected): who got none, who got more than one, who got one unasked."""
    lost = sorted(address for address in expected if box.per_recipient[address] == 0)
    doubled = sorted(address for address in expected if box.per_recipient[address] > 1)
    unexpected = sorted(set(box.per_recipient) - expected)
    return lost, doubled, unexpected
