"""IPv4 and IPv6 addresses, validated by `ipaddress`.

Loopback and unspecified addresses (`127.0.0.1`, `0.0.0.0`, `::1`, `::`) are not
reported: they identify no one and fill every developer's text. A dotted quad labelled
as a version or build (`version 1.2.3.4`) is a version.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from vasini_guard.context import label_before

_IPV4 = re.compile(r"[0-9](?<![\w.][0-9])[0-9]{0,2}(?:\.[0-9]{1,3}){3}(?!\w|\.[0-9])")
# Hex groups and colons, possibly ending in a dotted quad (`::ffff:192.0.2.1`); not
# glued to a word (`std::vector`) or to more colons.
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})"
    r"(?![\w:]|\.[0-9])"
)
_VERSION_LABELS = frozenset({"version", "ver", "v", "build", "release", "firmware"})


def find_ip_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Spans of IPv4 addresses (no leading zeros) and IPv6 addresses in any of their
    written forms (`2001:db8::1`, `fe80::1ff:fe23:4567:890a`, `::ffff:192.0.2.128`)."""
    if "." in text:
        for match in _IPV4.finditer(text):
            if _reported(match.group()) and label_before(text, match.start()) not in (
                _VERSION_LABELS
            ):
                yield match.span()
    if "::" in text or text.count(":") >= 7:
        for match in _IPV6.finditer(text):
            # Every address worth reporting has a digit; all-letter words joined by
            # colons (`dead::beef`, `abc::def`) are more often code than addresses.
            if any(char.isdigit() for char in match.group()) and _reported(match.group()):
                yield match.span()


def _reported(candidate: str) -> bool:
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return not (address.is_loopback or address.is_unspecified)
