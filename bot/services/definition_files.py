"""Reading campaign and organisation YAML files; every refusal names file, line, field, reason."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.domain.campaign import Campaign
from bot.domain.organisation import OrganisationFile

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class FileProblem:
    file: str
    line: int | None
    field: str
    reason: str  # English, for the command line
    code: str = ""  # the kind of problem, for a translated message
    values: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


class DefinitionFileError(Exception):
    def __init__(self, problems: Sequence[FileProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


def _line_of(node: yaml.Node | None, path: Sequence[int | str]) -> int | None:
    """Follow a validation error's path through the YAML node tree to a line number."""
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if step < len(node.value) else None
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def parse_definition(text: str, model: type[Model], name: str) -> Model:
    try:
        data: Any = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise DefinitionFileError(
            [
                FileProblem(
                    name,
                    line,
                    "",
                    f"not valid YAML: {reason}",
                    "yaml_syntax",
                    (("reason", str(reason)),),
                )
            ]
        ) from exc
    if not isinstance(data, dict):
        raise DefinitionFileError(
            [FileProblem(name, 1, "", "expected a mapping of fields", "not_mapping")]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = [p for p in error["loc"] if isinstance(p, (int, str))]
            reason = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                reason = "unknown field"
            values = tuple((k, str(v)) for k, v in (error.get("ctx") or {}).items())
            problems.append(
                FileProblem(
                    name,
                    _line_of(root, path),
                    ".".join(map(str, path)),
                    reason,
                    error["type"],
                    values,
                )
            )
        raise DefinitionFileError(problems) from exc


def read_definition(path: Path, model: type[Model]) -> Model:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionFileError(
            [FileProblem(str(path), None, "", f"cannot read: {exc}")]
        ) from exc
    return parse_definition(text, model, str(path))


def campaign_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders expanded to their *.yaml / *.yml files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        else:
            found.append(path)
    return found


def read_campaign(path: Path) -> Campaign:
    return read_definition(path, Campaign)


def read_organisation(path: Path) -> OrganisationFile:
    return read_definition(path, OrganisationFile)
