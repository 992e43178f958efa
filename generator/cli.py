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
config_option = click.option(
    "-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
    show_default=True, help="mkdocs 配置 / mkdocs config")
strict_option = click.option("--strict", is_flag=True, help="警告也算错误 / treat warnings as errors")


def _not_written(result, what: str) -> None:
    """Every problem, then what was left as it was, and exit 1."""
    click.echo(report.as_text(result.problems))
    click.echo(what, err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xigu-yizhan")
def main() -> None:
    """驿站开放数据工具 / Xigu Stations Open Data tool."""
    # mkdocs<2 is pinned on purpose (see README); its migration banner would bury editors' messages
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@main.command()
@config_option
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="输出目录 / output folder")
@strict_option
def build(config_file: Path, site_dir: Path, strict: bool) -> None:
    """先检查，再生成网站；出错时保留原来的 site/ / Validate, then build the site; on errors site/ is left as it was."""
    from .build import build_site

    result = build_site(config_file, site_dir, strict)
    if result.failed(strict):
        _not_written(result, "网站未生成，原有的输出保持不变（nothing was built; the previous site is untouched）")
    click.echo(f"网站已生成：{site_dir}/（site built）；{len(result.warnings)} 个警告")


@main.command()
@config_option
@click.option("-d", "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("datasets"),
              show_default=True, help="输出目录 / output folder")
@strict_option
def datasets(config_file: Path, out_dir: Path, strict: bool) -> None:
    """先检查，再只生成开放数据（data/ 和 schema/）；出错时保留原来的输出 / Validate, then write only the open
    datasets (data/ and schema/, as on the site); on errors the folder is left as it was."""
    from .datasets import write_datasets

    result, files = write_datasets(config_file, out_dir, strict)
    if result.failed(strict):
        _not_written(result, "开放数据未生成，原有的输出保持不变（no datasets were written; the previous folder is untouched）")
    size = sum(f.size for f in files)
    click.echo(f"开放数据已生成：{out_dir}/（{len(files)} 个文件，{size / 1e6:.1f} MB；datasets written）；"
               f"{len(result.warnings)} 个警告")


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
@strict_option
def validate(content_dir: Path, fmt: str, strict: bool) -> None:
    """检查 content/ 里的所有文件，一次报告全部问题 / Check every content file and report every problem.

    退出码 / exit code: 0 没有错误 no errors, 1 有错误 errors found, 2 用法错误 usage error.
    """
    if not content_dir.is_dir():  # a wrong --content (or the wrong folder) is a usage error: exit 2
        raise click.BadParameter(f"找不到内容目录 {content_dir}（content folder not found）", param_hint="--content")
    result = check_site(SiteConfig(content_dir=content_dir), catalog=False)
    click.echo(report.FORMATS[fmt](result.problems))
    if result.failed(strict):
        if strict and not result.errors:
            click.echo(f"严格模式下有 {len(result.warnings)} 个警告，视为失败（aborted with warnings in strict mode）", err=True)
        sys.exit(1)


@main.command()
@click.option("--sizes", default="100,1000,10000", show_default=True,
              help="驿站数，逗号分隔；100000 需明确要求 / station counts, comma-separated")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("bench/out"), show_default=True,
              help="临时目录 / scratch folder")
@click.option("--results", type=click.Path(dir_okay=False, path_type=Path), default=Path("bench/results.json"),
              show_default=True, help="结果文件 / results file")
@click.option("--readme", multiple=True, default=("README.md", "bench/README.md"), show_default=True,
              help="更新其中 bench 标记之间的表格，可重复；空字符串不更新 / READMEs whose marked table is updated "
                   "(repeatable; '' = none)")
@click.option("--skip-baseline", is_flag=True, help="不构建 mkdocs-material 基准 / skip the baseline build")
@click.option("--timeout", type=float, default=3600, show_default=True, help="每个阶段的时限（秒）/ per-phase limit")
@click.option("--seed", type=int, default=0, show_default=True, help="假数据随机种子 / fake-data seed")
@click.option("--profile", is_flag=True, help="另做一次 cProfile 构建 / also profile one extra build")
def bench(sizes: str, out: Path, results: Path, readme: tuple[str, ...], skip_baseline: bool, timeout: float, seed: int,
          profile: bool) -> None:
    """用虚构驿站测量校验、生成和构建的时间与大小 / Benchmark validation and builds on fake stations."""
    from .bench.report import format_table
    from .bench.run import run_bench

    try:
        counts = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise click.BadParameter(f"{sizes!r} 不是逗号分隔的整数（comma-separated integers）", param_hint="--sizes")
    if not counts or min(counts) < 1:
        raise click.BadParameter("至少一个正整数（at least one positive count）", param_hint="--sizes")
    command = "yizhan bench" + ("" if sizes == "100,1000,10000" else f" --sizes {sizes}") + \
        (" --skip-baseline" if skip_baseline else "")
    rows = run_bench(counts, out, results, seed=seed, baseline=not skip_baseline, timeout=timeout, profile=profile,
                     readmes=[Path(r) for r in readme] if all(readme) else [], command=command,
                     say=lambda s: click.echo(s, err=True))
    click.echo(format_table(rows))
    click.echo(f"结果已写入 {results}（results written）")


