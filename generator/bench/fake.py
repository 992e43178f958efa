"""Clearly fake stations for the benchmark: seeded, realistic in shape, never published.

Every station name starts with 【测试】, every description and address says the data
is invented, and the only source is titled 虚构测试数据. Kinds, services, amenities,
policies and holidays are copied from the real content so that references resolve
and pages look like the real ones.

Files are written from string templates (text values quoted as JSON strings, which
are valid YAML double-quoted scalars), not with yaml.dump: 100,000 files take seconds.
"""
from __future__ import annotations

import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

FAKE_MARKER = "【测试】"
FAKE_NOTE = "虚构数据，仅用于性能测试"
# "Today" for the benchmark's children (SOURCE_DATE_EPOCH): fixed, so warnings and "open now" do not drift.
BASE_DATE = date(2025, 6, 1)
COPIED = ("kinds", "services", "amenities", "policies", "holidays")
MODELINE = "# yaml-language-server: $schema=../../generator/schemas/station.schema.json\n"

# Characters common in Chinese place names; two of them plus a suffix make a plausible, generic name.
_CHARS = ("东西南北安宁和平兴隆福康新城河川山泉桥庄湾坪岗林花园金银玉青红黄白石柳杨桃李松竹梅兰清明光华"
          "中正民丰盛永长乐春秋阳云星月海湖沟坡营堡寨沙水田苑门阁塔关台滩岭峪源堰渠井")
_TOWN_SUFFIX = ("街道", "街道", "街道", "镇", "镇", "乡")
_COMMUNITY_SUFFIX = ("社区", "社区", "社区", "村")
_ROAD_SUFFIX = ("路", "路", "街", "巷", "大道")
_HOURS = (
    "Mo-Fr 08:30-12:00,14:30-18:00; PH off",
    "24/7",
    "Mo-Su 07:00-21:00",
    "Mo-Fr 09:00-17:00",
    "Mo-Sa 08:00-18:00; PH off",
    "Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; PH off",
    "Mo-Su 06:00-22:00",
    "Mo-Fr 08:00-12:00,14:30-18:30; Sa,Su off",
    None, None, None,  # often the source says nothing about hours
)
_KIND_WEIGHTS = {"linggong": 25, "xiaomifeng": 30, "yinling": 20, "jiefen": 10, "xinyuan": 15}
_FRAGMENTS = (
    "驿站为周边居民和户外劳动者提供歇脚、饮水、充电等便民服务",
    "站内配备桌椅、饮水机、微波炉和应急药箱，工作日有专人值守",
    "社区志愿者定期开展健康义诊、政策宣讲和法律咨询活动",
    "驿站张贴用工信息和技能培训通知，方便务工人员就近找活",
    "老人可以在这里读书看报、下棋聊天，参加文体活动",
    "驿站接待来访群众，协助调解邻里纠纷，必要时联系司法所",
    "居民可以填写心愿卡，由志愿者和辖区单位认领帮助实现",
    "夏季提供防暑降温物品，冬季提供热水和取暖场所",
    "驿站与周边商户合作，提供爱心雨伞和临时寄存服务",
    "管理单位每季度更新一次服务清单，并在门口公示开放时间",
)
_FACTS = (("日均服务人次", "人次", 20, 300), ("面积", "平方米", 15, 400), ("志愿者人数", "人", 3, 60),
          ("护理床位", "张", 1, 20))


