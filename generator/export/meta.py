"""What every published file says about itself: title, licence, where it comes from, build date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .datapackage import LICENSES, created

NAME = "xigu-stations"
TITLE_ZH = "西固驿站开放数据"
TITLE_EN = "Xigu Stations Open Data"
TITLE = f"{TITLE_ZH} / {TITLE_EN}"
DESCRIPTION = ("兰州市西固区零工驿站、小蜜蜂驿站、银铃驿站、解纷驿站、心愿驿站的位置、服务、开放时间和相关政策；"
               "每条信息注明来源 / Locations, services, opening hours and policies of the public stations in "
               "Xigu district, Lanzhou; every fact has its source")
KEYWORDS = ("驿站", "西固区", "兰州", "公共服务", "open data", "stations", "Lanzhou", "Xigu")


@dataclass(frozen=True)
class DatasetMeta:
    license_id: str
    build_date: date
    site_url: str = ""

    @property
    def license_title(self) -> str:
        return LICENSES.get(self.license_id, (self.license_id, ""))[0]

    @property
    def license_url(self) -> str:
        return LICENSES.get(self.license_id, ("", ""))[1]

    @property
    def homepage(self) -> str:
        """The data page: absolute when the site URL is configured, else empty."""
        return f"{self.site_url.rstrip('/')}/data/" if self.site_url else ""

    @property
    def created(self) -> str:
        return created(self.build_date)

    @property
    def citation_zh(self) -> str:
        where = f"，{self.homepage}" if self.homepage else ""
        return f"{TITLE_ZH}（{self.build_date.isoformat()} 版）{where}，{self.license_id} 许可"

    @property
    def citation_en(self) -> str:
        where = f", {self.homepage}" if self.homepage else ""
        return f"{TITLE_EN} (version of {self.build_date.isoformat()}){where}, licensed {self.license_id}"

    def json_header(self, schema: str | None = None) -> dict:
        """Members that open stations.json and stations.geojson: what the file is and where it comes from."""
        d = {
            "name": NAME,
            "title": TITLE,
            "description": DESCRIPTION,
            "source": self.homepage or None,
            "license": self.license_id,
            "license_url": self.license_url or None,
            "attribution": self.citation_zh + " / " + self.citation_en,
            "created": self.created,
        }
        if schema:
            d["schema"] = schema
            d["schema_note"] = ("字段与内容文件相同（见 schema）；没有的值为 null，列表为空时为 [] / "
                                "fields as in the content files (see schema); a missing value is null, "
                                "an empty list []")
        return d
