"""`yizhan new station|service|policy`: a valid, commented record file from a few answers.

The templates (generator/scaffold/*.yaml.j2) are YAML: every answer goes in as a YAML
double-quoted string (a JSON string is one), so no answer can add a key or break the
file. The written text is run through the validator itself before it is saved, and
optional fields appear only as commented-out examples: nothing fake is ever written.
"""
from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import schemas
from .config import build_date
from .contributing import ID_PATTERN, URL_PATTERN, field, zh
from .errors import Problem
from .load import load_file
from .validate import validate_doc

_ID = re.compile(ID_PATTERN)
_URL = re.compile(URL_PATTERN)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class Answer:
    name: str  # the flag is --name with _ → -
    label: str  # the question, in Chinese
    required: bool = True
    multiple: bool = False
    type: str = "text"  # text | id | date | url | ref:<folder>

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Spec:
    folder: str
    template: str
    answers: tuple[Answer, ...]

    @property
    def schema(self) -> str:
        return schemas.KINDS[self.folder]


_SOURCE = (
    Answer("source_title", "信息来源的标题（如报道或通知的标题）/ source title"),
    Answer("source_publisher", "信息来源的发布者（如兰州晨报、街道办事处）/ source publisher"),
    Answer("source_date", "信息来源的发布日期 YYYY-MM-DD / source date", type="date"),
    Answer("source_url", "信息来源的网址（没有就留空）/ source URL", required=False, type="url"),
)

SPECS: dict[str, Spec] = {
    "station": Spec("stations", "station.yaml.j2", (
        Answer("id", "标识：小写字母、数字和连字符，如 chenping-linggong / id", type="id"),
        Answer("name", "驿站名称 / name"),
        Answer("kind", "驿站类型 / kind", type="ref:kinds"),
        Answer("town", "所属镇或街道 / town or street"),
        Answer("community", "所属社区或村（不知道就留空）/ community", required=False),
        Answer("operator", "管理单位（不知道就留空）/ operator", required=False),
        *_SOURCE,
    )),
    "service": Spec("services", "service.yaml.j2", (
        Answer("id", "标识：小写字母、数字和连字符，如 phone-charging / id", type="id"),
        Answer("name", "服务名称 / name"),
        Answer("description", "服务内容，一两句话 / description"),
        Answer("audience", "服务对象，可写多个 / audience", multiple=True),
    )),
    "policy": Spec("policies", "policy.yaml.j2", (
        Answer("id", "标识：小写字母、数字和连字符，如 people-mediation-law / id", type="id"),
        Answer("title", "政策或法律的标题 / title"),
        Answer("issuer", "发布机关 / issuer"),
        Answer("issued", "发布日期 YYYY-MM-DD / date issued", type="date"),
        Answer("summary", "通俗摘要 / plain-language summary"),
        Answer("url", "原文网址（没有就留空）/ URL of the text", required=False, type="url"),
        *_SOURCE,
    )),
}


class ScaffoldError(Exception):
    """`exit_code` 2 for a bad answer (usage), 1 for a refusal (the id exists, the result would not validate)."""

    def __init__(self, message: str, exit_code: int = 2, problems: list[Problem] | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        self.problems = problems or []


def existing_ids(content_dir: Path, folder: str) -> list[str]:
    where = content_dir / folder
    return sorted({f.stem for f in where.glob("*.y*ml") if f.is_file()}) if where.is_dir() else []


def missing(spec: Spec, answers: dict) -> list[Answer]:
    return [a for a in spec.answers if a.required and not answers.get(a.name)]


def _check(spec: Spec, answers: dict, content_dir: Path) -> None:
    for a in spec.answers:
        values = answers.get(a.name) or ()
        for value in (values if a.multiple else (values,)):
            if not value:
                continue
            if a.type == "id" and not (_ID.match(value) and len(value) <= 64):
                raise ScaffoldError(f"标识 \"{value}\" 不合规则：只能用小写英文字母、数字和连字符，不能以连字符开头或结尾，"
                                    f"最长 64 个字符（{a.flag}: lowercase letters, digits and single hyphens）")
            if a.type == "date":
                try:
                    ok = bool(_DATE.match(value)) and date.fromisoformat(value) is not None
                except ValueError:
                    ok = False
                if not ok:
                    raise ScaffoldError(f"{a.flag} \"{value}\" 不是有效日期，写成 YYYY-MM-DD，例如 2024-04-16（not a date）")
            if a.type == "url" and not _URL.match(value):
                raise ScaffoldError(f"{a.flag} \"{value}\" 不是网址：要以 http:// 或 https:// 开头（not a URL）")
            if a.type.startswith("ref:"):
                known = existing_ids(content_dir, a.type[4:])
                if value not in known:
                    raise ScaffoldError(f"{a.flag} \"{value}\" 在 content/{a.type[4:]}/ 里不存在（unknown id）；"
                                        f"可选 / one of: {'、'.join(known) or '（无）'}")


def _quote(value) -> str:
    """A YAML double-quoted scalar: JSON's string escapes are a subset of YAML's."""
    return json.dumps(str(value), ensure_ascii=False)


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("generator", "scaffold"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = _quote
    return env


def render(kind: str, answers: dict, content_dir: Path, today: date | None = None) -> str:
    spec = SPECS[kind]

    def doc(path: str) -> str:
        return field(spec.schema, path).description

    def example(path: str) -> str:
        return field(spec.schema, path).example

    choices = {folder: existing_ids(content_dir, folder)
               for folder in ("kinds", "services", "amenities", "policies")}
    values = {a.name: (list(answers.get(a.name) or ()) if a.multiple else answers.get(a.name) or "")
              for a in spec.answers}
    return _environment().get_template(spec.template).render(
        **values, doc=doc, example=example, choices=choices, schema=spec.schema, zh=zh,
        today=(today or build_date()).isoformat())


def validate_text(kind: str, text: str, rel: str) -> list[Problem]:
    """The validator's own verdict on the text (the same loader and schema as `yizhan validate`)."""
    spec = SPECS[kind]
    with tempfile.TemporaryDirectory(prefix="yizhan-new-") as tmp:
        file = Path(tmp) / Path(rel).name
        file.write_text(text, encoding="utf-8")
        raw = load_file(file, rel, spec.folder)
    _, found = validate_doc(raw)
    return [p for p in raw.problems + found if p.is_error]


def create(kind: str, answers: dict, content_dir: Path, write: bool = True) -> tuple[Path, str]:
    """Check the answers, render, validate, and write content/<folder>/<id>.yaml; never overwrites."""
    spec = SPECS[kind]
    lacking = missing(spec, answers)
    if lacking:
        raise ScaffoldError("缺少 / missing: " + "、".join(a.flag for a in lacking))
    _check(spec, answers, content_dir)
    rid = answers["id"]
    if rid in existing_ids(content_dir, spec.folder):
        raise ScaffoldError(f"标识 {rid} 已经存在：content/{spec.folder}/{rid}.yaml。请直接修改那个文件，或换一个标识"
                            f"（the id {rid} exists already）", exit_code=1)
    path = content_dir / spec.folder / f"{rid}.yaml"
    rel = f"{content_dir.as_posix().rstrip('/')}/{spec.folder}/{rid}.yaml"
    text = render(kind, answers, content_dir)
    problems = validate_text(kind, text, rel)
    if problems:
        raise ScaffoldError("生成的文件不能通过检查（the new file would not validate）", exit_code=1, problems=problems)
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as f:  # "x": refuse to overwrite, even in a race
            f.write(text)
    return path, text
