"""URL normalisation: one spelling per page before any comparison (seen state, dedup)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urljoin, urlsplit

from scrapy.utils.url import strip_url
from w3lib.url import canonicalize_url, url_query_cleaner

# Parameters that identify the click, not the page. Prefixes end with "_".
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_")
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ocid",
        "cmpid",
        "ito",
        "ref_src",
        "smid",
        "sr_share",
        "s_cid",
        "at_medium",
        "at_campaign",
        "ns_mchannel",
        "ns_campaign",
        "ns_source",
        "ncid",
        "spm",
    }
)


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def normalize_url(url: str, base: str | None = None) -> str:
    """The comparable form of `url` (resolved against `base` when relative).

    Tracking parameters and the fragment go, scheme and host are lower-cased,
    default ports and credentials are dropped, the remaining query parameters are
    sorted and percent-encoding is made uniform (w3lib's canonicalize_url).
    """
    url = url.strip()
    if base:
        url = urljoin(base, url)
    query = urlsplit(url).query
    if query:
        tracking = [key for key, _ in parse_qsl(query, keep_blank_values=True)]
        tracking = [key for key in tracking if is_tracking_param(key)]
        if tracking:
            url = url_query_cleaner(url, tracking, remove=True, unique=False)
    url = canonicalize_url(url, keep_fragments=False)
    return strip_url(url, strip_credentials=True, strip_default_port=True)


def host_of(url: str) -> str:
    """The lower-cased host name of `url`, without port ("" when there is none)."""
    return (urlsplit(url).hostname or "").lower()


def on_domains(url: str, domains: frozenset[str] | set[str]) -> bool:
    """Whether `url`'s host is one of `domains` or a subdomain of one."""
    host = host_of(url)
    return any(host == domain or host.endswith("." + domain) for domain in domains)
