"""Outbound HTTP through `GuardedEgress` and the HTTP tools, against real servers on
127.0.0.1 (allowed only with `allow_loopback`, the test-only setting), and the
refusals that must happen before anything is dialled."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest

from vasini_sandbox_runner.adapters.egress import GuardedEgress
from vasini_sandbox_runner.domain.egress import EgressFailed, EgressRefused, HttpRequest
from vasini_sandbox_runner.domain.http_tools import call_http_tool, http_fetch

LOOPBACK = GuardedEgress(allow_loopback=True)


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Server:
    """A small HTTP/1.1 server on 127.0.0.1: answers each path with its `Reply` (404
    for unknown paths) and records what it received; a path mapped to None is
    accepted and never answered."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Reply | None] = {}
        self.seen: list[Seen] = []
        self.port = 0
        self._tls = tls
        self._release = asyncio.Event()
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> Server:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self._tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._release.set()
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    def url(self, path: str = "/", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *lines = head.decode("latin-1").strip().split("\r\n")
            method, path, _ = request_line.split(" ")
            headers = dict(_split_header(line) for line in lines)
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.seen.append(Seen(method, path, headers, body))
            reply = self.routes.get(path, Reply(404, body=b"no such page"))
            if reply is None:
                await self._release.wait()
                return
            fields = {"Content-Length": str(len(reply.body)), "Connection": "close"}
            fields.update(reply.headers)
            status = f"HTTP/1.1 {reply.status} {HTTPStatus(reply.status).phrase}\r\n"
            head_out = status + "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n"
            writer.write(head_out.encode("latin-1") + (b"" if method == "HEAD" else reply.body))
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client hung up early (a body cap, a refused redirect): expected
        finally:
            writer.close()


def _split_header(line: str) -> tuple[str, str]:
    name, value = line.split(":", 1)
    return name.strip().lower(), value.strip()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    async with Server() as running:
        yield running


async def _get(
    egress: GuardedEgress,
    url: str,
    allowlist: list[str],
    *,
    timeout_s: float = 10.0,
    max_bytes: int = 1_000_000,
) -> None:
    await egress.send(
        HttpRequest("GET", url), allowlist=allowlist, timeout_s=timeout_s, max_bytes=max_bytes
    )


# --- the allowed path -------------------------------------------------------------------


async def test_a_get_reaches_an_allowlisted_server(server: Server) -> None:
    server.routes["/hello"] = Reply(headers={"Content-Type": "text/plain"}, body=b"hi there")

    response = await LOOPBACK.send(
        HttpRequest("GET", server.url("/hello")),
        allowlist=[f"127.0.0.1:{server.port}"],
        timeout_s=10,
        max_bytes=1000,
    )

    assert (response.status, response.body, response.truncated) == (200, b"hi there", False)
    assert response.headers["content-type"] == "text/plain"
    assert response.address == "127.0.0.1"
    assert server.seen[0].headers["host"] == f"127.0.0.1:{server.port}"


async def test_a_name_is_sent_as_host_while_its_checked_address_is_dialled(
    server: Server,
) -> None:
    server.routes["/"] = Reply(body=b"ok")

    response = await LOOPBACK.send(
        HttpRequest("GET", server.url(host="LocalHost")),
        allowlist=["localhost"],
        timeout_s=10,
        max_bytes=1000,
    )

    assert response.address == "127.0.0.1"
    assert server.seen[0].headers["host"] == f"localhost:{server.port}"


async def test_the_checked_address_is_dialled_even_if_dns_changes_its_answer(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name first resolves to the server, then elsewhere. A client
    that looked the name up again would dial 127.0.0.2, where nothing listens."""
    server.routes["/"] = Reply(body=b"pinned")
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["127.0.0.1"])

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in ("rebind.test", b"rebind.test"):
            return real_getaddrinfo(next(answers, "127.0.0.2"), port, *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    response = await LOOPBACK.send(
        HttpRequest("GET", server.url(host="rebind.test")),
        allowlist=["rebind.test"],
        timeout_s=10,
        max_bytes=100,
    )

    assert (response.body, response.address) == (b"pinned", "127.0.0.1")
    assert next(answers, None) is None  # the one lookup was ours


async def test_caller_headers_and_body_go_out_but_not_host_or_hop_by_hop(
    server: Server,
) -> None:
    server.routes["/items"] = Reply(201)
    headers = {
        "Authorization": "Bearer t0ken",
        "Content-Type": "application/json",
        "Host": "internal.example",
        "Proxy-Authorization": "Basic eA==",
        "Upgrade": "websocket",
    }

    response = await LOOPBACK.send(
        HttpRequest("POST", server.url("/items"), headers, b'{"a": 1}'),
        allowlist=["127.0.0.1"],
        timeout_s=10,
        max_bytes=1000,
    )

    seen = server.seen[0]
    assert response.status == 201
    assert (seen.method, seen.body) == ("POST", b'{"a": 1}')
    assert seen.headers["authorization"] == "Bearer t0ken"
    assert seen.headers["host"] == f"127.0.0.1:{server.port}"
    assert "proxy-authorization" not in seen.headers
    assert "upgrade" not in seen.headers


async def test_hop_by_hop_response_headers_are_stripped(server: Server) -> None:
    server.routes["/"] = Reply(
        headers={"Connection": "close, X-Hop", "X-Hop": "1", "Keep-Alive": "5", "X-End": "2"}
    )

    response = await LOOPBACK.send(
        HttpRequest("GET", server.url()), allowlist=["127.0.0.1"], timeout_s=10, max_bytes=10
    )

    assert response.headers["x-end"] == "2"
    assert not {"connection", "x-hop", "keep-alive"} & set(response.headers)


async def test_the_body_is_cut_at_max_bytes(server: Server) -> None:
    body = bytes(range(256)) * 4000
    server.routes["/big"] = Reply(body=body)

    response = await LOOPBACK.send(
        HttpRequest("GET", server.url("/big")),
        allowlist=["127.0.0.1"],
        timeout_s=10,
        max_bytes=1000,
    )

    assert response.truncated
    assert response.body == body[:1000]


async def test_a_body_of_exactly_max_bytes_is_not_truncated(server: Server) -> None:
    server.routes["/"] = Reply(body=b"x" * 1000)

    response = await LOOPBACK.send(
        HttpRequest("GET", server.url()), allowlist=["127.0.0.1"], timeout_s=10, max_bytes=1000
    )

    assert (len(response.body), response.truncated) == (1000, False)


async def test_a_server_that_never_answers_times_out(server: Server) -> None:
    server.routes["/silent"] = None

    with pytest.raises(EgressFailed, match=r"no complete response within 0\.3s"):
        await _get(LOOPBACK, server.url("/silent"), ["127.0.0.1"], timeout_s=0.3)

    assert [s.path for s in server.seen] == ["/silent"]


async def test_environment_proxies_are_not_used(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/direct"] = Reply(body=b"direct")
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there

    response = await LOOPBACK.send(
        HttpRequest("GET", server.url("/direct")),
        allowlist=["127.0.0.1"],
        timeout_s=10,
        max_bytes=100,
    )

    assert response.body == b"direct"
    assert server.seen[0].path == "/direct"  # origin-form: no proxy saw it first


async def test_a_closed_port_is_a_connect_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(EgressFailed, match="could not connect"):
        await _get(LOOPBACK, f"http://127.0.0.1:{port}/", ["127.0.0.1"])


async def test_an_unknown_name_is_a_resolution_failure() -> None:
    with pytest.raises(EgressFailed, match=r"could not resolve host `nonexistent\.invalid`"):
        await _get(GuardedEgress(), "http://nonexistent.invalid/", ["nonexistent.invalid"])


# --- refusals before anything is dialled ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowlist", "refusal"),
    [
        ("http://evil.example/", ["api.example.com"], "not in the egress allowlist"),
        ("https://api.example.com/", [], "no egress allowlist"),
        ("http://localhost:8080/", ["localhost"], "resolves to 127.0.0.1, a loopback"),
        ("http://127.0.0.1/", ["127.0.0.1"], "`127.0.0.1` is a loopback address"),
        ("http://10.1.2.3/", ["10.1.2.3"], "private"),
        ("http://169.254.169.254/latest/meta-data/", ["169.254.169.254"], "metadata"),
        ("http://100.100.100.200/", ["100.100.100.200"], "metadata"),
        ("http://[fd00:ec2::254]/", ["[fd00:ec2::254]"], "metadata"),
        ("http://[::1]:8080/", ["[::1]"], "loopback"),
        ("http://[::ffff:127.0.0.1]/", ["[::ffff:127.0.0.1]"], "loopback"),
        ("http://[::ffff:169.254.169.254]/", ["[::ffff:169.254.169.254]"], "metadata"),
        ("http://0.0.0.0:8080/", ["0.0.0.0"], "unspecified"),
        ("http://2130706433/", ["2130706433"], "resolves to 127.0.0.1"),
        ("http://0x7f000001/", ["0x7f000001"], "resolves to 127.0.0.1"),
        ("http://127.1/", ["127.1"], "resolves to 127.0.0.1"),
        ("http://100.64.0.1/", ["100.64.0.1"], "shared"),
        ("file:///etc/passwd", ["localhost"], "only http and https"),
        ("gopher://api.example.com/", ["api.example.com"], "only http and https"),
        ("http://api.example.com@127.0.0.1/", ["api.example.com"], "credentials"),
        ("http:///nohost", ["api.example.com"], "has no host"),
        ("http://sub.api.example.com/", ["api.example.com"], "not in the egress allowlist"),
        ("http://api.example.com:8080/", ["api.example.com:443"], "not in the egress allowlist"),
        ("http://anything.example/", ["*"], "not in the egress allowlist"),
    ],
)
async def test_forbidden_requests_are_refused(url: str, allowlist: list[str], refusal: str) -> None:
    with pytest.raises(EgressRefused) as refused:
        await _get(GuardedEgress(), url, allowlist)

    assert refusal in str(refused.value)


@pytest.mark.parametrize(
    "headers", [{"X-Note": "café"}, {"X-Note": "a\r\nHost: evil.example"}, {"Bad Name": "1"}]
)
async def test_malformed_headers_are_refused_without_quoting_the_value(
    server: Server, headers: dict[str, str]
) -> None:
    with pytest.raises(EgressRefused, match="names must be tokens") as refused:
        await LOOPBACK.send(
            HttpRequest("GET", server.url(), headers),
            allowlist=["127.0.0.1"],
            timeout_s=10,
            max_bytes=10,
        )

    assert next(iter(headers.values())) not in str(refused.value)
    assert server.seen == []


@pytest.mark.parametrize(
    ("url", "allowlist"),
    [
        ("http://10.0.0.1/", ["10.0.0.1"]),
        ("http://169.254.169.254/", ["169.254.169.254"]),
        ("http://[::ffff:127.0.0.1]/", ["[::ffff:127.0.0.1]"]),
    ],
)
async def test_allow_loopback_opens_nothing_but_loopback(url: str, allowlist: list[str]) -> None:
    with pytest.raises(EgressRefused):
        await _get(LOOPBACK, url, allowlist)


# --- redirects --------------------------------------------------------------------------


async def test_redirects_are_followed(server: Server) -> None:
    server.routes["/a"] = Reply(302, {"Location": "/b"})
    server.routes["/b"] = Reply(body=b"final")

    response = await LOOPBACK.send(
        HttpRequest("GET", server.url("/a")), allowlist=["127.0.0.1"], timeout_s=10, max_bytes=100
    )

    assert (response.status, response.body) == (200, b"final")
    assert response.url == server.url("/b")
    assert [s.path for s in server.seen] == ["/a", "/b"]


async def test_a_redirect_to_a_metadata_address_is_refused(server: Server) -> None:
    server.routes["/a"] = Reply(302, {"Location": "http://169.254.169.254/latest/meta-data/"})

    with pytest.raises(EgressRefused, match=r"redirected to .*metadata"):
        await _get(LOOPBACK, server.url("/a"), ["127.0.0.1", "169.254.169.254"])


async def test_a_redirect_to_a_host_outside_the_allowlist_is_refused(server: Server) -> None:
    server.routes["/a"] = Reply(307, {"Location": server.url("/b", host="localhost")})

    with pytest.raises(EgressRefused, match=r"redirected to .*not in the egress allowlist"):
        await _get(LOOPBACK, server.url("/a"), [f"127.0.0.1:{server.port}"])

    assert [s.path for s in server.seen] == ["/a"]


async def test_a_redirect_to_another_scheme_is_refused(server: Server) -> None:
    server.routes["/a"] = Reply(301, {"Location": "file:///etc/passwd"})

    with pytest.raises(EgressRefused, match=r"redirect from .*only http and https"):
        await _get(LOOPBACK, server.url("/a"), ["127.0.0.1"])


async def test_redirect_loops_stop_after_three_hops(server: Server) -> None:
    server.routes["/loop"] = Reply(302, {"Location": "/loop"})

    with pytest.raises(EgressFailed, match="more than 3 redirects"):
        await _get(LOOPBACK, server.url("/loop"), ["127.0.0.1"])

    assert len(server.seen) == 4


async def test_credentials_do_not_follow_a_redirect_to_another_origin(server: Server) -> None:
    server.routes["/a"] = Reply(307, {"Location": server.url("/b", host="localhost")})
    server.routes["/b"] = Reply(body=b"moved")
    headers = {"Authorization": "Bearer t0ken", "X-Api-Key": "k3y", "Accept": "text/plain"}

    await LOOPBACK.send(
        HttpRequest("PUT", server.url("/a"), headers, b"payload"),
        allowlist=["127.0.0.1", "localhost"],
        timeout_s=10,
        max_bytes=100,
    )

    first, second = server.seen
    assert first.headers["authorization"] == "Bearer t0ken"
    assert (second.method, second.body) == ("PUT", b"payload")  # 307 keeps both
    assert second.headers["accept"] == "text/plain"
    assert "authorization" not in second.headers
    assert "x-api-key" not in second.headers


async def test_a_303_turns_a_post_into_a_get_without_body(server: Server) -> None:
    server.routes["/form"] = Reply(303, {"Location": "/done"})
    server.routes["/done"] = Reply(body=b"thanks")

    await LOOPBACK.send(
        HttpRequest("POST", server.url("/form"), {"Content-Type": "text/plain"}, b"data"),
        allowlist=["127.0.0.1"],
        timeout_s=10,
        max_bytes=100,
    )

    follow_up = server.seen[1]
    assert (follow_up.method, follow_up.body) == ("GET", b"")
    assert "content-type" not in follow_up.headers


# --- https: the checked IP is dialled, the name is verified ------------------------------


@dataclass
class Certificate:
    cert: Path
    key: Path


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Certificate]:
    """Self-signed certificates for `localhost` and for a name the test never dials."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    made = {}
    for name in ("localhost", "other.example"):
        cert, key = folder / f"{name}.crt", folder / f"{name}.key"
        subprocess.run(
            [
                *(openssl, "req", "-x509", "-nodes", "-days", "1", "-subj", f"/CN={name}"),
                *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
                *("-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)),
            ],
            check=True,
            capture_output=True,
        )
        made[name] = Certificate(cert, key)
    return made


def _tls_server(certificate: Certificate, names_seen: list[str | None]) -> Server:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate.cert, certificate.key)

    def remember(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        names_seen.append(name)

    context.sni_callback = remember
    return Server(tls=context)


async def test_https_dials_the_checked_address_and_verifies_the_name(
    certificates: dict[str, Certificate],
) -> None:
    names_seen: list[str | None] = []
    trust = ssl.create_default_context(cafile=certificates["localhost"].cert)
    egress = GuardedEgress(allow_loopback=True, ssl_context=trust)

    async with _tls_server(certificates["localhost"], names_seen) as tls:
        tls.routes["/"] = Reply(body=b"secure")
        response = await egress.send(
            HttpRequest("GET", tls.url(scheme="https", host="localhost")),
            allowlist=["localhost"],
            timeout_s=10,
            max_bytes=100,
        )

    assert (response.body, response.address) == (b"secure", "127.0.0.1")
    assert names_seen == ["localhost"]


async def test_https_refuses_a_certificate_for_another_name(
    certificates: dict[str, Certificate],
) -> None:
    trust = ssl.create_default_context(cafile=certificates["other.example"].cert)
    egress = GuardedEgress(allow_loopback=True, ssl_context=trust)

    async with _tls_server(certificates["other.example"], []) as tls:
        tls.routes["/"] = Reply(body=b"impostor")
        with pytest.raises(EgressFailed, match="CERTIFICATE_VERIFY_FAILED"):
            await _get(egress, tls.url(scheme="https", host="localhost"), ["localhost"])


# --- the tools on top -------------------------------------------------------------------


async def test_http_fetch_shows_status_headers_and_body(server: Server) -> None:
    server.routes["/page"] = Reply(
        headers={"Content-Type": "text/plain; charset=utf-8", "Set-Cookie": "s=1"},
        body="héllo".encode(),
    )

    result = await http_fetch(
        LOOPBACK,
        {"method": "GET", "url": server.url("/page"), "headers": {"Authorization": "sk-s3cret"}},
        allowlist=["127.0.0.1"],
        timeout_s=10,
        max_bytes=1000,
    )

    assert (result.is_error, result.status, result.truncated) == (False, 200, False)
    assert result.output.splitlines() == [
        "HTTP 200 OK",
        "content-type: text/plain; charset=utf-8",
        "content-length: 6",
        "",
        "héllo",
    ]
    assert server.seen[0].headers["authorization"] == "sk-s3cret"  # sent, never echoed


async def test_http_fetch_reports_http_errors_to_the_model(server: Server) -> None:
    result = await http_fetch(
        LOOPBACK,
        {"method": "GET", "url": server.url("/missing")},
        allowlist=["127.0.0.1"],
        timeout_s=10,
        max_bytes=1000,
    )

    assert (result.is_error, result.status) == (True, 404)
    assert result.output.startswith("HTTP 404 Not Found\n")


async def test_http_fetch_returns_refusals_instead_of_raising() -> None:
    result = await http_fetch(
        GuardedEgress(),
        {"method": "GET", "url": "http://169.254.169.254/latest/meta-data/"},
        allowlist=["api.example.com"],
        timeout_s=10,
        max_bytes=1000,
    )

    assert (result.is_error, result.status) == (True, None)
    assert result.output.startswith("request refused: host `169.254.169.254`")
    assert "api.example.com" in result.output


async def test_http_fetch_returns_failures_instead_of_raising(server: Server) -> None:
    server.routes["/silent"] = None

    result = await http_fetch(
        LOOPBACK,
        {"method": "GET", "url": server.url("/silent")},
        allowlist=["127.0.0.1"],
        timeout_s=0.2,
        max_bytes=1000,
    )

    assert result.is_error
    assert result.output.startswith("request failed: GET ")


async def test_http_fetch_notes_truncation_and_decodes_the_declared_charset(
    server: Server,
) -> None:
    body = "café ".encode("latin-1") * 100
    server.routes["/"] = Reply(
        headers={"Content-Type": "text/plain; charset=ISO-8859-1"}, body=body
    )

    result = await http_fetch(
        LOOPBACK,
        {"method": "GET", "url": server.url()},
        allowlist=["127.0.0.1"],
        timeout_s=10,
        max_bytes=10,
    )

    assert result.truncated
    assert "\ncafé café \n" in result.output
    assert result.output.endswith("[body truncated: only the first 10 bytes are shown]")


async def test_http_fetch_replaces_bytes_that_are_not_text(server: Server) -> None:
    server.routes["/"] = Reply(body=b"ok \xff\xfe end")

    result = await http_fetch(
        LOOPBACK,
        {"method": "GET", "url": server.url()},
        allowlist=["127.0.0.1"],
        timeout_s=10,
        max_bytes=100,
    )

    assert result.output.endswith("ok \ufffd\ufffd end")


async def test_http_fetch_says_where_a_redirect_ended(server: Server) -> None:
    server.routes["/old"] = Reply(301, {"Location": "/new"})
    server.routes["/new"] = Reply(body=b"here")

    result = await http_fetch(
        LOOPBACK,
        {"method": "HEAD", "url": server.url("/old")},
        allowlist=["127.0.0.1"],
        timeout_s=10,
        max_bytes=100,
    )

    assert result.output.splitlines()[:2] == [
        "HTTP 200 OK",
        f"(after redirects: {server.url('/new')})",
    ]


async def test_a_pack_http_tool_posts_its_arguments_as_json(server: Server) -> None:
    server.routes["/tool"] = Reply(headers={"Content-Type": "application/json"}, body=b'{"n":3}')
    arguments = {"query": "zürich", "limit": 3}

    result = await call_http_tool(
        LOOPBACK, server.url("/tool"), arguments, allowlist=[], timeout_s=10, max_bytes=100
    )

    seen = server.seen[0]
    assert (seen.method, seen.headers["content-type"]) == ("POST", "application/json")
    assert json.loads(seen.body) == arguments
    assert not result.is_error
    assert result.output.endswith('\n{"n":3}')


async def test_a_pack_http_tool_endpoint_still_gets_the_address_checks(server: Server) -> None:
    result = await call_http_tool(
        GuardedEgress(), server.url("/tool"), {}, allowlist=[], timeout_s=10, max_bytes=100
    )

    assert result.is_error
    assert "loopback" in result.output
    assert server.seen == []


async def test_a_pack_http_tool_endpoint_does_not_open_other_hosts(server: Server) -> None:
    server.routes["/tool"] = Reply(307, {"Location": server.url("/x", host="localhost")})

    result = await call_http_tool(
        LOOPBACK, server.url("/tool"), {}, allowlist=[], timeout_s=10, max_bytes=100
    )

    assert result.is_error
    assert "not in the egress allowlist" in result.output
    assert [s.path for s in server.seen] == ["/tool"]
