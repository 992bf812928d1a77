"""Extraction: clean story text and metadata from one article page."""

from crawler.extract.article import ExtractedPage, NotAnArticle, extract_article
from crawler.extract.dates import parse_datetime
from crawler.furniture.prior import is_furniture, strip_furniture

__all__ = [
    "ExtractedPage",
    "NotAnArticle",
    "extract_article",
    "is_furniture",
    "parse_datetime",
    "strip_furniture",
]
