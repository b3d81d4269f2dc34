"""The address a request comes from, for login throttling (django-axes).

Behind a reverse proxy every request comes from the proxy's address, so a
throttle per username and address would let anyone lock anyone out. When the
proxies are named in `SAMVERKAN_TRUSTED_PROXIES` (addresses or networks,
comma-separated; empty by default), a request from one of them is traced back
through `X-Forwarded-For`: the client is the right-most address there that is
not itself a trusted proxy. Addresses left of it were written by the client
and are never believed. Without the setting, or from any other sender, the
header is ignored and the connection's own address counts.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)
    except ValueError as exc:
        raise ImproperlyConfigured(f"SAMVERKAN_TRUSTED_PROXIES: {exc}") from exc


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or traced through X-Forwarded-For from a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(settings.SAMVERKAN_TRUSTED_PROXIES))
    if not networks or remote is None or not _trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a proxy that writes garbage: count the proxy, not a made-up client
    return remote
