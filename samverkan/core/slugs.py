"""Slugs for records the app creates, where the user types a name, not a slug."""

from __future__ import annotations

from django.utils.text import slugify


def free_slug(text: str, taken: set[str], fallback: str) -> str:
    """A slug made from `text` that is not in `taken`: "vinnova", "vinnova-2", ..."""
    base = slugify(text)[:40].strip("-") or fallback
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug
