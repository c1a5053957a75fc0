"""Puts the package generated from src/test/resources/all-types.yaml on sys.path.

``mvn verify`` generates it into target/pytest-gen and sets PYTHONPATH; when run by hand, generate it first:
java -cp target/classes:<snakeyaml-engine.jar> io.mycelium.codegen.CodegenCli \
    --contracts src/test/resources/all-types.yaml --python-out target/pytest-gen
"""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
GENERATED = HERE.parents[2] / "target" / "pytest-gen"
CONTRACTS = HERE.parent / "resources" / "all-types.yaml"

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

try:
    import mycelium_protocol  # noqa: F401
except ImportError as err:  # pragma: no cover - setup problem, not a test failure
    raise ImportError(f"generated package not found under {GENERATED}; run 'mvn -pl tools/codegen verify' "
                      f"or generate it as described in conftest.py ({err})") from err
