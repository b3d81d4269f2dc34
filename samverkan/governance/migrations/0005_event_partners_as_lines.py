"""Event.partners: from a JSON list to a text of one partner per line, the data converted."""

from django.db import migrations, models


def json_to_lines(apps, schema_editor):
    Event = apps.get_model("governance", "Event")
    for event in Event.objects.exclude(partners=[]):
        names = event.partners if isinstance(event.partners, list) else [event.partners]
        event.partner_lines = "\n".join(str(name).strip() for name in names if str(name).strip())
        event.save(update_fields=["partner_lines"])


def lines_to_json(apps, schema_editor):
    Event = apps.get_model("governance", "Event")
    for event in Event.objects.exclude(partner_lines=""):
        event.partners = [line.strip() for line in event.partner_lines.splitlines() if line.strip()]
        event.save(update_fields=["partners"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_network_meetings_text_staff_internal_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="partner_lines",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(json_to_lines, lines_to_json),
        migrations.RemoveField(model_name="event", name="partners"),
        migrations.RenameField(model_name="event", old_name="partner_lines", new_name="partners"),
    ]