@main.command()
@click.argument("base")
@content_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="输出格式：text 文字、markdown（工作流摘要）/ output format")
@click.option("--max-removed-share", type=click.FloatRange(0, 1), default=0.2, show_default=True,
              help="一类记录一次最多可删除的比例 / largest share of a kind's records one change may remove")
@click.option("--annotate", is_flag=True, help="把拦截信息另写成 GitHub 批注 / also emit GitHub ::error annotations")
def diff(base: str, content_dir: Path, fmt: str, max_removed_share: float, annotate: bool) -> None:
    """列出 BASE 版本以来新增、修改、关闭和删除的记录 / What changed in the data since git revision BASE.

    删除驿站文件、或一次删除太多记录时失败：驿站要改为 status: closed，不要删除。
    退出码 / exit code: 0 可以合并 fine, 1 被拦截 blocked (a deletion), 2 用法错误 usage error (unknown revision).
    """
    from . import diff_report
    from .diff import GitError, diff as run_diff
    from .errors import error

    try:
        result = run_diff(content_dir, base, max_removed_share)
    except GitError as e:
        click.echo(f"yizhan diff: {e}", err=True)
        sys.exit(2)
    click.echo(diff_report.FORMATS[fmt](result), nl=fmt == "text")
    for g in result.guard:
        if annotate:
            click.echo(report.as_github([error(g.path, 1, 1, "deleted-record", g.message)]).splitlines()[0], err=True)
        else:
            click.echo(f"{g.path}: {g.message}", err=True)
    if result.guard:
        sys.exit(1)


def _interactive() -> bool:
    return sys.stdin.isatty()


@main.group()
def new() -> None:
    """新建一个带注释、能通过检查的记录文件 / Create a commented record file that validates."""


def _new_command(kind: str) -> click.Command:
    from . import scaffold

    spec = scaffold.SPECS[kind]

    def run(content_dir: Path, dry_run: bool, **answers) -> None:
        lacking = scaffold.missing(spec, answers)
        if lacking and not _interactive():
            raise click.UsageError("缺少 / missing: " + "、".join(a.flag for a in lacking))
        for a in lacking:
            if a.type.startswith("ref:"):
                click.echo("可选 / choices: " + "、".join(scaffold.existing_ids(content_dir, a.type[4:])))
            reply = click.prompt(a.label)
            answers[a.name] = tuple(x.strip() for x in reply.replace("，", "、").replace(",", "、").split("、")
                                    if x.strip()) if a.multiple else reply.strip()
        try:
            path, text = scaffold.create(kind, answers, content_dir, write=not dry_run)
        except scaffold.ScaffoldError as e:
            if e.problems:
                click.echo(report.as_text(e.problems), err=True)
            click.echo(f"yizhan new {kind}: {e}", err=True)
            sys.exit(e.exit_code)
        if dry_run:
            click.echo(text, nl=False)
        else:
            click.echo(f"已新建 {path}（created）。请补充其他信息，然后运行 yizhan validate / fill in the rest, then validate")

    params = [click.Option([a.flag], multiple=a.multiple, help=a.label) for a in spec.answers]
    params.append(click.Option(["--content", "content_dir"], type=click.Path(path_type=Path), default=Path("content"),
                               show_default=True, help="内容目录 / content folder"))
    params.append(click.Option(["--dry-run"], is_flag=True, help="只显示，不写文件 / print instead of writing"))
    return click.Command(kind, callback=run, params=params,
                         help=f"新建 content/{spec.folder}/<id>.yaml；拒绝已存在的标识 / create a {kind} file")


for _kind in ("station", "service", "policy"):
    new.add_command(_new_command(_kind))


@main.command()
@click.option("--check", is_flag=True, help="只检查文件是否最新 / only check that the file is up to date")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("CONTRIBUTING.md"),
              show_default=True, help="输出文件 / output file")
def contributing(check: bool, output: Path) -> None:
    """根据数据结构生成 CONTRIBUTING.md / Generate CONTRIBUTING.md from the JSON Schemas."""
    from .contributing import is_fresh, write_contributing

    if check:
        if not is_fresh(output):
            click.echo(f"{output} 不是最新的：请运行 yizhan contributing（out of date: run yizhan contributing）", err=True)
            sys.exit(1)
        click.echo(f"{output} 是最新的（up to date）")
    elif write_contributing(output):
        click.echo(f"已更新 {output}（written）")
    else:
        click.echo(f"{output} 没有变化（unchanged）")
