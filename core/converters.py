"""The `id` path converter: a row's id from the address, read by core.http.number_from.

Django's `int` converter takes any run of digits, so an id past the database's largest
integer reaches the query and SQLite answers with an OverflowError (a 500). This one
refuses it as the address of nothing: a 404 before any view runs.
"""

from django.urls import register_converter

from .http import number_from


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = number_from(value)
        if number is None:
            raise ValueError(f"{value!r} is not an id")  # no match: Django answers 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
