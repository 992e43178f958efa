"""The only place that turns Problems into text: plain, JSON or GitHub workflow commands."""
from __future__ import annotations

import json

from .errors import Problem


def _summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "没有发现问题（no problems found）"
    return f"发现 {errors} 个错误、{warnings} 个警告（{errors} errors, {warnings} warnings）"


def as_text(problems: list[Problem]) -> str:
    lines = []
    for p in problems:
        label = f"{p.severity.value}[{p.code}]"
        key = f" {p.key}:" if p.key else ""
        lines.append(f"{p.path}:{p.line}:{p.col}: {label}:{key} {p.message}")
        if p.hint:
            lines.append(f"    提示 / hint: {p.hint}")
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
        title = _escape_property(f"{p.code}" + (f" {p.key}" if p.key else ""))
        body = _escape_data(p.message + (f"\n提示 / hint: {p.hint}" if p.hint else ""))
        lines.append(f"::{level} file={_escape_property(p.path)},line={p.line},col={p.col},title={title}::{body}")
    lines.append(_summary(problems))
    return "\n".join(lines)


FORMATS = {"text": as_text, "json": as_json, "github": as_github}
