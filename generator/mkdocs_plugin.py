"""A thin mkdocs adapter: the generator core makes pages and files; this hands them to mkdocs.

Keeping the core free of mkdocs internals is deliberate (mkdocs 2 drops plugins,
Zensical ignores them): another engine needs only another adapter, or the docs
folder that `yizhan build --docs-only` writes.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import report
from .build import SiteSources, generate
from .check import check_site

log = logging.getLogger("mkdocs.plugins.yizhan")


class YizhanConfig(Config):
    content = opt.Type(str, default="content")
    templates = opt.Type(str, default="site_templates")
    branch = opt.Type(str, default="main")
    license = opt.Type(str, default="CC-BY-4.0")
    map_provider = opt.Choice(("osm", "tianditu", "amap"), default="osm")
    tianditu_key_env = opt.Type(str, default="TIANDITU_KEY")


class YizhanPlugin(BasePlugin[YizhanConfig]):
    def on_config(self, config):
        try:  # material's search segments Chinese with jieba; its start-up chatter is not a warning
            import jieba

            jieba.setLogLevel(logging.WARNING)
        except ImportError:
            pass
        self.sources = SiteSources.from_mkdocs(config, self.config)
        result = check_site(self.sources.site_config)
        for p in result.warnings:
            log.info("%s:%d:%d: warning[%s]: %s", p.path, p.line, p.col, p.code, p.message)
        if result.errors:
            raise PluginError("内容有错误，网站未生成（content has errors; nothing was built）\n"
                              + report.as_text(result.problems))
        self.result = result
        return config

    def on_files(self, files: Files, config) -> Files:
        for out in generate(self.result, self.sources):
            if out.path.endswith(".md"):
                f = File.generated(config, out.path, content=out.content)
                if out.source_path:
                    f.edit_uri = out.source_path  # "edit this page" opens the YAML, not generated Markdown
            elif out.abs_src_path:
                f = File.generated(config, out.path, abs_src_path=out.abs_src_path)
            else:
                f = File.generated(config, out.path, content=out.content)
            if files.get_file_from_path(out.path) is not None:
                files.remove(files.get_file_from_path(out.path))
            files.append(f)
        return files

    def on_serve(self, server, config, builder):
        for folder in (self.sources.site_config.content_dir, self.sources.site_config.templates_dir):
            server.watch(str(Path(folder).resolve()))
        return server
