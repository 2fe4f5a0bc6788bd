"""Training scenarios read from YAML files: the ones shipped with csdesk and a trainer's own.

Shipped scenarios live in ``csdesk/data/scenarios/``; a trainer adds one by dropping a
``.yaml`` file into the scenario directory of the settings (``scenario_dir``), no code.
A file that cannot be read or breaks a rule is reported with its file and line, and
every other file still loads. A trainer's scenario with the id of a shipped one replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from csdesk.domain.sanitize import sanitize_line
from csdesk.domain.scenario import Scenario, ScenarioError, parse_scenario

SHIPPED_DIR = Path(__file__).with_name("scenarios")
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class ScenarioProblem:
    """A scenario file that did not load: where, and why."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def _line_of(node: Any, path: tuple[str | int, ...]) -> int:
    """The 1-based line of the deepest node along ``path`` in a composed YAML document."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def load_file(path: Path) -> Scenario:
    """One scenario file; raises :class:`ScenarioProblemError` naming the file and line."""
    shown = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioProblemError(ScenarioProblem(shown, 1, "The file is larger than 1 MB."))
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioProblemError(ScenarioProblem(shown, 1, f"Cannot read the file ({exc}).")) from None
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        reason = sanitize_line(str(exc.problem or exc), max_chars=200)
        raise ScenarioProblemError(ScenarioProblem(shown, line, f"Not valid YAML: {reason}.")) from None
    except yaml.YAMLError as exc:
        raise ScenarioProblemError(ScenarioProblem(shown, 1, f"Not valid YAML: {exc}.")) from None
    try:
        return parse_scenario(data, source=shown)
    except ScenarioError as exc:
        line = _line_of(yaml.compose(text), exc.path)
        raise ScenarioProblemError(ScenarioProblem(shown, line, exc.message)) from None


class ScenarioProblemError(Exception):
    """Raised by :func:`load_file`; carries the :class:`ScenarioProblem`."""

    def __init__(self, problem: ScenarioProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def load_scenarios(extra_dirs: Iterable[Path] = ()) -> tuple[dict[str, Scenario], list[ScenarioProblem]]:
    """Every scenario by id (shipped first, then each extra directory), and the files that failed."""
    scenarios: dict[str, Scenario] = {}
    problems: list[ScenarioProblem] = []
    for directory in (SHIPPED_DIR, *extra_dirs):
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.y*ml")):
            try:
                scenario = load_file(path)
            except ScenarioProblemError as exc:
                problems.append(exc.problem)
                continue
            scenarios[scenario.id] = scenario
    return scenarios, problems
