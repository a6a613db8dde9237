"""The egress rules without a network: the allowlist and the address classifier."""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from vasini_sandbox_runner.domain.egress import (
    EgressRefused,
    allowlist_entry,
    check_host,
    forbidden_reason,
)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("fec0::1", "site-local"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("100.64.0.1", "shared"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("0.1.2.3", "private"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.1", "private"),
        ("198.18.0.1", "private"),
        ("2001:db8::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "metadata"),
        ("::127.0.0.1", "reserved"),
        ("64:ff9b::7f00:1", "loopback"),
        ("64:ff9b::a00:1", "private"),
        ("64:ff9b:1::1", "local-use NAT64"),
        ("2002:7f00:1::", "loopback"),
        ("2002:a9fe:a9fe::", "metadata"),
    ],
)
def test_non_public_addresses_are_refused_with_their_reason(address: str, reason: str) -> None:
    found = forbidden_reason(ip_address(address))

    assert found is not None
    assert reason in found


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::",
    ],
)
def test_public_addresses_pass(address: str) -> None:
    assert forbidden_reason(ip_address(address)) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.1.2.3", "::1"])
def test_allow_loopback_lets_loopback_through(address: str) -> None:
    assert forbidden_reason(ip_address(address), allow_loopback=True) is None


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "169.254.169.254", "0.0.0.0", "::ffff:127.0.0.1", "64:ff9b::7f00:1"],
)
def test_allow_loopback_allows_nothing_else(address: str) -> None:
    assert forbidden_reason(ip_address(address), allow_loopback=True) is not None


@pytest.mark.parametrize(
    ("host", "port", "allowlist"),
    [
        ("api.example.com", 443, ["api.example.com"]),
        ("api.example.com", 8443, ["api.example.com"]),
        ("api.example.com", 443, ["API.Example.COM"]),
        ("api.example.com", 443, ["api.example.com."]),
        ("api.example.com.", 443, ["api.example.com"]),
        ("pypi.org", 443, ["other.org", "pypi.org:443"]),
        ("::1", 80, ["[::1]:80"]),
    ],
)
def test_allowlisted_hosts_pass(host: str, port: int, allowlist: list[str]) -> None:
    check_host(host, port, allowlist)


@pytest.mark.parametrize(
    ("host", "port", "allowlist"),
    [
        ("evil.example", 443, ["api.example.com"]),
        ("sub.api.example.com", 443, ["api.example.com"]),
        ("example.com", 443, ["api.example.com"]),
        ("api.example.com.evil.example", 443, ["api.example.com"]),
        ("pypi.org", 80, ["pypi.org:443"]),
        ("anything.example", 443, ["*"]),
        ("a.example.com", 443, ["*.example.com"]),
        ("evil.example", 443, ["api.example.com/evil.example"]),
        ("evil.example", 443, ["api.example.com@evil.example"]),
        ("evil.example", 443, ["evil.example:99999"]),
    ],
)
def test_hosts_outside_the_allowlist_are_refused(
    host: str, port: int, allowlist: list[str]
) -> None:
    with pytest.raises(EgressRefused) as refused:
        check_host(host, port, allowlist)

    assert f"`{host}`" in str(refused.value)
    assert ", ".join(allowlist) in str(refused.value)


def test_an_empty_allowlist_refuses_everything() -> None:
    with pytest.raises(EgressRefused, match="no egress allowlist"):
        check_host("api.example.com", 443, [])


@pytest.mark.parametrize(
    ("endpoint", "entry"),
    [
        ("https://api.example.com/search", "api.example.com"),
        ("http://API.example.com:8080/tool?x=1", "api.example.com:8080"),
        ("http://[::1]:9000/", "[::1]:9000"),
    ],
)
def test_an_endpoint_allowlists_exactly_its_host(endpoint: str, entry: str) -> None:
    assert allowlist_entry(endpoint) == entry
