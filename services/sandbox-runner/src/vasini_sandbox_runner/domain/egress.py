"""Outbound HTTP for tools (`http_fetch`, pack `kind: http` tools): the port and its rules.

Every request leaves through an `Egress`, which refuses hosts outside the allowlist and
addresses that are private, loopback, link-local or cloud metadata *after* DNS
resolution (so a public name pointing at 127.0.0.1 is refused too), and connects to
the address it checked (no second lookup an attacker could race).

The rules themselves are pure and live here, so they are tested without a network:
`check_host` (the allowlist) and `forbidden_reason` (the address classifier).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from typing import Protocol
from urllib.parse import urlsplit

from vasini_sandbox_runner.domain.sandbox import SandboxError

IPAddress = IPv4Address | IPv6Address


class EgressRefused(SandboxError):
    """The request may not leave: host not allowlisted, or a forbidden address. The
    message is for the model (it says which rule refused and what is allowed)."""


class EgressFailed(SandboxError):
    """The request was allowed but failed (DNS, connect, TLS, timeout); for the model."""


@dataclass(frozen=True, slots=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]  # lower-case names, hop-by-hop headers removed
    body: bytes
    truncated: bool  # the body was cut at max_bytes
    address: str  # the IP address the request was sent to
    url: str  # the URL that answered (differs from the request's after redirects)


class Egress(Protocol):
    async def send(
        self,
        request: HttpRequest,
        *,
        allowlist: Sequence[str],
        timeout_s: float,
        max_bytes: int,
    ) -> HttpResponse:
        """Send `request` if its host is allowlisted and resolves only to public
        addresses; EgressRefused / EgressFailed otherwise. `allowlist` entries are the
        pack's (`host` or `host:port`, no wildcards, see `check_host`); `timeout_s`
        bounds the whole exchange, redirects included; the body is cut at `max_bytes`."""
        ...


# --- the allowlist ----------------------------------------------------------------------


def _parse_entry(entry: str) -> tuple[str, int | None] | None:
    """`host`, `host:port` or `[v6]:port` → (host, port); None for entries that can
    never match. Wildcards are refused on purpose: the pack schema (`Host`) does not
    allow them, and `*` would turn the allowlist into the open internet."""
    if not entry or "*" in entry or "/" in entry or "@" in entry:
        return None
    try:
        parts = urlsplit("//" + entry)
        host, port = parts.hostname, parts.port
    except ValueError:  # a bad port or bracket
        return None
    if not host:
        return None
    return host.rstrip(".").lower(), port


def check_host(host: str, port: int, allowlist: Sequence[str]) -> None:
    """Refuse unless `host` (already lower-case, IDNA/ASCII) exactly matches an entry.

    An entry without a port allows any port of that host; `pypi.org:443` only 443.
    Subdomains are not implied: `github.com` does not allow `api.github.com`.
    """
    if not allowlist:
        raise EgressRefused(
            f"host `{host}` refused: this tool has no egress allowlist, so no outbound "
            "HTTP is allowed"
        )
    wanted = host.rstrip(".").lower()
    for entry in allowlist:
        parsed = _parse_entry(entry)
        if parsed is not None and parsed[0] == wanted and parsed[1] in (None, port):
            return
    raise EgressRefused(
        f"host `{host}` (port {port}) is not in the egress allowlist; allowed: "
        + ", ".join(allowlist)
    )


def allowlist_entry(url: str) -> str:
    """The allowlist entry naming exactly the host (and explicit port) of `url`: a pack
    `kind: http` tool may always reach its own declared endpoint."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port is not None else host


# --- the address classifier ---------------------------------------------------------------

# Already non-public by the generic rules below, but named so the model (and the audit)
# sees the real reason: these are where cloud credentials live.
_METADATA = frozenset(
    ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_LOOPBACK = (ip_network("127.0.0.0/8"), ip_network("::1/128"))
_SHARED = ip_network("100.64.0.0/10")  # carrier-grade NAT; often the cloud's internal net
_NAT64 = ip_network("64:ff9b::/96")  # a NAT64 gateway forwards to the embedded IPv4
_NAT64_LOCAL = ip_network("64:ff9b:1::/48")  # local-use NAT64: the site's own translation
_SIX_TO_FOUR = ip_network("2002::/16")


def _embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address really delivers to (mapped, NAT64, 6to4), so
    `::ffff:127.0.0.1` is judged as 127.0.0.1. IPv4-compatible `::a.b.c.d` needs no
    case: it lies in ::/8, which is reserved and refused outright."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _SIX_TO_FOUR:
        return ip.sixtofour
    return None


def forbidden_reason(ip: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why `ip` may not be contacted (for the refusal message), or None if it is a
    public unicast address. `allow_loopback` (tests only) lets 127.0.0.0/8 and ::1
    through and nothing else.

    The explicit checks come first, and `is_global` catches the rest, because the
    private/global tables of `ipaddress` differ between Python patch releases.
    """
    if any(ip in net for net in _LOOPBACK):
        return None if allow_loopback else "a loopback address"
    v6 = ip if isinstance(ip, IPv6Address) else None
    inner = _embedded_ipv4(v6) if v6 is not None else None
    if inner is not None:
        reason = forbidden_reason(inner)
        return f"{reason} (embedded in {ip})" if reason else None
    checks = (
        (ip in _METADATA, "a cloud metadata address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (v6 is not None and v6.scope_id is not None, "a scoped (interface-bound) address"),
        (v6 is not None and v6.is_site_local, "a site-local address"),
        (ip in _NAT64_LOCAL, "a local-use NAT64 address"),
        (ip.is_multicast, "a multicast address"),
        (ip in _SHARED, "a shared (carrier-grade NAT) address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "not a globally routable address"),
    )
    return next((reason for failed, reason in checks if failed), None)