def _names(rng: random.Random, count: int, suffixes: tuple[str, ...], taken: set[str] | None = None) -> list[str]:
    """`count` distinct plausible names; a third character is added once two-character names run short."""
    taken = set() if taken is None else taken
    out: list[str] = []
    width = 2
    misses = 0
    while len(out) < count:
        name = "".join(rng.choice(_CHARS) for _ in range(width)) + rng.choice(suffixes)
        if name in taken:
            misses += 1
            if misses > 50:
                width, misses = width + 1, 0
            continue
        taken.add(name)
        out.append(name)
    return out


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _ids(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def _kind_names(folder: Path) -> dict[str, str]:
    import yaml

    names = {}
    for p in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        names[p.stem] = str(data.get("name") or p.stem)
    return names


def default_source() -> Path:
    """The repository's real content/ (the generator is installed editable from the repository)."""
    return Path(__file__).resolve().parents[2] / "content"


def write_fake_content(target: Path, n: int, seed: int = 0, source: Path | None = None) -> Path:
    """Write a complete content tree with `n` fake stations into `target` (replaced if it exists).

    Same `n` and `seed` give byte-identical files.
    """
    source = source or default_source()
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    for folder in COPIED:
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    stations_dir = target / "stations"
    stations_dir.mkdir(parents=True, exist_ok=True)

    rng = random.Random(seed)
    kinds = _kind_names(target / "kinds")
    kind_ids = sorted(kinds)
    kind_weights = [_KIND_WEIGHTS.get(k, 10) for k in kind_ids]
    services, amenities, policies = (_ids(target / f) for f in ("services", "amenities", "policies"))

    # Towns scale with the catalogue (a street has a few dozen stations), as they would for a city or province.
    n_towns = max(13, round(n / 25))
    towns = _names(rng, n_towns, _TOWN_SUFFIX)
    communities: dict[str, list[str]] = {}
    roads: dict[str, list[str]] = {}

    for i in range(n):
        sid = f"fake-{i:06d}"
        kind = rng.choices(kind_ids, kind_weights)[0] if kind_ids else "unknown"
        town = rng.choice(towns)
        if town not in communities:
            communities[town] = _names(rng, rng.randint(4, 12), _COMMUNITY_SUFFIX)
            roads[town] = _names(rng, rng.randint(3, 8), _ROAD_SUFFIX)
        community = rng.choice(communities[town])
        # A space after the marker: glued to the name, Pagefind made one word of "【测试】" and the name
        # for every station, words no real name gives, which swelled the index chunks a query loads.
        name = f"{FAKE_MARKER} {community}{kinds.get(kind, '驿站')}（{i + 1}号）"  # the number keeps names unique
        status = rng.choices(("active", "temporarily-closed", "closed"), (90, 6, 4))[0]

        lines = [MODELINE, f"id: {sid}\n", f"name: {_q(name)}\n", f"kind: {kind}\n", f"status: {status}\n"]
        if rng.random() < 0.6:
            lines.append(f"operator: {_q(community + ('居民委员会' if community.endswith('社区') else '村民委员会'))}\n")
        lines.append(f"town: {_q(town)}\n")
        if rng.random() < 0.8:
            lines.append(f"community: {_q(community)}\n")
        if rng.random() < 0.85:
            address = f"{town}{rng.choice(roads[town])}{rng.randint(1, 999)}号（虚构地址）"
            lines.append(f"address: {_q(address)}\n")
        if rng.random() < 0.97:
            lat = round(rng.uniform(35.95, 36.25), 5)
            lon = round(rng.uniform(103.35, 103.80), 5)
            precision = "exact" if rng.random() < 0.4 else "approximate"
            lines += ["location:\n", f"  lat: {lat}\n", f"  lon: {lon}\n", f"  precision: {precision}\n",
                      "  note: " + _q(f"坐标随机生成。{FAKE_NOTE}。") + "\n"]
        hours = rng.choice(_HOURS)
        if hours:
            lines.append(f"opening_hours: {_q(hours)}\n")
        phones = []
        if rng.random() < 0.7:
            phones.append(f"  - number: \"0931-7{rng.randint(0, 999999):06d}\"\n    label: \"值班电话\"\n")
        if rng.random() < 0.25:
            mobile = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
            phones.append(f"  - number: \"{mobile}\"\n    type: mobile\n    label: \"负责人\"\n")
        if rng.random() < 0.15:
            phones.append("  - number: \"12345\"\n    type: hotline\n    label: \"市民服务热线\"\n")
        if phones:
            lines += ["phones:\n", *phones]
        if services:
            lines += ["services:\n", *(f"  - {s}\n" for s in sorted(rng.sample(services, rng.randint(1, min(5, len(services))))))]
        k = rng.randint(0, min(8, len(amenities)))
        if k:
            lines += ["amenities:\n", *(f"  - {a}\n" for a in sorted(rng.sample(amenities, k)))]
        if policies and rng.random() < 0.2:
            lines += ["policies:\n", f"  - {rng.choice(policies)}\n"]
        if rng.random() < 0.3:
            lines.append("facts:\n")
            for fact, unit, lo, hi in rng.sample(_FACTS, rng.randint(1, 2)):
                as_of = BASE_DATE - timedelta(days=rng.randint(0, 400))
                lines += [f"  - name: {_q(fact)}\n", f"    value: {rng.randint(lo, hi)}\n", f"    unit: {_q(unit)}\n",
                          f"    qualifier: {rng.choice(('exact', 'at-least', 'about'))}\n", f"    as_of: {as_of.isoformat()}\n"]
        body = "；".join(rng.sample(_FRAGMENTS, rng.randint(3, 6)))
        lines.append(f"description: {_q(f'{FAKE_NOTE}：{name}并不存在。{body}。')}\n")
        stale = rng.random() < 0.03  # a few need re-checking, as in real data
        verified = BASE_DATE - timedelta(days=rng.randint(400, 800) if stale else rng.randint(0, 300))
        lines.append(f"verified_on: {verified.isoformat()}\n")
        lines += ["sources:\n", "  - title: \"虚构测试数据\"\n", "    publisher: \"驿站开放数据性能测试\"\n",
                  f"    date: {BASE_DATE.isoformat()}\n"]
        (stations_dir / f"{sid}.yaml").write_text("".join(lines), encoding="utf-8")
    return target


__all__ = ["BASE_DATE", "FAKE_MARKER", "FAKE_NOTE", "default_source", "write_fake_content"]
