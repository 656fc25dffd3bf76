"""A student's Markdown cell as safe HTML, for the TA review page.

CommonMark with tables, raw HTML shown as text, links only to http(s) or relative addresses
(opened without a referrer), and images only from the cell's own attachments as data: URIs:
nothing on the page runs a script or loads anything from elsewhere.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from reports.escape import plain

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
LINK_SCHEMES = ("http", "https")
ATTACHMENT = "attachment:"


def render_markdown(source: str, images: Mapping[str, str]) -> Markup:
    """`images`: the cell's attachments by name, as data: URIs (others are shown as their alt text)."""
    return Markup(_parser().render(plain(source), {"images": images}))


@functools.cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.validateLink = _allowed_address
    md.add_render_rule("image", _image)
    md.add_render_rule("link_open", _link_open)
    return md


def _allowed_address(url: str) -> bool:
    scheme = _SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in LINK_SCHEMES or url.lower().startswith(ATTACHMENT)


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = str(token.attrGet("src") or "")
    data_uri = env["images"].get(unquote(src[len(ATTACHMENT):])) if src.lower().startswith(ATTACHMENT) else None
    if data_uri is None:
        return str(escape(f"[{alt}]"))
    return f'<img src="{escape(data_uri)}" alt="{escape(alt)}">'


def _link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if str(token.attrGet("href") or "").lower().startswith(ATTACHMENT):
        token.attrs.pop("href", None)  # an attachment is an image, not a place to go
    token.attrSet("rel", "noopener noreferrer nofollow")
    return self.renderToken(tokens, idx, options, env)
