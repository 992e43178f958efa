"""Text checks around the YAML parser: what an editor may have typed that the parser would
misreport (tabs, full-width spaces and colons, invisible characters, a wrong encoding), and
the parser's own errors turned into messages with a line and a hint. load.py runs them."""
from __future__ import annotations

import re

import yaml

from .errors import Problem, error

MAX_PROBLEMS = 100  # per file: past this the file is garbage, and listing more only costs time and memory

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u061c\u180e"
                        "\u0085\u2028\u2029]")
# NEL, LS and PS are line breaks to YAML but not to editors: every later line number would be off
_LINE_BREAKS = re.compile("[\u0085\u2028\u2029]")
# what a double-quoted value may smuggle in as an escape ("\u202e", "\e"): the invisible ones and control characters
_HIDDEN = re.compile(_INVISIBLE.pattern[:-1] + "\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FULLWIDTH_KEY = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_]*)[ ]*：")
# any key, Chinese too; only consulted where the parser failed, since "注意：…" is fine inside a text block
_FULLWIDTH_ANY_KEY = re.compile(r"^[ ]*(?:-[ ]+)?([^\s#:：'\"\[\]{}|>][^:：]*?)[ ]*：")
_SPACE_AFTER_COLON = re.compile(r"^[ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_]*:(\u3000)")
_INDENT = re.compile(r"^[ \t\u3000\u00a0]*")
_LINES = re.compile(r"\r\n|\r|\n")  # the line breaks YAML counts (besides the three above)
# Every rule of _scan needs a tab, U+3000, U+00A0 or an invisible character on its line,
# or else a line that starts like _FULLWIDTH_KEY. Looking for those first clears most files
# without the full line-by-line pass, which was a good part of the time spent loading.
_SUSPECT = re.compile("[\t\u3000\u00a0" + _INVISIBLE.pattern[1:])


def _may_have_problems(text: str) -> bool:
    if _SUSPECT.search(text):
        return True
    # "：" alone is common in Chinese text; only one on a line that starts like a key matters
    at = text.find("：")
    while at >= 0:
        line_start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
        if _FULLWIDTH_KEY.match(text[line_start:at + 1]):
            return True
        at = text.find("：", at + 1)
    return False


def has_line_breaks(text: str) -> bool:
    """NEL, LS or PS somewhere in the text."""
    return _LINE_BREAKS.search(text) is not None


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
    if not _may_have_problems(text):
        return problems
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


# ── the parser's errors, in words an editor can act on ──

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


def syntax_problem(path: str, text: str, exc: yaml.YAMLError) -> Problem:
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


def escaped_hidden(path: str, text: str, event) -> list[Problem]:
    """Invisible or control characters written as escapes in a double-quoted value: the text scan
    cannot see "\\u200b", but the value holds a zero-width space all the same."""
    found = _HIDDEN.findall(event.value)
    if not found:  # the usual case, known without splitting the text into lines
        return []
    start, end = event.start_mark, event.end_mark
    source = "\n".join(_LINES.split(text)[start.line:end.line + 1])
    hidden = dict.fromkeys(ch for ch in found if ch not in source)
    return [error(path, start.line + 1, start.column + 1, "invisible-char",
                  f"有看不见的控制字符 {_char_name(ch)}（zero-width, bidi or control character written as an escape）",
                  "删除这个转义 / remove the escape") for ch in hidden]
