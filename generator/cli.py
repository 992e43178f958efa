"""`yizhan`: parses arguments, calls one function, maps the result to an exit code. No logic here."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import report
from .check import check_site
from .config import SiteConfig

content_option = click.option(
    "--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"), show_default=True,
    help="内容目录 / content folder")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xigu-yizhan")
def main() -> None:
    """驿站开放数据工具 / Xigu Stations Open Data tool."""
    # mkdocs<2 is pinned on purpose (see README); its migration banner would bury editors' messages
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@main.command()
@click.option("-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("mkdocs.yml"), show_default=True, help="mkdocs 配置 / mkdocs config")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="输出目录 / output folder")
@click.option("--strict", is_flag=True, help="警告也算错误 / treat warnings as errors")
def build(config_file: Path, site_dir: Path, strict: bool) -> None:
    """先检查，再生成网站；出错时保留原来的 site/ / Validate, then build the site; on errors site/ is left as it was."""
    from .build import build_site

    result = build_site(config_file, site_dir, strict)
    if result.failed(strict):
        click.echo(report.as_text(result.problems))
        click.echo("网站未生成，原有的输出保持不变（nothing was built; the previous site is untouched）", err=True)
        sys.exit(1)
    click.echo(f"网站已生成：{site_dir}/（site built）；{len(result.warnings)} 个警告")


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="mkdocs 配置 / mkdocs config")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="地址 / address")
def serve(config_file: str, dev_addr: str) -> None:
    """本地预览，修改 YAML 后自动重建 / Preview locally; rebuilds when a YAML file changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(config_file=config_file, dev_addr=dev_addr, livereload=True)


@main.command()
@content_option
@click.option("--format", "fmt", type=click.Choice(sorted(report.FORMATS)), default="text", show_default=True,
              help="输出格式：text 文字、json、github（拉取请求里的行内注释）/ output format")
@click.option("--strict", is_flag=True, help="警告也算错误 / treat warnings as errors")
def validate(content_dir: Path, fmt: str, strict: bool) -> None:
    """检查 content/ 里的所有文件，一次报告全部问题 / Check every content file and report every problem.

    退出码 / exit code: 0 没有错误 no errors, 1 有错误 errors found, 2 用法错误 usage error.
    """
    result = check_site(SiteConfig(content_dir=content_dir))
    click.echo(report.FORMATS[fmt](result.problems))
    if result.failed(strict):
        if strict and not result.errors:
            click.echo(f"严格模式下有 {len(result.warnings)} 个警告，视为失败（aborted with warnings in strict mode）", err=True)
        sys.exit(1)
