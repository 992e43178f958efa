"""`yizhan diff BASE`: what a change does to the data, record by record, and the deletion guard.

Both sides go through the validator's own loader (load.load_file + validate.validate_doc),
so the diff compares exactly the values the site is built from: `8:30` stays text,
`36.0830` is the number 36.083, and a comment or a change of quoting is no change.
The base side is read from git (`git ls-tree` + `git cat-file --batch`); a path that
git reports is only ever used as a label, never opened on disk.
"""
from __future__ import annotations

import fnmatch
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import schemas
from .load import iter_content_files, load_file
from .validate import validate_doc

# the kinds editors change, first; then the vocabularies
KIND_ORDER = ["stations", "services", "policies", "kinds", "amenities", "holidays"]
KIND_ZH = {"stations": "驿站", "services": "服务", "policies": "政策", "kinds": "驿站类型",
           "amenities": "设施", "holidays": "节假日安排"}
MISSING = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()


class GitError(Exception):
    """The revision or the repository cannot be read: a usage error (exit 2)."""


@dataclass(frozen=True)
class Side:
    """One record file as read: `data` is None when the file could not be parsed."""

    path: str
    data: dict | None
    errors: int = 0


Snapshot = dict[str, dict[str, Side]]  # kind → id (the file name) → side


@dataclass(frozen=True)
class FieldChange:
    field: str  # dotted path, e.g. location.lat or phones[0].number
    old: object
    new: object
    added: tuple = ()  # for lists of plain values: the items that came and went
    removed: tuple = ()


@dataclass
class RecordChange:
    kind: str
    id: str
    change: str  # added | changed | closed | removed | unreadable
    path: str
    label: str
    fields: list[FieldChange] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class GuardProblem:
    path: str  # the (first) deleted file
    message: str  # Chinese and English, for the terminal and the log
    code: str = "deleted-station"  # or "removed-share"
    kind: str = "stations"
    paths: tuple[str, ...] = ()
    removed: int = 1
    total: int = 1


@dataclass
class DiffResult:
    base: str
    changes: list[RecordChange]
    base_counts: dict[str, int]
    guard: list[GuardProblem] = field(default_factory=list)
    max_share: float = 0.2

    def of(self, kind: str, change: str) -> list[RecordChange]:
        return [c for c in self.changes if c.kind == kind and c.change == change]

    @property
    def kinds(self) -> list[str]:
        present = {c.kind for c in self.changes}
        return [k for k in KIND_ORDER if k in present] + sorted(present.difference(KIND_ORDER))


# ── reading both sides ──

def _side(raw) -> Side:
    errors = sum(p.is_error for p in raw.problems)
    doc, problems = validate_doc(raw)
    errors += sum(p.is_error for p in problems)
    return Side(raw.path, doc.data if doc is not None else None, errors)


def _is_record(name: str) -> bool:
    return fnmatch.fnmatchcase(name, "*.y*ml") and not name.startswith(".")


def working_tree(content_dir: Path, prefix: str | None = None) -> Snapshot:
    """The records on disk; with `prefix` (content/'s path in the repository) paths are named as git names them."""
    snap: Snapshot = {}
    if not content_dir.is_dir():
        return snap
    for file, rel, kind in iter_content_files(content_dir):
        if kind in schemas.KINDS:
            label = rel if prefix is None else "/".join(filter(None, (prefix, kind, file.name)))
            snap.setdefault(kind, {})[Path(rel).stem] = _side(load_file(file, label, kind))
    return snap


def _git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, env=env, check=False)
    except FileNotFoundError as e:
        raise GitError("找不到 git 命令（git is not installed）") from e
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def _repo_location(content_dir: Path) -> tuple[Path, str]:
    """The repository's top folder and content/'s path inside it (e.g. "content")."""
    target = content_dir.resolve()
    probe = target
    while not probe.is_dir():  # content/ itself may be gone in the working tree
        probe = probe.parent
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], probe).decode("utf-8").strip()).resolve()
    except GitError as e:
        raise GitError(f"{content_dir} 不在 git 仓库里（not inside a git repository）: {e}") from e
    try:
        rel = target.relative_to(top).as_posix()
        return top, "" if rel == "." else rel
    except ValueError as e:
        raise GitError(f"{content_dir} 不在仓库 {top} 里（outside the repository）") from e


def resolve_revision(base: str, top: Path) -> str:
    if not base or base.startswith("-") or any(ch.isspace() or ord(ch) < 32 for ch in base):
        raise GitError(f"不是有效的版本名（not a revision）: {base!r}")
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top).decode().strip()
    except GitError as e:
        raise GitError(f"找不到版本 {base}（unknown revision）；在拉取请求里请用 origin/<分支> 并 fetch-depth: 0") from e


