"""`GuardedEgress`: the `Egress` port over httpx, connected to the address it checked.

Per hop: parse the URL with the same parser that sends it (httpx), check scheme,
credentials and the allowlist, resolve the host once, refuse if any address is not
public, then send to that IP with the original Host header and, for https, SNI and
certificate verification for the host name. Redirects are followed by hand (at most
3) so every hop passes the same checks. One client per exchange: no connection, TLS
session or cookie is ever shared between hosts, tools or runs.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from ipaddress import ip_address
from urllib.parse import unquote

import httpx

from vasini_sandbox_runner.domain.egress import (
    EgressFailed,
    EgressRefused,
    HttpRequest,
    HttpResponse,
    IPAddress,
    check_host,
    forbidden_reason,
)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_REDIRECTS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
# Host must name the checked host (a caller-chosen Host on an allowed IP would reach
# another virtual host); the framing headers are computed from the body.
_NOT_FROM_CALLER = _HOP_BY_HOP | {"host", "content-length"}
# What survives a redirect to another origin: nothing that could carry a credential.
_KEPT_ACROSS_ORIGINS = frozenset({"accept", "accept-language", "user-agent"})
# RFC 9110 field names; values limited to printable ASCII (no CR/LF: no injection).
_FIELD_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e]*")
# identity by default: a compressed body could expand far past max_bytes in one chunk.
_DEFAULT_HEADERS = {"User-Agent": "vasini-sandbox-runner", "Accept-Encoding": "identity"}


class GuardedEgress:
    """`allow_loopback` is for tests that talk to a server on 127.0.0.1; `ssl_context`
    replaces the system's CA bundle (tests with a self-signed certificate)."""

    def __init__(
        self, allow_loopback: bool = False, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self._allow_loopback = allow_loopback
        self._ssl_context = ssl_context or httpx.create_ssl_context(trust_env=False)

    async def send(
        self,
        request: HttpRequest,
        *,
        allowlist: Sequence[str],
        timeout_s: float,
        max_bytes: int,
    ) -> HttpResponse:
        # One deadline for everything: DNS, connects, every redirect hop, the body.
        try:
            async with asyncio.timeout(timeout_s):
                return await self._follow(request, allowlist, max_bytes)
        except TimeoutError:
            raise EgressFailed(
                f"{request.method} {request.url}: no complete response within {timeout_s:g}s"
            ) from None

    async def _follow(
        self, request: HttpRequest, allowlist: Sequence[str], max_bytes: int
    ) -> HttpResponse:
        for name, value in request.headers.items():
            if not (_FIELD_NAME.fullmatch(name) and _FIELD_VALUE.fullmatch(value)):
                # The value is not quoted back: it may be a credential.
                raise EgressRefused(
                    f"header `{name}`: names must be tokens and values printable ASCII"
                )
        hop = _Hop(request.method.upper(), _parse_url(request.url), request.headers, request.body)
        for count in range(_MAX_REDIRECTS + 1):
            try:
                response = await self._send_once(hop, allowlist, max_bytes)
            except EgressRefused as exc:
                if count == 0:
                    raise
                raise EgressRefused(f"redirected to {hop.url}, which is refused: {exc}") from None
            location = response.headers.get("location")
            if response.status not in _REDIRECTS or location is None:
                return response
            try:
                hop = hop.redirected(response.status, _parse_url(location, base=hop.url))
            except EgressRefused as exc:
                raise EgressRefused(f"redirect from {hop.url} refused: {exc}") from None
        raise EgressFailed(f"{request.method} {request.url}: more than {_MAX_REDIRECTS} redirects")

    async def _send_once(self, hop: _Hop, allowlist: Sequence[str], max_bytes: int) -> HttpResponse:
        host = hop.url.raw_host.decode("ascii").lower()  # IDNA form: what DNS and certs use
        check_host(host, hop.url.port or _DEFAULT_PORTS[hop.url.scheme], allowlist)
        addresses = await _resolve(host)
        for address in addresses:
            reason = forbidden_reason(address, allow_loopback=self._allow_loopback)
            if reason is not None:
                what = "is" if str(address) == host else f"resolves to {address},"
                raise EgressRefused(f"`{host}` {what} {reason}: requests to it are refused")
        failures = []
        for address in addresses:  # all were checked; the first that connects is used
            try:
                return await self._exchange(address, host, hop, max_bytes)
            except httpx.ConnectError as exc:
                failures.append(f"{address}: {_describe(exc)}")
        raise EgressFailed(f"{hop.method} {hop.url}: could not connect ({'; '.join(failures)})")

    async def _exchange(
        self, address: IPAddress, host: str, hop: _Hop, max_bytes: int
    ) -> HttpResponse:
        outgoing = {k: v for k, v in hop.headers.items() if k.lower() not in _NOT_FROM_CALLER}
        outgoing["Host"] = hop.url.netloc.decode("ascii")  # host[:port], without userinfo
        # The connection goes to the checked IP; TLS still names (and verifies) the host.
        extensions = {"sni_hostname": host} if hop.url.scheme == "https" else {}
        transport = httpx.AsyncHTTPTransport(verify=self._ssl_context, retries=0)
        # No httpx timeout: the deadline is send()'s, around DNS, every hop and the body.
        async with httpx.AsyncClient(
            transport=transport,
            trust_env=False,
            timeout=None,  # noqa: S113
            headers=_DEFAULT_HEADERS,
        ) as client:
            pinned = client.build_request(
                hop.method,
                hop.url.copy_with(host=str(address)),
                headers=outgoing,
                content=hop.body,
                extensions=extensions,
            )
            try:
                response = await client.send(pinned, stream=True)
                try:
                    content, truncated = await _read_capped(response, max_bytes)
                finally:
                    await response.aclose()
            except httpx.ConnectError:
                raise
            except httpx.HTTPError as exc:
                raise EgressFailed(f"{hop.method} {hop.url}: {_describe(exc)}") from None
        return HttpResponse(
            status=response.status_code,
            headers=_end_to_end(response.headers),
            body=content,
            truncated=truncated,
            address=str(address),
            url=str(hop.url),
        )


@dataclass(frozen=True, slots=True)
class _Hop:
    """One request of a (possibly redirected) exchange."""

    method: str
    url: httpx.URL
    headers: Mapping[str, str]
    body: bytes | None

    def redirected(self, status: int, target: httpx.URL) -> _Hop:
        method, headers, body = self.method, dict(self.headers), self.body
        if status in (302, 303) or (status == 301 and method == "POST"):
            # What browsers (and httpx) do: the follow-up is a GET without the body.
            method = "HEAD" if method == "HEAD" else "GET"
            body = None
            headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        if _origin(target) != _origin(self.url):
            headers = {k: v for k, v in headers.items() if k.lower() in _KEPT_ACROSS_ORIGINS}
        return _Hop(method, target, headers, body)


def _parse_url(raw: str, *, base: httpx.URL | None = None) -> httpx.URL:
    try:
        url = base.join(raw) if base is not None else httpx.URL(raw)
    except httpx.InvalidURL as exc:
        raise EgressRefused(f"`{raw}` is not a valid URL: {exc}") from None
    if url.scheme not in _DEFAULT_PORTS:
        raise EgressRefused(f"`{raw}`: only http and https URLs are allowed")
    if url.userinfo:
        # Not echoed: it is a credential. Refused because parsers disagree about where
        # `user@host` ends, which is how allowlists get bypassed.
        raise EgressRefused(
            "the URL carries credentials (user@host); send them in a header instead"
        )
    if not url.raw_host:
        raise EgressRefused(f"`{raw}` has no host")
    return url


async def _resolve(host: str) -> list[IPAddress]:
    """The addresses `host` stands for: itself if it is an IP literal, else one DNS
    lookup (whatever the resolver makes of `2130706433` or `127.1` is what gets
    checked, and what gets connected to)."""
    try:
        return [ip_address(unquote(host))]  # unquote: a zone id arrives as %25eth0
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise EgressFailed(f"could not resolve host `{host}`: {exc}") from None
    return list(dict.fromkeys(ip_address(str(info[4][0])) for info in infos))


async def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        room = max_bytes - size
        if len(chunk) > room:
            chunks.append(chunk[:room])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


def _end_to_end(headers: httpx.Headers) -> dict[str, str]:
    """Response headers minus the hop-by-hop ones (RFC 9110 §7.6.1), including any the
    server named in its Connection header."""
    named = {h.strip().lower() for h in headers.get("connection", "").split(",")}
    dropped = _HOP_BY_HOP | named
    return {name.lower(): value for name, value in headers.items() if name.lower() not in dropped}


def _origin(url: httpx.URL) -> tuple[str, bytes, int]:
    return url.scheme, url.raw_host.lower(), url.port or _DEFAULT_PORTS[url.scheme]


def _describe(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
