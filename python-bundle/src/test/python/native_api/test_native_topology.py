from __future__ import annotations

from pathlib import Path

import pytest

from mycelium_native._topology import find_topology, node_of_service

TOPOLOGY = """
[[nodes]]
name = "main"
services = ["rust-strategy", "python-ml-model"]

[[nodes]]
name = "edge"
services = ["python-alerter"]
"""


def test_node_of_service_finds_the_node_listing_the_service(tmp_path: Path) -> None:
    topology = tmp_path / "topology.toml"
    topology.write_text(TOPOLOGY)
    assert node_of_service(topology, "python-alerter") == "edge"


def test_node_of_service_names_known_services_when_missing(tmp_path: Path) -> None:
    topology = tmp_path / "topology.toml"
    topology.write_text(TOPOLOGY)
    with pytest.raises(RuntimeError, match=r"'unknown-service' is not listed .*known: python-alerter, python-ml-model"):
        node_of_service(topology, "unknown-service")


def test_node_of_service_reports_invalid_toml_with_the_file(tmp_path: Path) -> None:
    topology = tmp_path / "topology.toml"
    topology.write_text("[[nodes]\nname=")
    with pytest.raises(RuntimeError, match="topology.toml: not valid TOML"):
        node_of_service(topology, "x")


def test_node_of_service_rejects_nodes_that_are_not_tables(tmp_path: Path) -> None:
    topology = tmp_path / "topology.toml"
    topology.write_text('nodes = "main"\n')
    with pytest.raises(RuntimeError, match=r"'nodes' must be an array of tables"):
        node_of_service(topology, "x")


def test_find_topology_looks_in_search_dirs_for_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "topology.toml").write_text(TOPOLOGY)
    assert find_topology("topology.toml", [tmp_path / "missing", tmp_path]) == tmp_path / "topology.toml"


def test_find_topology_lists_every_place_it_looked(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"'nowhere.toml' not found \(looked at: nowhere.toml, .*nowhere.toml\)"):
        find_topology("nowhere.toml", [tmp_path])
