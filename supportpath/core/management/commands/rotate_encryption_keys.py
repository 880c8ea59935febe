from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from supportpath.core.encryption import EncryptedTextField, lookup_hash, rotate

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the newest key in FIELD_ENCRYPTION_KEYS, so older keys can then "
        "be removed, and recompute every lookup hash under LOOKUP_HASH_KEY. Safe to run again."
    )

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            count = self.rotate_model(model, fields)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        self.stdout.write(f"Done: {total} rows re-encrypted under the newest key")
        for model in apps.get_models():
            for hash_field, source in getattr(model, "lookup_hashes", {}).items():
                count = self.rehash(model, hash_field, source)
                self.stdout.write(f"{model._meta.label}: {count} lookup hashes recomputed")

    def rotate_model(self, model, fields) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        columns = [connection.ops.quote_name(f.column) for f in fields]
        assignments = ", ".join(f"{c} = %s" for c in columns)
        count = 0
        last = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where, params = ("", []) if last is None else (f" WHERE {pk} > %s", [last])
                cursor.execute(
                    f"SELECT {pk}, {', '.join(columns)} FROM {table}{where} ORDER BY {pk} LIMIT {BATCH}",  # noqa: S608  # nosec B608  # quoted names from model metadata only; values are parameters
                    params,
                )
                rows = cursor.fetchall()
                for row in rows:
                    values = [rotate(v) if v else v for v in row[1:]]
                    cursor.execute(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", [*values, row[0]])  # noqa: S608  # nosec B608  # as above
                    count += 1
            if len(rows) < BATCH:
                return count
            last = rows[-1][0]

    def rehash(self, model, hash_field: str, source: str) -> int:
        count = 0
        for pk, value in model.objects.order_by("pk").values_list("pk", source).iterator(chunk_size=BATCH):
            model.objects.filter(pk=pk).update(**{hash_field: lookup_hash(value)})
            count += 1
        return count
