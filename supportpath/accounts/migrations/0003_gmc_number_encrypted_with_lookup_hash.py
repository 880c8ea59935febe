"""GMC numbers are stored encrypted and found through a keyed hash.

The steps: widen the column to text (ciphertext is longer than seven digits) and drop its uniqueness, add the
hash column, fill both from the plain numbers, then make the hash unique. Raw SQL reads the plain values, since
the model's field would try to decrypt them.
"""

import django.core.validators
from django.db import migrations, models

import supportpath.core.encryption


def encrypt_and_hash(apps, schema_editor):
    from supportpath.core.encryption import encrypt, lookup_hash

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, gmc_number FROM accounts_doctorprofile")
        rows = cursor.fetchall()
        for pk, number in rows:
            if number.startswith("enc1:"):
                continue
            cursor.execute(
                "UPDATE accounts_doctorprofile SET gmc_number = %s, gmc_number_hash = %s WHERE id = %s",
                [encrypt(number), lookup_hash(number), pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_session_generation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="doctorprofile",
            name="gmc_number",
            field=models.TextField(verbose_name="GMC reference number"),
        ),
        migrations.AddField(
            model_name="doctorprofile",
            name="gmc_number_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(encrypt_and_hash, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="doctorprofile",
            name="gmc_number",
            field=supportpath.core.encryption.EncryptedTextField(
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\d{7}$", "Enter a GMC reference number of 7 digits, like 1234567"
                    )
                ],
                verbose_name="GMC reference number",
            ),
        ),
        migrations.AlterField(
            model_name="doctorprofile",
            name="gmc_number_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
