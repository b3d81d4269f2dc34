"""Before serving, the demo checks its address, so that it never leaves a worker behind a failed start."""

import socket

import pytest
from django.core.management.base import CommandError

from samverkan.web.management.commands.demo import _require_free_port


def test_a_taken_address_stops_the_demo_with_a_clear_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"127.0.0.1:{port} is taken"):
            _require_free_port(f"127.0.0.1:{port}")


def test_a_free_address_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _require_free_port(f"127.0.0.1:{port}")
