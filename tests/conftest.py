from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import Cluster, private_cluster
from tests.support import Credentials, Server, running_server


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One real `ngage serve` process on SQLite for the contract tests."""
    with running_server() as process:
        yield process


@pytest.fixture(scope="session")
def creds(server: Server) -> Credentials:
    return server.new_app("contract-tests")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    with private_cluster() as cluster:
        yield cluster
