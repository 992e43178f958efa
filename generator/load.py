"""Step 1, load: YAML files → node trees that keep every value's source text and position.

The YAML library never decides a type here (PyYAML would read `8:30` as 510,
`0755` as 493 and `no` as False); every scalar stays text and the schema decides
later. We read the event stream instead of composing nodes so that aliases,
tags, duplicate keys and deep nesting are refused before they can cost memory
or recursion, and a broken file becomes a list of Problems, never a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, NamedTuple, Union

import yaml

from .errors import Problem, error
from .textscan import (  # noqa: F401  (MAX_PROBLEMS and too_many are part of this module's interface)
    MAX_PROBLEMS,
    decode,
    escaped_hidden,
    has_line_breaks,
    scan_text,
    syntax_problem,
    too_many,
)

MAX_BYTES = 256 * 1024  # a station file is ~2 KB; anything this large is a mistake or an attack
MAX_DEPTH = 12  # our deepest schema path is 4 levels
_FIRST_READ = 16 * 1024  # holds any normal record file in one read
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

# Only the event stream is read, so libyaml's bare parser is enough (CSafeLoader would also set
# up a constructor and a resolver for every file); PyYAML's Python parser is the fallback.
if yaml.__with_libyaml__:
    from yaml.cyaml import CParser as _Parser
else:  # pragma: no cover - every supported install has libyaml
    from yaml import SafeLoader as _Parser
# the event classes parse() meets most often, looked up once
_SCALAR, _MAPPING_END, _SEQUENCE_END = yaml.ScalarEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent


class Scalar(NamedTuple):
    """A scalar exactly as written. Immutable; a NamedTuple rather than a frozen dataclass
    because it is made once per value of every file, and a frozen dataclass costs three
    times as much to make (at 10,000 stations, most of a second)."""

    value: str
    line: int
    col: int
    plain: bool = True  # unquoted: only then may it mean null

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULL_WORDS


# slots: tens of thousands of these stay in memory together, and smaller nodes load faster
@dataclass(slots=True)
class Mapping:
    line: int
    col: int
    # key text → (key scalar, value node); insertion order is the file's order
    items: dict[str, tuple[Scalar, "Node"]] = field(default_factory=dict)


@dataclass(slots=True)
class Sequence:
    line: int
    col: int
    items: list["Node"] = field(default_factory=list)


Node = Union[Scalar, Mapping, Sequence]


@dataclass
class RawDoc:
    """One content file as read: `root` is None when it could not be parsed."""

    path: str  # relative, with forward slashes, as editors see it in GitHub
    kind: str  # the content folder: stations, services, policies, ...
    root: Node | None
    problems: list[Problem]

    @cached_property  # asked for several times per document; a Path costs more than the rest of the lookup
    def stem(self) -> str:
        return Path(self.path).stem


def to_python(node: Node | None):
    """The plain value of a node: dicts, lists and strings (null stays None)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return None if node.is_null else node.value
    if isinstance(node, Sequence):
        return [to_python(n) for n in node.items]
    return {k: to_python(v) for k, (_, v) in node.items.items()}


