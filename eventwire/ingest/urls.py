"""Article identity by URL: the same page under any scheme, `www.`, fragment or tracking tag.

The query string is part of a page's identity (`story.php?id=1` and `story.php?id=2`
are two articles); only parameters that tag the visit, not the page, are dropped.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

# Parameters that say how a reader arrived, never which page: analytics and ad-click tags.
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "hsa_", "_hs")
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "ncid", "sr_share", "smid", "mkt_tok",
    "spm", "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "ref_src", "ref_url",
})


def is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def identity(url: str) -> str:
    """The identity of a page's URL: no scheme, `www.` or fragment, lower case, no trailing slash,
    and the query without tracking parameters (the others sorted, so their order does not matter).

    A URL without a query keeps the identity it always had, so stores written before keep their keys.
    """
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    url = url.split("#", 1)[0]
    base, _, query = url.partition("?")
    base = base.rstrip("/")
    kept = sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not is_tracking(k))
    return f"{base}?{urlencode(kept)}" if kept else base
