"""Model fields of our own: text that the database only ever holds encrypted."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Free text a person wrote, stored sealed with their own data key (core/crypto.py).

    The code reads and writes plain strings: the text is encrypted when the row is saved
    (`pre_save`, which knows the row and so its owner) and decrypted when it is loaded
    (`from_db_value`; the stored header names whose key opens it). An empty text stays empty,
    so "left blank" still filters in SQL; nothing else about the text can be queried in SQL:
    a lookup or an `.update()` with plain text raises, rather than silently missing or
    storing it in the clear.

    `owner` is the attribute path, from the row, to the id of the person whose key seals the
    text: "user_id" for what they wrote, "entry.user_id" for a comment on their entry.
    """

    def __init__(self, *args, owner: str = "user_id", **kwargs):
        self.owner = owner
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.owner != "user_id":
            kwargs["owner"] = self.owner
        return name, path, args, kwargs

    def owner_id(self, instance: models.Model) -> int:
        value = instance
        for name in self.owner.split("."):
            value = getattr(value, name)
        return value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if not value:
            return value
        return crypto.encrypt_text(self.owner_id(model_instance), value)

    def from_db_value(self, value, expression, connection):
        # Rows written before encryption (until their data migration ran) read as they are.
        if not value or not crypto.is_encrypted(value):
            return value
        return crypto.decrypt_text(value)

    def get_lookup(self, lookup_name):
        # Only "is it blank": contains, startswith and the rest would silently match nothing.
        return super().get_lookup(lookup_name) if lookup_name in ("exact", "isnull") else None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value and not crypto.is_encrypted(value):
            raise ValueError(
                f"{self.model.__name__}.{self.name} is stored encrypted: save the row to write "
                "it, and search it in Python (its text cannot be compared in SQL)."
            )
        return value


def encrypt_existing_rows(model, *, owner: str = "user_id") -> int:
    """For a data migration: seal the texts of rows written before they were encrypted.

    `owner` names the owner's id as a values() path ("entry__user_id"). Returns the rows changed.
    """
    fields = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
    changed = 0
    rows = model.objects.order_by("pk").values_list("pk", owner, *fields)
    for pk, owner_id, *texts in rows.iterator(chunk_size=1000):
        sealed = {
            name: crypto.encrypt_text(owner_id, text)
            for name, text in zip(fields, texts, strict=True)
            if text
        }
        if sealed:
            changed += model.objects.filter(pk=pk).update(**sealed)
    return changed


def decrypt_existing_rows(model, schema_editor) -> None:
    """The way back for a data migration: write every sealed text of `model` in the clear."""
    fields = [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
    quote = schema_editor.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    statement = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE id = %s"
    rows = model.objects.order_by("pk").values_list(*[f.name for f in fields], "pk")
    for row in rows.iterator(chunk_size=1000):
        schema_editor.execute(statement, list(row))