def parse(path: str, text: str) -> tuple[Node | None, list[Problem]]:
    problems: list[Problem] = []
    stack: list[Node] = []
    pending_key: list[Scalar | None] = []  # per open mapping: the key waiting for its value
    root: Node | None = None
    documents = 0

    def pos(event) -> tuple[int, int]:
        return event.start_mark.line + 1, event.start_mark.column + 1

    def attach(node: Node) -> bool:
        """Put a finished node in its parent; False when it must be dropped."""
        nonlocal root
        if not stack:
            root = node
            return True
        parent = stack[-1]
        if type(parent) is Sequence:
            parent.items.append(node)
            return True
        key = pending_key[-1]
        if key is None:  # this node *is* the key
            if type(node) is not Scalar:
                problems.append(error(path, node.line, node.col, "complex-key",
                                      "字段名必须是简单文字（a key must be plain text）",
                                      "写成 名称: 值 / write key: value"))
                pending_key[-1] = Scalar("", node.line, node.col)
                return False
            if node.value == "<<" and node.plain:
                problems.append(error(path, node.line, node.col, "yaml-merge-key",
                                      "不支持合并键 <<（merge keys are not allowed）",
                                      "把要用的字段直接写出来 / write the fields out"))
            pending_key[-1] = node
            return True
        pending_key[-1] = None
        first = parent.items.get(key.value)
        if first is not None:
            problems.append(error(
                path, key.line, key.col, "duplicate-key",
                f"字段 \"{key.value}\" 重复：第 {first[0].line} 行已经写过（duplicate key, first on line {first[0].line}）",
                "删掉其中一个，只保留正确的那个 / keep only one", key=key.value))
            return False
        parent.items[key.value] = (key, node)
        return True

    def refuse_extras(event) -> None:
        line, col = pos(event)
        if event.anchor:
            problems.append(error(path, line, col, "yaml-anchor",
                                  f"不支持锚点 &{event.anchor}（anchors are not allowed）",
                                  "删除 &名字，把内容直接写出来 / write values out"))
        if event.tag:
            problems.append(error(path, line, col, "yaml-tag",
                                  f"不支持类型标签 {event.tag}（tags are not allowed）",
                                  "删除 ! 开头的标签；需要文字时用英文引号 / remove the tag"))

    # Without a backslash in the file no double-quoted value holds an escape, so each of its
    # characters is in the file, where scan_text has already seen it: no search per value.
    escapes = "\\" in text
    # The events are read straight from the parser rather than through yaml.parse(), and
    # matched by exact class: this loop runs for every value of every file, and at 10,000
    # stations its overhead was a large part of the validation time.
    loader = None
    try:
        loader = _Parser(text)
        # get_event() gives None after the stream's end (both parsers); asking check_event()
        # first would cost a second call per event
        while (event := loader.get_event()) is not None:
            cls = type(event)
            if len(problems) >= MAX_PROBLEMS:
                problems.append(too_many(path, *pos(event)))
                return None, problems
            if cls is _SCALAR:
                if event.anchor or event.tag:
                    refuse_extras(event)
                mark = event.start_mark
                if event.style == '"' and escapes:
                    problems.extend(escaped_hidden(path, text, event))
                # plain style is None from PyYAML's Python parser but "" from libyaml's
                attach(Scalar(event.value, mark.line + 1, mark.column + 1, not event.style))
            elif cls is _MAPPING_END or cls is _SEQUENCE_END:
                node = stack.pop()
                pending_key.pop()
                attach(node)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                if event.anchor or event.tag:
                    refuse_extras(event)
                line, col = pos(event)
                if len(stack) >= MAX_DEPTH:
                    problems.append(error(path, line, col, "too-deep",
                                          f"嵌套超过 {MAX_DEPTH} 层（nesting deeper than {MAX_DEPTH} levels）",
                                          "检查缩进是否多了 / check the indentation"))
                    return None, problems
                stack.append(Mapping(line, col) if cls is yaml.MappingStartEvent else Sequence(line, col))
                pending_key.append(None)
            elif cls is yaml.AliasEvent:
                line, col = pos(event)
                problems.append(error(path, line, col, "yaml-alias",
                                      f"不支持引用 *{event.anchor}（aliases are not allowed）",
                                      "把内容直接写出来 / write the value out"))
                # a placeholder keeps key/value pairing in step so later checks still run
                attach(Scalar("", line, col))
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    line, col = pos(event)
                    problems.append(error(path, line, col, "multiple-documents",
                                          "一个文件只能写一个记录（several YAML documents in one file）",
                                          "删除 --- 及其后的内容，另建一个文件 / one record per file"))
                    break
    except yaml.YAMLError as exc:
        problems.append(syntax_problem(path, text, exc))
        return None, problems
    except RecursionError:  # defensive: libyaml's own limits normally stop this first
        problems.append(error(path, 1, 1, "too-deep", "嵌套过深（nesting too deep）", "检查缩进 / check indentation"))
        return None, problems
    finally:
        if loader is not None:
            loader.dispose()
    if isinstance(root, Scalar) and root.is_null:  # only `---`, `~` or `null`: as good as empty
        root = None
    if root is None and not problems:
        problems.append(error(path, 1, 1, "empty-file", "文件是空的（the file is empty）",
                              "参照 content/ 里的其他文件填写 / fill it in like the other files"))
    return root, problems


_FATAL_SCAN = {"tab-indent", "ideographic-space", "nbsp-indent", "fullwidth-colon", "too-many-problems"}


def load_file(file: Path, rel: str, kind: str) -> RawDoc:
    if file.is_symlink():  # a link could make the validator print any file of the machine it runs on
        return RawDoc(rel, kind, None, [error(
            rel, 1, 1, "symlink", "内容文件不能是符号链接（symbolic links are not allowed in content/）",
            "把文件本身放进来 / add the file itself, not a link")])
    try:
        with file.open("rb") as f:  # read at most one byte past the limit, whatever stat() says
            # read(n) allocates all n bytes up front: first a chunk that holds any normal
            # file, and only past it the rest up to the limit
            data = f.read(_FIRST_READ)
            if len(data) == _FIRST_READ:
                data += f.read(MAX_BYTES + 1 - _FIRST_READ)
        if len(data) > MAX_BYTES:
            size = max(len(data), file.stat().st_size)
            return RawDoc(rel, kind, None, [error(
                rel, 1, 1, "file-too-large",
                f"文件太大：{size} 字节，上限 {MAX_BYTES}（file too large）",
                "一个文件只写一个记录 / one record per file")])
    except OSError as e:
        return RawDoc(rel, kind, None, [error(rel, 1, 1, "unreadable", f"无法读取文件（cannot read）：{e.strerror}")])
    text, problems = decode(rel, data)
    if text is None:
        return RawDoc(rel, kind, None, problems)
    problems = scan_text(rel, text)
    if any(p.code in _FATAL_SCAN for p in problems) or has_line_breaks(text):
        return RawDoc(rel, kind, None, problems)  # the parser's message would only be more confusing
    root, more = parse(rel, text)
    return RawDoc(rel, kind, root, problems + more)


def iter_content_files(content_dir: Path):
    """(file, relative path, kind) for every record file, in a stable order."""
    relative = relative_paths(content_dir)
    for file in sorted(content_dir.glob("*/*.y*ml")):
        if (file.is_file() or file.is_symlink()) and not file.name.startswith("."):
            yield file, relative(file), file.parts[-2]


def relative_paths(content_dir: Path) -> Callable[[Path], str]:
    """For files found under content_dir: the path from content_dir's parent, with forward slashes,
    as editors see it in GitHub. The same as file.relative_to(content_dir.parent).as_posix(),
    without making two Paths per file (at 10,000 files that was a tenth of a second each time)."""
    base, skip = content_dir.relative_to(content_dir.parent).parts, len(content_dir.parts)
    return lambda file: "/".join(base + file.parts[skip:])
