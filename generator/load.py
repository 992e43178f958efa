"""Step 1, load: YAML files → node trees that keep every value's source text and position.

The YAML library never decides a type here (PyYAML would read `8:30` as 510,
`0755` as 493 and `no` as False); every scalar stays text and the schema decides
later. We read the event stream instead of composing nodes so that aliases,
tags, duplicate keys and deep nesting are refused before they can cost memory
or recursion, and a broken file becomes a list of Problems, never a traceback.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml

from .errors import Problem, error

MAX_BYTES = 256 * 1024  # a station file is ~2 KB; anything this large is a mistake or an attack
MAX_DEPTH = 12  # our deepest schema path is 4 levels
MAX_PROBLEMS = 100  # per file: past this the file is garbage, and listing more only costs time and memory
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Scalar:
    value: str
    line: int
    col: int
    plain: bool = True  # unquoted: only then may it mean null

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULL_WORDS


@dataclass
class Mapping:
    line: int
    col: int
    # key text → (key scalar, value node); insertion order is the file's order
    items: dict[str, tuple[Scalar, "Node"]] = field(default_factory=dict)


@dataclass
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

    @property
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


# ── text checks that give editors a better message than the YAML parser would ──

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u061c\u180e"
                        "\u0085\u2028\u2029]")
# NEL, LS and PS are line breaks to YAML but not to editors: every later line number would be off
_LINE_BREAKS = frozenset("\u0085\u2028\u2029")
# what a double-quoted value may smuggle in as an escape ("\u202e", "\e"): the invisible ones and control characters
_HIDDEN = re.compile(_INVISIBLE.pattern[:-1] + "\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FULLWIDTH_KEY = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_]*)[ ]*：")
# any key, Chinese too; only consulted where the parser failed, since "注意：…" is fine inside a text block
_FULLWIDTH_ANY_KEY = re.compile(r"^[ ]*(?:-[ ]+)?([^\s#:：'\"\[\]{}|>][^:：]*?)[ ]*：")
_SPACE_AFTER_COLON = re.compile(r"^[ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_]*:(\u3000)")
_INDENT = re.compile(r"^[ \t\u3000\u00a0]*")
_LINES = re.compile(r"\r\n|\r|\n")  # the line breaks YAML counts (besides the three above)


def _fullwidth_colon(path: str, line: int, col: int, key: str) -> Problem:
    return error(path, line, col, "fullwidth-colon",
                 f"字段 \"{key}\" 后面用了全角冒号“：”（full-width colon after a key）",
                 f"写成半角冒号加空格：{key}: …  / use an ASCII colon and a space", key=key)


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def too_many(path: str, line: int, col: int) -> Problem:
    return error(path, line, col, "too-many-problems",
                 f"问题超过 {MAX_PROBLEMS} 个，后面的不再列出（more than {MAX_PROBLEMS} problems, stopped here）",
                 "先改正上面列出的问题再重新检查 / fix these first, then run again")


def scan_text(path: str, text: str) -> list[Problem]:
    problems: list[Problem] = []
    for p in _scan(path, text):  # lazily, so a file full of them costs no more than MAX_PROBLEMS
        if len(problems) == MAX_PROBLEMS:
            problems.append(too_many(path, p.line, p.col))
            break
        problems.append(p)
    return problems


def _scan(path: str, text: str):
    for n, line in enumerate(_LINES.split(text), start=1):
        indent = _INDENT.match(line).group(0)
        if "\t" in indent:
            yield error(
                path, n, indent.index("\t") + 1, "tab-indent",
                "缩进里有制表符 Tab（tab used for indentation）",
                "YAML 只能用空格缩进：把 Tab 换成两个空格 / indent with spaces only")
        if "\u3000" in indent:
            yield error(
                path, n, indent.index("\u3000") + 1, "ideographic-space",
                "缩进里有全角空格（ideographic space U+3000 used for indentation）",
                "把全角空格换成半角空格（切换到英文输入法再按空格）/ use ASCII spaces")
        if "\u00a0" in indent:
            yield error(
                path, n, indent.index("\u00a0") + 1, "nbsp-indent",
                "缩进里有不换行空格（no-break space U+00A0 used for indentation, often pasted from a web page）",
                "删掉这一行开头的空白，重新用空格键缩进 / retype the indentation with ASCII spaces")
        m = _SPACE_AFTER_COLON.match(line)
        if m:
            yield error(
                path, n, m.start(1) + 1, "ideographic-space",
                "冒号后面是全角空格（ideographic space U+3000 after the colon）",
                "冒号后面用半角空格（切换到英文输入法再按空格）/ use an ASCII space after the colon")
        m = _FULLWIDTH_KEY.match(line)
        if m:
            yield _fullwidth_colon(path, n, m.end(), m.group(1))
        for m in _INVISIBLE.finditer(line):
            if n == 1 and m.start() == 0 and m.group(0) == "\ufeff":
                continue  # a byte-order mark at the very start is fine
            yield error(
                path, n, m.start() + 1, "invisible-char",
                f"有看不见的控制字符 {_char_name(m.group(0))}（zero-width or bidi control character）",
                "删除这个字符：它常由复制粘贴带入，会让文字显示或比较出错 / delete it")


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [error(
            path, 1, 1, "not-utf8", "文件是 UTF-16 编码（file is UTF-16, not UTF-8）",
            "请用 UTF-8 编码另存（记事本：另存为 → 编码选 UTF-8）/ save as UTF-8")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        try:
            data.decode("gb18030")
            guess = "文件看起来是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            guess = "文件不是 UTF-8 编码"
        return None, [error(
            path, line, col, "not-utf8",
            f"{guess}（file is not UTF-8）",
            "请用 UTF-8 编码另存（记事本：另存为 → 编码选 UTF-8；GitHub 网页编辑器默认就是 UTF-8）/ save as UTF-8")]


# ── the event walk ──

_SYNTAX_HINTS = {
    "mapping values are not allowed": "这一行有多余的冒号：文字里要用冒号，请给整段文字加英文引号 \"…\" / quote values that contain ': '",
    "could not find expected ':'": "每个字段写成 名称: 值（英文冒号后加空格）/ write key: value",
    "did not find expected key": "检查缩进：同一层的字段要左对齐 / check indentation",
    "found character '\\t'": "把 Tab 换成空格 / replace tabs with spaces",
    "found undefined alias": "不要使用 * 引用，直接写出内容 / write the value out",
    "found unexpected end of stream": "引号或括号没有配对 / a quote or bracket is not closed",
    "while scanning a quoted scalar": "引号没有配对：检查是否少了一个 \" / a quote is not closed",
    "while parsing a block collection": "列表项要以 \"- \" 开头并对齐 / list items start with '- ' and align",
    "special characters are not allowed": "文件里有不可见的控制字符，请删除 / remove control characters",
    "unacceptable character": "文件里有不可见的控制字符，请删除（或用 \\x 转义写在双引号里）/ remove control characters",
}


def _syntax_problem(path: str, text: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context_mark", None)
    if context is not None and mark is not None and (
            mark.line >= len(text.rstrip().splitlines())  # found at the end: an unclosed quote or bracket
            or "simple key" in str(getattr(exc, "context", ""))):  # a line with no ': ' at all
        mark = context  # point where it starts
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    bad = getattr(exc, "character", None)  # a ReaderError has no mark: find the character it refused
    if isinstance(bad, int) and (at := text.find(chr(bad))) >= 0:
        *_, last = before = _LINES.split(text[:at])
        line, col = len(before), len(last) + 1
    if "maximum nesting depth" in str(exc):  # libyaml's own limit on flow collections, [[[[…
        return error(path, line, col, "too-deep", "嵌套过深（nesting too deep）", "检查括号和缩进 / check brackets and indentation")
    lines = _LINES.split(text)
    for n in (line - 1, line):  # a Chinese key with a full-width colon confuses the parser on this line or the next
        m = _FULLWIDTH_ANY_KEY.match(lines[n - 1]) if 1 <= n <= len(lines) else None
        if m:
            return _fullwidth_colon(path, n, m.end(), m.group(1))
    detail = " ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x)
    detail = detail or str(exc).splitlines()[0]
    hint = next((h for k, h in _SYNTAX_HINTS.items() if k in str(exc)),
                "对照其他文件检查这一行的格式 / compare with a working file")
    return error(path, line, col, "yaml-syntax", f"YAML 格式错误（YAML syntax error）：{detail}", hint)


def _escaped_hidden(path: str, text: str, event) -> list[Problem]:
    """Invisible or control characters written as escapes in a double-quoted value: the text scan
    cannot see "\\u200b", but the value holds a zero-width space all the same."""
    start, end = event.start_mark, event.end_mark
    source = "\n".join(_LINES.split(text)[start.line:end.line + 1])
    hidden = dict.fromkeys(ch for ch in _HIDDEN.findall(event.value) if ch not in source)
    return [error(path, start.line + 1, start.column + 1, "invisible-char",
                  f"有看不见的控制字符 {_char_name(ch)}（zero-width, bidi or control character written as an escape）",
                  "删除这个转义 / remove the escape") for ch in hidden]


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
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return True
        key = pending_key[-1]
        if key is None:  # this node *is* the key
            if not isinstance(node, Scalar):
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
        if getattr(event, "anchor", None):
            problems.append(error(path, line, col, "yaml-anchor",
                                  f"不支持锚点 &{event.anchor}（anchors are not allowed）",
                                  "删除 &名字，把内容直接写出来 / write values out"))
        if getattr(event, "tag", None):
            problems.append(error(path, line, col, "yaml-tag",
                                  f"不支持类型标签 {event.tag}（tags are not allowed）",
                                  "删除 ! 开头的标签；需要文字时用英文引号 / remove the tag"))

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if len(problems) >= MAX_PROBLEMS:
                problems.append(too_many(path, *pos(event)))
                return None, problems
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line, col = pos(event)
                    problems.append(error(path, line, col, "multiple-documents",
                                          "一个文件只能写一个记录（several YAML documents in one file）",
                                          "删除 --- 及其后的内容，另建一个文件 / one record per file"))
                    break
            elif isinstance(event, yaml.AliasEvent):
                line, col = pos(event)
                problems.append(error(path, line, col, "yaml-alias",
                                      f"不支持引用 *{event.anchor}（aliases are not allowed）",
                                      "把内容直接写出来 / write the value out"))
                # a placeholder keeps key/value pairing in step so later checks still run
                attach(Scalar("", line, col))
            elif isinstance(event, yaml.ScalarEvent):
                refuse_extras(event)
                line, col = pos(event)
                if event.style == '"' and _HIDDEN.search(event.value):
                    problems.extend(_escaped_hidden(path, text, event))
                # plain style is None from PyYAML's Python parser but "" from libyaml's
                attach(Scalar(event.value, line, col, plain=not event.style))
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                refuse_extras(event)
                line, col = pos(event)
                if len(stack) >= MAX_DEPTH:
                    problems.append(error(path, line, col, "too-deep",
                                          f"嵌套超过 {MAX_DEPTH} 层（nesting deeper than {MAX_DEPTH} levels）",
                                          "检查缩进是否多了 / check the indentation"))
                    return None, problems
                node = Mapping(line, col) if isinstance(event, yaml.MappingStartEvent) else Sequence(line, col)
                stack.append(node)
                pending_key.append(None)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                node = stack.pop()
                pending_key.pop()
                attach(node)
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(path, text, exc))
        return None, problems
    except RecursionError:  # defensive: libyaml's own limits normally stop this first
        problems.append(error(path, 1, 1, "too-deep", "嵌套过深（nesting too deep）", "检查缩进 / check indentation"))
        return None, problems
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
            data = f.read(MAX_BYTES + 1)
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
    if any(p.code in _FATAL_SCAN for p in problems) or _LINE_BREAKS.intersection(text):
        return RawDoc(rel, kind, None, problems)  # the parser's message would only be more confusing
    root, more = parse(rel, text)
    return RawDoc(rel, kind, root, problems + more)


def iter_content_files(content_dir: Path):
    """(file, relative path, kind) for every record file, in a stable order."""
    for file in sorted(content_dir.glob("*/*.y*ml")):
        if (file.is_file() or file.is_symlink()) and not file.name.startswith("."):
            yield file, file.relative_to(content_dir.parent).as_posix(), file.parent.name
