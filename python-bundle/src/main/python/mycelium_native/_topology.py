"""Checks that a service is placed in a topology.toml (the topology bundle owns routing; this is the seed's check)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def find_topology(topology_path: str | Path, search_dirs: list[Path]) -> Path:
    """Resolve ``topology_path``: as given (absolute or relative to the working directory), then in ``search_dirs``.

    Raises RuntimeError naming every place looked at.
    """
    path = Path(topology_path)
    candidates = [path] if path.is_absolute() else [path, *(directory / path for directory in search_dirs)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(candidate) for candidate in candidates)
    raise RuntimeError(f"topology file {str(topology_path)!r} not found (looked at: {looked})")


def node_of_service(topology_file: Path, service_name: str) -> str:
    """Return the name of the node whose ``services`` list ``service_name``.

    Raises RuntimeError if the file is not valid TOML or no ``[[nodes]]`` entry lists the service.
    """
    try:
        with topology_file.open("rb") as stream:
            document: dict[str, Any] = tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        raise RuntimeError(f"{topology_file}: not valid TOML: {error}") from error
    nodes = document.get("nodes", [])
    if not isinstance(nodes, list):
        raise RuntimeError(f"{topology_file}: 'nodes' must be an array of tables ([[nodes]])")
    known: list[str] = []
    for index, node in enumerate(nodes):
        if not isinstance(node, dict):
            raise RuntimeError(f"{topology_file}: nodes[{index}] must be a table")
        services = node.get("services", [])
        if not isinstance(services, list):
            raise RuntimeError(f"{topology_file}: nodes[{index}].services must be an array of service names")
        if service_name in services:
            return str(node.get("name", f"nodes[{index}]"))
        known.extend(str(service) for service in services)
    raise RuntimeError(
        f"{topology_file}: service {service_name!r} is not listed in any [[nodes]].services "
        f"(known: {', '.join(sorted(known)) or 'none'}); add it to the services of the node that should run it"
    )