def git_snapshot(top: Path, prefix: str, commit: str) -> Snapshot:
    """Every record file under `prefix` at `commit`, loaded exactly as the validator loads files."""
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit, *(["--", prefix] if prefix else [])], top)
    blobs: list[tuple[str, str, str]] = []  # (object id, repo path, kind)
    for entry in filter(None, listing.split(b"\0")):
        meta, _, raw_path = entry.partition(b"\t")
        mode, otype, oid = meta.decode().split()
        path = raw_path.decode("utf-8", "replace")
        parts = path[len(prefix) + 1:].split("/") if prefix else path.split("/")
        if otype != "blob" or mode not in ("100644", "100755") or len(parts) != 2:
            continue
        if parts[0] in schemas.KINDS and _is_record(parts[1]):
            blobs.append((oid, path, parts[0]))
    snap: Snapshot = {}
    if not blobs:
        return snap
    out = _git(["cat-file", "--batch"], top, "".join(f"{oid}\n" for oid, _, _ in blobs).encode())
    with tempfile.TemporaryDirectory(prefix="yizhan-diff-") as tmp:
        pos = 0
        for i, (oid, path, kind) in enumerate(blobs):
            header_end = out.index(b"\n", pos)
            size = int(out[pos:header_end].split()[2])
            body = out[header_end + 1: header_end + 1 + size]
            pos = header_end + 1 + size + 1
            file = Path(tmp) / f"{i}.yaml"  # never a path taken from git
            file.write_bytes(body)
            snap.setdefault(kind, {})[Path(path).stem] = _side(load_file(file, path, kind))
    return snap


# ── comparing ──

def _plain(value) -> bool:
    return not isinstance(value, (dict, list))


def field_changes(old, new, path: str = "") -> list[FieldChange]:
    if old == new and type(old) is type(new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        keys = list(new) + [k for k in old if k not in new]
        out: list[FieldChange] = []
        for key in keys:
            out += field_changes(old.get(key, MISSING), new.get(key, MISSING), f"{path}.{key}" if path else key)
        return out
    if isinstance(old, list) and isinstance(new, list):
        if len(old) == len(new) and all(isinstance(x, dict) for x in old + new):
            return [c for i, (a, b) in enumerate(zip(old, new)) for c in field_changes(a, b, f"{path}[{i}]")]
        if all(_plain(x) for x in old + new):
            return [FieldChange(path, old, new, tuple(x for x in new if x not in old),
                                tuple(x for x in old if x not in new))]
    if old in (None, MISSING) and new in (None, MISSING):
        return []
    return [FieldChange(path, old, new)]


def _label(data: dict | None, fallback: str) -> str:
    data = data or {}
    return str(data.get("name") or data.get("title") or fallback)


def compare(base: Snapshot, head: Snapshot) -> list[RecordChange]:
    changes: list[RecordChange] = []
    for kind in [k for k in KIND_ORDER if k in base or k in head]:
        old_kind, new_kind = base.get(kind, {}), head.get(kind, {})
        for rid in sorted(set(old_kind) | set(new_kind)):
            old, new = old_kind.get(rid), new_kind.get(rid)
            if old is None:
                changes.append(RecordChange(kind, rid, "added", new.path, _label(new.data, rid),
                                            note="" if new.data is not None else "文件无法解析 / cannot be parsed"))
            elif new is None:
                changes.append(RecordChange(kind, rid, "removed", old.path, _label(old.data, rid)))
            elif old.data is None or new.data is None:
                if old.data is not None or new.data is not None or old.path != new.path:
                    which = "修改后" if new.data is None else "修改前"
                    changes.append(RecordChange(kind, rid, "unreadable", new.path, _label(new.data or old.data, rid),
                                                note=f"{which}的文件无法解析，见“校验”步骤 / the file cannot be parsed"))
            else:
                fields = field_changes(old.data, new.data)
                if not fields and old.path == new.path:
                    continue
                closed = old.data.get("status") != "closed" and new.data.get("status") == "closed"
                note = f"改名 / renamed: {old.path} → {new.path}" if old.path != new.path else ""
                changes.append(RecordChange(kind, rid, "closed" if closed else "changed", new.path,
                                            _label(new.data, rid), fields, note))
    return changes


# ── the guard: history stays in the data ──

def guard(changes: list[RecordChange], base: Snapshot, max_share: float) -> list[GuardProblem]:
    problems: list[GuardProblem] = []
    for c in changes:
        if c.change == "removed" and c.kind == "stations":
            problems.append(GuardProblem(c.path, (
                f"删除了驿站文件 {c.path}：驿站不删除。请恢复这个文件，把 status 改为 closed（已关闭），"
                f"这样历史仍保留在数据里。/ The station file {c.path} was deleted: restore it and set "
                "`status: closed` instead, so that the history stays in the data."), paths=(c.path,)))
    for kind, records in base.items():
        if kind == "stations":
            continue  # every deleted station file is refused above already
        removed = [c for c in changes if c.kind == kind and c.change == "removed"]
        if records and removed and len(removed) / len(records) > max_share:
            names = "、".join(c.path for c in removed[:10]) + ("……" if len(removed) > 10 else "")
            instead = "请确认这是有意的；停用的驿站请改为 status: closed 而不是删除"
            problems.append(GuardProblem(removed[0].path, (
                f"一次删除了 {len(removed)}/{len(records)} 条{KIND_ZH.get(kind, kind)}记录，超过 {max_share:.0%}：{names}。"
                f"{instead}。/ This change removes {len(removed)} of {len(records)} {kind} records "
                f"(more than {max_share:.0%}); set `status: closed` instead of deleting."),
                "removed-share", kind, tuple(c.path for c in removed), len(removed), len(records)))
    return problems


def diff(content_dir: Path, base: str, max_share: float = 0.2) -> DiffResult:
    top, prefix = _repo_location(content_dir)
    commit = resolve_revision(base, top)
    before = git_snapshot(top, prefix, commit)
    after = working_tree(content_dir, prefix)
    changes = compare(before, after)
    return DiffResult(base, changes, {k: len(v) for k, v in before.items()}, guard(changes, before, max_share),
                      max_share)
