"""A two-node Elasticsearch cluster on loopback, for tests that lose and regain a node.

The first node is master-eligible and holds data; the second holds data only,
so stopping it leaves a cluster with a master (two master-eligible nodes would
lose their quorum with either one gone). With `auto_expand_replicas: 0-1`
every shard has a copy on each node, and the second node can stop and rejoin.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
import urllib.request
from typing import TYPE_CHECKING, Any

from tests.harness.elasticsearch.node import HEAP, ElasticsearchNode, NodeError

if TYPE_CHECKING:
    from pathlib import Path

CLUSTER_NAME = "newswatch-test-cluster"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ClusterNode(ElasticsearchNode):
    """A node whose `halt()` stops it but keeps its data, so `start()` rejoins as itself."""

    def halt(self) -> None:
        """Stop the node's processes (SIGTERM, then SIGKILL), keeping its directory."""
        process, self.process = self.process, None
        if process is not None:
            self._signal(process, 15)
            try:
                process.wait(60)
            finally:
                self._signal(process, 9)
        # A restart gets a new HTTP port: the old ports file must not be read as the new one's.
        self.url = ""
        for ports in (self.base / "logs").glob("*.ports"):
            ports.unlink()

    def _lay_out(self) -> None:
        if not (self.base / "data").exists():
            super()._lay_out()


class TwoNodeCluster:
    def __init__(self, home: Path, heap: str = HEAP) -> None:
        transport = _free_port()
        common = {
            "cluster.name": CLUSTER_NAME,
            "discovery.type": "multi-node",
            "discovery.seed_hosts": f"127.0.0.1:{transport}",
        }
        self.master = ClusterNode(
            home,
            heap=heap,
            settings={
                **common,
                "node.name": "node-1",
                "transport.port": str(transport),
                "cluster.initial_master_nodes": "node-1",
            },
        )
        self.data = ClusterNode(
            home, heap=heap, settings={**common, "node.name": "node-2", "node.roles": "data,ingest"}
        )
        self.nodes = (self.master, self.data)

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes if node.url]

    def start(self) -> TwoNodeCluster:
        """Start the master, then the data node (started together, the join can fail)."""
        try:
            for node in self.nodes:
                node.start()
            self.wait_for(status="green", nodes=2)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def health(self, **params: str) -> dict[str, Any]:
        query = "&".join(f"{key}={value}" for key, value in params.items())
        with urllib.request.urlopen(f"{self.master.url}/_cluster/health?{query}", timeout=90) as r:
            return dict(json.load(r))

    def wait_for(self, *, status: str, nodes: int, timeout: float = 120.0) -> dict[str, Any]:
        """The cluster's health once it has `nodes` nodes and is at least `status`."""
        deadline = time.monotonic() + timeout
        health: dict[str, Any] = {}
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError):
                health = self.health(
                    wait_for_status=status, wait_for_nodes=str(nodes), timeout="5s"
                )
                if not health.get("timed_out"):
                    return health
        raise NodeError(f"cluster not {status} with {nodes} nodes in {timeout:.0f}s: {health}")
