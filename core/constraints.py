"""CheckConstraint that asks whether a form left its fields out before it does any work.

A ModelForm validates the model's constraints after cleaning, leaving out each constraint
that names a field the form does not edit. Django's CheckConstraint.validate builds an
expression of every field of the row first and only then asks: a journal entry has 56
fields and seven constraints, most of them about another kind's fields, and saving a
gratitude entry spent a third of its form validation on seven maps it never used. This
asks first; what it checks and how it reports are Django's own.

Migrations see Django's class (`deconstruct`), so using it changes no schema.
"""

from django.db import DEFAULT_DB_ALIAS, models


class CheckConstraint(models.CheckConstraint):
    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if exclude and self._expression_refs_exclude(model, self.condition, exclude):
            return
        super().validate(model, instance, exclude=exclude, using=using)

    def deconstruct(self):
        _, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs
