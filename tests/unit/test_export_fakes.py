"""A small catalogue that exercises the export edge cases, shared by the test_export_* files.

It has a closed station, a station without location or hours, a landline with a
leading zero, an id that looks like a number, text with commas, quotes and line
breaks, hours past midnight and around the clock. The tests in this file check
that the fakes themselves are valid content, so the other tests test real cases.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator import schemas
from generator.config import SiteConfig
from generator.export import build_exports
from generator.export.jsonfile import record_dict
from generator.model import (Amenity, Catalog, Fact, Kind, Location, Phone, Policy, Service, Source, Station)

TODAY = date(2026, 6, 1)
TRICKY = '他说："你好，世界"，\n然后走了, "quoted", comma,\tand\n\n=not a formula mid-text'
SRC = (Source("西固“小驿站”释放“大温暖”", "兰州晨报", "2024-04-16", via="中国甘肃网"),)


def fake_catalog() -> Catalog:
    kinds = (
        Kind("linggong", "零工驿站", "给打零工的人歇脚、找活。", "灵活就业人员", "circle", "Gig workers' station", "#1565c0"),
        Kind("yinling", "银铃驿站", "老年人活动。", "老年人", "square"),
    )
    amenities = (
        Amenity("drinking-water", "饮水", "Drinking water", "material/cup-water"),
        Amenity("toilet", "厕所"),
    )
    services = (
        Service("phone-charging", "手机充电", "免费为手机充电, 带 \"引号\"。", ("快递员", "外卖骑手"),
                amenities=("drinking-water",), policies=("labour-law",)),
        Service("rest", "歇脚", TRICKY, ("户外劳动者",), free=False, fee_note="每次 1 元"),
    )
    policies = (
        Policy("labour-law", "中华人民共和国劳动法", "全国人民代表大会常务委员会", "1994-07-05", "劳动者权益。",
               (Source("中华人民共和国劳动法", "中国人大网", "1994-07-05", url="https://example.org/law"),),
               number="主席令第二十八号", effective_from="1995-01-01", url="https://example.org/law",
               applies_to_kinds=("linggong",), applies_to_services=("phone-charging",)),
    )
    stations = (
        Station("a-open", "甲驿站", "linggong", "active", "陈坪街道", "2026-05-01", SRC,
                operator="陈坪街道办事处", community="中街社区", address="环形东路 1 号, 二楼",
                location=Location(36.083, 103.698, "exact", "实地核对"),
                opening_hours="Mo-Fr 08:30-12:00,14:30-18:00; PH off",
                phones=(Phone("0931-7512345", "landline", "值班电话"), Phone("13912345678")),
                services=("rest", "phone-charging"), amenities=("toilet", "drinking-water"),
                policies=("labour-law",),
                facts=(Fact("面积", 3.5, "2026-01-01", "平方米", "about"), Fact("人数", 200, "2026-01-01")),
                description=TRICKY),
        Station("b-closed", "乙驿站（已关闭）, 旧址", "yinling", "closed", "柳泉镇", "2025-01-01", SRC,
                services=("phone-charging",), description="已经关闭。"),
        Station("007", "零零七驿站", "linggong", "temporarily-closed", "西柳沟街道", "2026-05-20", SRC,
                location=Location(36.117, 103.583, "approximate", "街道级大致位置"),
                opening_hours="Mo-Su 20:00-02:00",
                phones=(Phone("12345", "hotline"),), services=("rest",)),
        Station("d-allday", "丁驿站", "yinling", "active", "四季青街道", "2026-05-20", SRC,
                location=Location(36.1, 103.62, "approximate", "大致"), opening_hours="24/7",
                amenities=("toilet",)),
    )
    return Catalog(stations, services, policies, kinds, amenities)


def fake_config(**kw) -> SiteConfig:
    kw.setdefault("today", TODAY)
    return SiteConfig(content_dir=Path("content"), **kw)


def write_outputs(outputs, root: Path) -> Path:
    for o in outputs:
        path = root / o.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(o.content)
    return root


def build_fake(tmp_path: Path | None = None, **kw):
    """(outputs, outputs by path, site root folder or None)."""
    outputs = build_exports(fake_catalog(), fake_config(), **kw)
    by_path = {o.path: o for o in outputs}
    return outputs, by_path, write_outputs(outputs, tmp_path) if tmp_path else None


def _content_dict(record) -> dict:
    """A model record back as content: absent values left out, as an editor would."""
    def clean(v):
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items() if x is not None and x != []}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    return clean(record_dict(record))


@pytest.mark.parametrize("kind,schema", [("stations", "station.schema.json"), ("services", "service.schema.json"),
                                         ("policies", "policy.schema.json"), ("kinds", "kind.schema.json"),
                                         ("amenities", "amenity.schema.json")])
def test_fake_records_are_valid_content(kind, schema):
    validator = Draft202012Validator(schemas.load_schema(schema), registry=schemas.registry())
    for record in getattr(fake_catalog(), kind):
        errors = list(validator.iter_errors(_content_dict(record)))
        assert not errors, (record.id, [e.message for e in errors])


def test_fake_references_resolve():
    cat = fake_catalog()
    kinds, services, amenities, policies = (set(cat.index(n)) for n in ("kinds", "services", "amenities", "policies"))
    for st in cat.stations:
        assert st.kind in kinds and set(st.services) <= services
        assert set(st.amenities) <= amenities and set(st.policies) <= policies
