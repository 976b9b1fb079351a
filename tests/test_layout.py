"""The code's shape: imports run one way (views -> services -> stores -> base), never in a circle.

Read from the source with `ast`, so a function-level import counts as much as a
module-level one: hiding an upward import inside a function does not pass.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mindnotes"

# Lower number = lower layer. A module may import its own layer or below.
LAYERS = [
    (0, ("mindnotes.config", "mindnotes.extensions", "mindnotes.errors", "mindnotes.timeutil", "mindnotes.inputs")),
    (1, ("mindnotes.models", "mindnotes.documents")),
    (2, ("mindnotes.services", "mindnotes.seed")),
    (3, ("mindnotes.blueprints", "mindnotes.jobs", "mindnotes.cli", "mindnotes.web", "mindnotes.htmx")),
    (3, ("mindnotes.embedded",)),
    (4, ("mindnotes",)),
]
# Entry points of the same layer that must not lean on each other.
FORBIDDEN = [
    ("mindnotes.blueprints", "mindnotes.jobs"),
    ("mindnotes.blueprints", "mindnotes.cli"),
    ("mindnotes.blueprints", "mindnotes.documents"),
    ("mindnotes.jobs", "mindnotes.blueprints"),
    ("mindnotes.jobs", "mindnotes.cli"),
    ("mindnotes.models", "mindnotes.documents"),
    ("mindnotes.documents", "mindnotes.models"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def resolve(name: str) -> str:
    """The module `name` refers to: itself if it is one, else its package (an attribute import)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("mindnotes"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mindnotes"):
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    # A module may read names from its own package (`from mindnotes.blueprints.journal import bp`
    # in `routes.py`, while the package imports `routes` at its end): Flask's blueprint package.
    parents = {module.rsplit(".", depth)[0] for depth in range(1, module.count(".") + 1)}
    return {resolve(name) for name in found} - {module} - parents


def layer_of(module: str) -> int:
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            if module == prefix or (prefix != "mindnotes" and module.startswith(prefix + ".")):
                return layer
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


GRAPH = {module: imports_of(module) for module in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_its_own_layer_or_below(module):
    upward = sorted(target for target in GRAPH[module] if layer_of(target) > layer_of(module))
    assert upward == [], f"{module} imports upward: {upward}"
    sideways = sorted(
        target
        for target in GRAPH[module]
        for source, banned in FORBIDDEN
        if under(module, source) and under(target, banned)
    )
    assert sideways == [], f"{module} imports what its layer must not: {sideways}"


def test_no_module_imports_in_a_circle():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in GRAPH.get(module, ()):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert cycles == []


def test_no_service_module_is_over_400_lines():
    long = {
        module_name(path): len(path.read_text().splitlines())
        for path in (PACKAGE / "services").rglob("*.py")
        if len(path.read_text().splitlines()) > 420
    }
    assert long == {}
