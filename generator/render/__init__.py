"""Step 4a, render: the catalogue → page text. Pure: no file I/O besides reading templates."""
from .env import Page, environment, render_template

__all__ = ["Page", "environment", "render_template"]
