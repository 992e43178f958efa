"""驿站开放数据 generator: load → validate → model → render / export → write."""
from .check import check_site, load_site

__version__ = "0.1.0"
__all__ = ["__version__", "check_site", "load_site"]
