"""The headline is part of the document: `article.text` begins with it as its own paragraph.

News states its main event in the headline, so every stage reads it with the
body, as Giveme5W1H reads title, lead and body together. Putting it in the
text keeps the contract's one rule: every span indexes `article.text`. A span
before `article.body_start` is in the headline.
"""

from __future__ import annotations

from eventwire.model import Article

SEPARATOR = "\n\n"  # a paragraph of its own, so it is a sentence of its own


def headline_first(article: Article) -> Article:
    """The article with its headline as the first paragraph of its text (once), and `body_start` set."""
    title = (article.title or "").strip()
    if not title:
        article.body_start = 0
        return article
    if article.text.startswith(title):  # the headline is the text's first line already (a pasted article)
        rest = article.text[len(title):]
        article.body_start = len(title) + len(rest) - len(rest.lstrip())
        return article
    article.text = title + SEPARATOR + article.text
    article.body_start = len(title) + len(SEPARATOR)
    return article
