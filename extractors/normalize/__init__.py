"""Normalisers: dates, phone numbers, e-mail addresses and countries as the dataset publishes them.

Pure functions over text; the only I/O is reading the package's own vocabularies
in ``extractors/data/``.
"""

from extractors.normalize.countries import (
    bare_iso_code,
    country_code,
    country_in_name,
    country_of_place,
    find_countries,
)
from extractors.normalize.dates import DateMention, find_dates, parse_date
from extractors.normalize.emails import find_emails, normalize_email
from extractors.normalize.phones import classify_phone_label, find_phones, normalize_phone
from extractors.normalize.seats import seat_of

__all__ = [
    "DateMention",
    "bare_iso_code",
    "classify_phone_label",
    "country_code",
    "country_in_name",
    "country_of_place",
    "find_countries",
    "find_dates",
    "find_emails",
    "find_phones",
    "normalize_email",
    "normalize_phone",
    "parse_date",
    "seat_of",
]
