"""Search over encrypted entries, through a blind index of their words.

An entry's text is sealed with its owner's key (core.fields.EncryptedTextField), so SQL can
no longer compare it. Instead each searchable field's words, and each word's beginnings of
three letters or more, are stored as keyed hashes of the owner's (SearchWord rows, via
core.crypto.search_tokens). A search hashes its own words the same way and asks for the
entries that hold every one: "cook" finds "Cooked dinner", as before; the middle of a word
("ked") no longer does. Measured in benchmarks/search.py.
"""

import re

from django.db import transaction
from django.db.models import QuerySet

from core import crypto

from .models import Entry, SearchWord

WORD = re.compile(r"\w+")
SHORTEST_PREFIX = 3
LONGEST_WORD = 40  # past this a word is indexed by its first 40 letters
FEW = 2_000  # entries holding a word, up to which a search names them by id


def words_of(text: str) -> set[str]:
    """Every word of the text and every beginning of one from three letters, in lower case."""
    found = set()
    for word in WORD.findall(text.casefold()):
        word = word[:LONGEST_WORD]
        found.add(word)
        found.update(word[:end] for end in range(SHORTEST_PREFIX, len(word)))
    return found


def query_words(query: str) -> set[str]:
    return {word[:LONGEST_WORD] for word in WORD.findall(query.casefold())}


def entry_text(entry: Entry) -> str:
    return "\n".join(getattr(entry, f.name) for f in entry.spec.fields if f.searchable)


def entry_tokens(entry: Entry) -> list[int]:
    """The entry's words as its owner's keyed hashes, as the index holds them."""
    return crypto.search_tokens(entry.user_id, words_of(entry_text(entry)))


def entry_index(*, entry: Entry) -> None:
    """Replace the entry's words in the index with those of its text now."""
    tokens = entry_tokens(entry)
    with transaction.atomic():
        SearchWord.objects.filter(entry_id=entry.pk).delete()
        SearchWord.objects.bulk_create(SearchWord(entry_id=entry.pk, token=t) for t in tokens)


def entries_index(*, entries: list[Entry]) -> None:
    """Index many new entries at once (a seeded journal): one INSERT a batch."""
    words = [
        SearchWord(entry_id=entry.pk, token=token)
        for entry in entries
        for token in entry_tokens(entry)
    ]
    SearchWord.objects.bulk_create(words, batch_size=5000)


def matching(entries: QuerySet[Entry], *, user_id: int, query: str) -> QuerySet[Entry]:
    """The entries that hold every word of the query (or a word beginning with it).

    A word few entries hold is looked up first and its entries named by id: left to walk
    the journal newest first testing each entry, PostgreSQL took a second to find that no
    entry of 100,000 holds it. A word many hold is tested entry by entry, as a page of
    matches then comes within the first few hundred.
    """
    words = query_words(query)
    if not words:
        return entries
    holders = {
        token: SearchWord.objects.filter(token=token).values("pk")[: FEW + 1].count()
        for token in crypto.search_tokens(user_id, words)
    }
    rarest = min(holders, key=holders.get)
    if holders[rarest] <= FEW:
        ids = SearchWord.objects.filter(token=rarest).values_list("entry_id", flat=True)
        entries = entries.filter(pk__in=list(ids))
        del holders[rarest]
    for token in holders:
        entries = entries.filter(pk__in=SearchWord.objects.filter(token=token).values("entry"))
    return entries


def entry_saved(sender, instance: Entry, update_fields=None, raw=False, **kwargs) -> None:
    """Keep the index in step with every save of an entry, whichever feature made it.

    A receiver, not a service call, because the index is part of how the row is stored,
    like a database index: a write that forgot it would leave an entry unfindable.
    """
    searchable = {f.name for f in instance.spec.fields if f.searchable}
    if raw or (update_fields is not None and not searchable & set(update_fields)):
        return
    entry_index(entry=instance)
