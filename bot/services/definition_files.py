"""Reading campaign and organisation YAML files; every refusal names file, line, field, reason."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.cleaning import clean_block, clean_tree
from bot.domain.campaign import Campaign
from bot.domain.organisation import OrganisationFile
from bot.i18n import Messages

Model = TypeVar("Model", bound=BaseModel)

# A campaign or organisation file is small and shallow; anything past these is refused before
# it can cost time or memory (an alias bomb, 5,000 levels, 400,000 items).
MAX_DEPTH = 30
MAX_VALUES = 50_000
MAX_PROBLEMS = 100


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a depth and size budget; aliases are counted as what they
    expand to (see _expanded), so a few `*name` are fine and an alias bomb is not."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._values = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        self._depth += 1
        self._values += 1
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", mark
            )
        if self._values > MAX_VALUES:
            raise yaml.composer.ComposerError(None, None, f"more than {MAX_VALUES} values", mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.MappingNode):
            # PyYAML keeps the last of two equal keys silently: a second `period:` would
            # quietly replace the first.
            seen: set[object] = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"the field {key.value!r} appears twice", key.start_mark
                        )
                    seen.add(key.value)
        return node


def _expanded(node: yaml.Node, seen: dict[int, int | None], depth: int = 0) -> int:
    """How many values the node stands for once every alias is expanded."""
    key = id(node)
    if key in seen:
        size = seen[key]
        if size is None:
            raise yaml.composer.ComposerError(
                None, None, "an alias refers to itself", node.start_mark
            )
        return size
    if depth > MAX_DEPTH:
        raise yaml.composer.ComposerError(
            None, None, f"nested deeper than {MAX_DEPTH} levels", node.start_mark
        )
    seen[key] = None
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    size = 1
    for child in children:
        size += _expanded(child, seen, depth + 1)
        if size > MAX_VALUES:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"aliases expand to more than {MAX_VALUES} values",
                node.start_mark,
            )
    seen[key] = size
    return size


def _load(text: str) -> tuple[Any, yaml.Node | None]:
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _expanded(root, {})
        data = loader.construct_document(root) if root is not None else None
        return data, root
    finally:
        loader.dispose()


@dataclass(frozen=True)
class FileProblem:
    file: str
    line: int | None
    field: str
    reason: str  # English, for the command line
    code: str = ""  # the kind of problem, for a translated message
    values: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self._said(self.reason)

    def explained(self, t: Messages) -> str:
        """The reason in the reader's language, as plain text (escaped only where it is shown
        in HTML): the locale's words for the kind of problem, never the validator's English."""
        values = {k: _plain_value(k, v) for k, v in self.values}
        key = f"file_error.{self.code}"
        if self.code == "string_pattern_mismatch":
            pattern = values.get("pattern", "")
            key = "file_error.pattern_key" if "_" in pattern else "file_error.pattern_code"
        if not (self.code and t.has(key)):
            key = "file_error.unknown"
            values = {"value": _plain_value("value", dict(self.values).get("value", ""))}
        return t.plain(key, **values)

    def said(self, t: Messages) -> str:
        return self._said(self.explained(t))

    def _said(self, reason: str) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {reason}" if self.field else f"{where}: {reason}"


def _plain_value(key: str, value: str) -> str:
    """A validator's value as a clerk reads it: pydantic's "'a', 'b' or 'c'" as «a», «b», «c»."""
    if key == "expected":
        choices = re.findall(r"'([^']*)'", value)
        if choices:
            return ", ".join(f"«{c}»" for c in choices)
    return value


class DefinitionFileError(Exception):
    def __init__(self, problems: Sequence[FileProblem]) -> None:
        self.total = len(problems)  # all of them; only the first MAX_PROBLEMS are kept
        self.problems = list(problems[:MAX_PROBLEMS])
        more = (
            f"\n… and {self.total - len(self.problems)} more" if self.total > MAX_PROBLEMS else ""
        )
        super().__init__("\n".join(str(p) for p in self.problems) + more)


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
    data, root = _load_or_refuse(text, name)
    return _validate(data, root, model, name)


def parse_sent_definition(text: str, name: str) -> Campaign | OrganisationFile:
    """A file sent in chat: an organisation file (it has `units:`) or a campaign file."""
    data, root = _load_or_refuse(text, name)
    if isinstance(data, dict) and "units" in data:
        return _validate(data, root, OrganisationFile, name)
    return _validate(data, root, Campaign, name)


# PyYAML's problems, by the words they start with, as the kind a clerk is told about.
YAML_PROBLEMS = (
    ("found character '\\t'", "yaml_tab"),
    ("found a tab character", "yaml_tab"),
    ("mapping values are not allowed", "yaml_colon"),
    ("could not find expected ':'", "yaml_no_colon"),
    ("did not find expected key", "yaml_indent"),
    ("expected <block end>", "yaml_indent"),
    ("did not find expected '-' indicator", "yaml_indent"),
    ("found unexpected end of stream", "yaml_quote"),
    ("found unknown escape character", "yaml_escape"),
    ("found undefined alias", "yaml_alias"),
    ("expected ',' or ']'", "yaml_bracket"),
    ("expected ',' or '}'", "yaml_bracket"),
    ("the field", "yaml_duplicate"),
    ("nested deeper than", "yaml_too_deep"),
    ("more than", "yaml_too_many"),
    ("aliases expand to more than", "yaml_aliases_too_many"),
    ("an alias refers to itself", "yaml_alias_loop"),
)


def yaml_problem_kind(reason: str) -> str:
    return next((kind for start, kind in YAML_PROBLEMS if reason.startswith(start)), "yaml_syntax")


def _load_or_refuse(text: str, name: str) -> tuple[Any, yaml.Node | None]:
    try:
        return _load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = str(getattr(exc, "problem", None) or exc)
        raise DefinitionFileError(
            [
                FileProblem(
                    name,
                    line,
                    "",
                    f"not valid YAML: {reason}",
                    yaml_problem_kind(reason),
                    (
                        ("reason", reason),
                        ("field", reason.split("'")[1] if "'" in reason else ""),
                        ("depth", str(MAX_DEPTH)),
                        ("values", str(MAX_VALUES)),
                    ),
                )
            ]
        ) from exc


def _validate(data: Any, root: yaml.Node | None, model: type[Model], name: str) -> Model:
    data = clean_tree(data)  # text from a file is cleaned where it enters, as typed text is
    if not isinstance(data, dict):
        raise DefinitionFileError(
            [FileProblem(name, 1, "", "expected a mapping of fields", "not_mapping")]
        )
    try:
        validated = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = [p for p in error["loc"] if isinstance(p, (int, str))]
            reason = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                reason = "unknown field"
            context = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
            if "value" not in context and isinstance(error.get("input"), str | int | float):
                context["value"] = str(error["input"])[:80]  # what was written, for the clerk
            values = tuple(context.items())
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
    if isinstance(validated, Campaign):
        found = [
            FileProblem(name, _line_of(root, path), ".".join(map(str, path)), reason, code,
                        tuple(values.items()))
            for path, code, reason, values in validated.date_problems()
        ]  # fmt: skip
        if found:
            raise DefinitionFileError(found)
    return validated


def line_in(text: str, path: Sequence[int | str]) -> int | None:
    """The line of a field in a file already read without problems."""
    try:
        _, root = _load(text)
    except yaml.YAMLError:
        return None
    return _line_of(root, path)


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
    """A campaign file, with the plan's text from a .txt file of the same name beside it."""
    campaign = read_definition(path, Campaign)
    text_file = path.with_suffix(".txt")
    if campaign.plan_text is None and text_file.is_file():
        text = clean_block(text_file.read_text(encoding="utf-8"))
        campaign = Campaign.model_validate({**campaign.model_dump(), "plan_text": text})
    return campaign


def read_organisation(path: Path) -> OrganisationFile:
    return read_definition(path, OrganisationFile)
