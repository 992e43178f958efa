"""Benchmark: clearly fake content at several sizes, and what validating and building it costs.

`fake.write_fake_content` writes a content tree of invented stations (never published);
`run.run_bench` measures validation, generation and the full build in child processes,
next to mkdocs-material alone on the same number of plain pages.
"""
from .fake import FAKE_MARKER, write_fake_content

__all__ = ["FAKE_MARKER", "write_fake_content"]
