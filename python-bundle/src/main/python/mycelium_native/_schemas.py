"""The protocol bundles' generated Python packages, each importable under a name of its own.

Every protocol bundle ships its generated package as ``python/mycelium_protocol``; here each is importable as
``mycelium_protocol_<name>`` (the host picks the name from the schema id, see SchemaPackages), so several protocols
live side by side. ``mycelium_protocol``, the name the seed's snippets import, is that package while exactly one
protocol is deployed; with several, importing it raises an ImportError naming each protocol's package. Removing a
protocol purges its modules from ``sys.modules``, and the host restarts the services that used them.
Called by the host on its own thread, one change at a time.
"""

from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

ALIAS = "mycelium_protocol"


@dataclass(frozen=True)
class Package:
    """One protocol's generated package: its import name, where it is, and whose it is (for messages)."""

    name: str
    directory: Path
    schema_id: str
    bundle: str


_packages: dict[str, Package] = {}


def _is_alias(module_name: str) -> bool:
    return module_name == ALIAS or module_name.startswith(ALIAS + ".")


def _of_package(module_name: str, package: str) -> bool:
    return module_name == package or module_name.startswith(package + ".")


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the protocols' packages by their own names, and explains ``mycelium_protocol`` when it is ambiguous."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        package = _packages.get(fullname)
        if package is not None:
            return importlib.util.spec_from_file_location(
                fullname, package.directory / "__init__.py", submodule_search_locations=[str(package.directory)]
            )
        if _is_alias(fullname) and len(_packages) > 1:
            raise ImportError(ambiguity(), name=fullname)
        return None  # submodules: found through the package's __path__


_finder = _Finder()


def ambiguity() -> str:
    """The message of an import of ``mycelium_protocol`` while several protocols are deployed."""
    listed = ", ".join(
        f"{p.name} (schema {p.schema_id!r}, bundle {p.bundle})" for p in sorted(_packages.values(), key=_name)
    )
    example = min(_packages)
    return (
        f"{ALIAS} is ambiguous: {len(_packages)} protocols are deployed on this node: {listed}; import the "
        f"package of the protocol you mean by its own name, e.g. 'from {example}.messages import ...' "
        f"(it names one protocol only while exactly one is deployed)"
    )


def _name(package: Package) -> str:
    return package.name


def add(name: str, directory: str, schema_id: str, bundle: str) -> None:
    """Make the package in ``directory`` (the generated ``mycelium_protocol`` folder) importable as ``name``."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    _packages[name] = Package(name, Path(directory), schema_id, bundle)
    _purge(name)  # a redeployed bundle: its new files, not the modules of the old ones
    _refresh_alias()


def remove(name: str) -> list[str]:
    """Forget the package ``name``, purge its modules; return the names of the services that used it."""
    if _packages.pop(name, None) is None:
        return []
    users = services_using(name)
    _purge(name)
    _refresh_alias()
    return users


def missing(path: str) -> str | None:
    """The first protocol package the service in ``path`` imports at its top level that is not importable yet.

    The host starts a service only once its protocol is there, instead of letting the import fail while FileInstall
    hands over the ``.py`` before the protocol bundle beside it. Only imports in the module body count (an import in
    a function or a ``try`` is the service's own business); a package that is ambiguous or importable in another way
    (a venv's site-packages) counts as there, so the import itself reports any other problem.
    """
    for name in _protocol_imports(path):
        if name == ALIAS and _packages:
            continue
        try:
            if name in _packages or importlib.util.find_spec(name) is not None:
                continue
        except (ImportError, ValueError):
            continue
        return name
    return None


def _protocol_imports(path: str) -> list[str]:
    """The top-level names ``mycelium_protocol`` / ``mycelium_protocol_<name>`` imported in a service's module body."""
    try:
        tree = ast.parse(_service_source(Path(path)), filename=path)
    except (OSError, SyntaxError, ValueError, KeyError, zipfile.BadZipFile):
        return []  # starting it reports what is wrong with the file
    names: list[str] = []
    for node in tree.body:
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
        for module in modules:
            top = module.split(".")[0]
            if (top == ALIAS or top.startswith(ALIAS + "_")) and top not in names:
                names.append(top)
    return names


def _service_source(path: Path) -> bytes:
    if path.is_dir():
        return (path / "__main__.py").read_bytes()
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return archive.read("__main__.py")
    return path.read_bytes()


def packages() -> list[str]:
    """The import names of the deployed protocols' packages, sorted."""
    return sorted(_packages)


def alias_target() -> str | None:
    """The package ``mycelium_protocol`` names now, or None (no protocol, or several)."""
    module = sys.modules.get(ALIAS)
    return module.__name__ if module is not None else None


def services_using(package: str) -> list[str]:
    """The running services whose globals hold a module, class or function of ``package``."""
    from mycelium_native import _host

    users = []
    for runner in _host.runners():
        if any(_belongs(value, package) for value in list(runner.namespace.values())):
            users.append(runner.name)
    return sorted(users)


def _belongs(value: Any, package: str) -> bool:
    if isinstance(value, types.ModuleType):
        return _of_package(value.__name__, package)
    module = getattr(value, "__module__", None) if isinstance(value, (type, types.FunctionType)) else None
    if module is None:
        module = getattr(type(value), "__module__", None)
    return isinstance(module, str) and _of_package(module, package)


def _purge(package: str) -> None:
    for module_name in [m for m in sys.modules if _of_package(m, package)]:
        del sys.modules[module_name]
    importlib.invalidate_caches()


def _refresh_alias() -> None:
    for module_name in [m for m in sys.modules if _is_alias(m)]:
        del sys.modules[module_name]
    if len(_packages) != 1:
        return
    (only,) = _packages.values()
    sys.modules[ALIAS] = importlib.import_module(only.name)
    for submodule in _submodules(only.directory):
        sys.modules[f"{ALIAS}.{submodule}"] = importlib.import_module(f"{only.name}.{submodule}")


def _submodules(directory: Path) -> Iterable[str]:
    return sorted(p.stem for p in directory.glob("*.py") if p.stem != "__init__")
