"""The only place that turns Problems into text: plain, JSON or GitHub workflow commands."""
from __future__ import annotations

import json
import re

from .errors import Problem

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_BREAKS = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _visible(s: str, pattern: re.Pattern = _CONTROL) -> str:
    """Control characters that came from content ("\\e[31m", a newline in a quoted value) shown as
    escapes, so a value can neither recolour a terminal nor forge a line of output."""
    return pattern.sub(lambda m: f"\\x{ord(m.group(0)):02x}", s)


def _summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "没有发现问题（no problems found）"
    return f"发现 {errors} 个错误、{warnings} 个警告（{errors} errors, {warnings} warnings）"


def as_text(problems: list[Problem]) -> str:
    lines = []
    for p in problems:
        # path:line:col: severity[code]: message, the form compilers use, so editors can jump to it
        lines.append(f"{_visible(p.path)}:{p.line}:{p.col}: {p.severity.value}[{p.code}]: {_visible(p.message)}")
        if p.hint:
            lines.append(f"    提示 / hint: {_visible(p.hint)}")
    lines.append(_summary(problems))
    return "\n".join(lines)


def as_json(problems: list[Problem]) -> str:
    return json.dumps({"problems": [p.as_dict() for p in problems],
                       "errors": sum(p.is_error for p in problems),
                       "warnings": sum(not p.is_error for p in problems)},
                      ensure_ascii=False, indent=2)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def as_github(problems: list[Problem]) -> str:
    """GitHub workflow commands: each problem becomes an annotation on its line in the pull request."""
    lines = []
    for p in problems:
        level = "error" if p.is_error else "warning"
        # \r and \n are left to GitHub's own escaping (%0D, %0A); other control characters are shown
        title = _escape_property(_visible(f"{p.code}" + (f" {p.key}" if p.key else ""), _CONTROL_BUT_BREAKS))
        body = _escape_data(_visible(p.message + (f"\n提示 / hint: {p.hint}" if p.hint else ""), _CONTROL_BUT_BREAKS))
        lines.append(f"::{level} file={_escape_property(_visible(p.path, _CONTROL_BUT_BREAKS))},line={p.line},col={p.col},title={title}::{body}")
    lines.append(_summary(problems))
    return "\n".join(lines)


FORMATS = {"text": as_text, "json": as_json, "github": as_github}
