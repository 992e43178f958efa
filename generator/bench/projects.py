"""What the benchmark builds: a copy of the project around fake stations, and plain pages for
mkdocs-material alone (the baseline) with the same theme settings."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .fake import FAKE_MARKER, FAKE_NOTE, write_fake_content


def _lenient_yaml(path: Path) -> dict:
    import yaml

    class _Lenient(yaml.SafeLoader):
        pass

    def _tag(loader, suffix, node):  # !ENV [NAME, default] → default; other tags → None
        if isinstance(node, yaml.SequenceNode) and node.value:
            return loader.construct_object(node.value[-1])
        return None

    _Lenient.add_multi_constructor("", _tag)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Lenient) or {}


def write_project(root: Path, project: Path, n: int, seed: int) -> None:
    """A copy of the real project's configuration and templates around `n` fake stations."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(root / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "site_templates"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, project / folder)
    if (root / "node_modules").is_dir():  # Pagefind, installed by `make site`
        (project / "node_modules").symlink_to((root / "node_modules").resolve(), target_is_directory=True)
    write_fake_content(project / "content", n, seed, source=root / "content")


_LINES = (
    "这是一个只用于性能对比的示例页面，内容是随机拼接的中文句子。",
    "驿站为周边居民和户外劳动者提供歇脚、饮水、充电等便民服务。",
    "站内配备桌椅、饮水机、微波炉和应急药箱，工作日有专人值守。",
    "社区志愿者定期开展健康义诊、政策宣讲和法律咨询活动。",
    "老人可以在这里读书看报、下棋聊天，参加文体活动。",
    "驿站接待来访群众，协助调解邻里纠纷，必要时联系司法所。",
    "夏季提供防暑降温物品，冬季提供热水和取暖场所。",
    "管理单位每季度更新一次服务清单，并在门口公示开放时间。",
)


def write_baseline(root: Path, target: Path, n: int, seed: int) -> None:
    """mkdocs-material alone: the real theme settings, its own search plugin (as configured in mkdocs.yml
    if it is, else its defaults), no plugin of ours, n plain pages."""
    import random

    real = _lenient_yaml(root / "mkdocs.yml")
    search = {}
    for item in real.get("plugins") or []:
        if isinstance(item, dict) and "search" in item:
            search = item["search"] or {}
    theme = dict(real.get("theme") or {"name": "material", "language": "zh"})
    theme.pop("custom_dir", None)
    config = {
        "site_name": "基准 baseline",
        "docs_dir": "docs",
        "theme": theme,
        "plugins": [{"search": search}],
        "markdown_extensions": real.get("markdown_extensions") or [],
        "nav": [{"首页": "index.md"}],
        "validation": {"nav": {"omitted_files": "ignore"}, "links": {"unrecognized_links": "ignore"}},
    }
    docs = target / "docs" / "pages"
    docs.mkdir(parents=True, exist_ok=True)
    (target / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    (target / "docs" / "index.md").write_text(f"# {FAKE_MARKER}基准首页\n\n{FAKE_NOTE}。\n", encoding="utf-8")
    rng = random.Random(seed)
    for i in range(n):
        body = "\n".join(("\n## 第 %d 节\n" % (j // 10 + 1) if j % 10 == 0 else "") + rng.choice(_LINES)
                         for j in range(40))
        (docs / f"p-{i:06d}.md").write_text(f"# {FAKE_MARKER}页面 {i + 1}\n\n{body}\n", encoding="utf-8")
