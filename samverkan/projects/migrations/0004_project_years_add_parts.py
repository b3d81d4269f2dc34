"""A project over several years, step 1: add each year's part (`ProjectYear`), the project's
start and end year, the year of each financing row (through its part) and of each grant.

The old fields stay until 0005 has copied them over; 0006 removes them. Their links become
nullable here, so that going back re-adds them empty for 0005's backwards step to fill.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_year_plan_adoption_and_swedish_labels"),
        ("plan", "0003_activity_dates_proposals_and_swedish_labels"),
        ("projects", "0003_swedish_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectYear",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stated_cost", models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="angiven kostnad")),
                ("description", models.TextField(blank=True, verbose_name="beskrivning")),
                ("order", models.PositiveIntegerField(default=0, verbose_name="ordning")),
                ("focus_area", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="project_years", to="plan.focusarea", verbose_name="fokusområde")),
                ("project", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="years", to="projects.project", verbose_name="projekt")),
                ("year", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="project_years", to="members.year", verbose_name="år")),
            ],
            options={
                "verbose_name": "projektets år",
                "verbose_name_plural": "projektens år",
                "ordering": ["order", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("project", "year"), name="project_year_unique"),
                    models.CheckConstraint(condition=models.Q(("stated_cost__isnull", True), ("stated_cost__gte", 0), _connector="OR"), name="project_year_stated_cost_not_negative"),
                ],
            },
        ),
        migrations.AddField(
            model_name="project",
            name="start_year",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="projects_started", to="members.year", verbose_name="startår"),
        ),
        migrations.AddField(
            model_name="project",
            name="end_year",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="slutår", help_text="Det sista år projektet planeras pågå, om det är bestämt."),
        ),
        migrations.AddField(
            model_name="projectfinancing",
            name="part",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="financing", to="projects.projectyear", verbose_name="projektets år"),
        ),
        migrations.AlterField(
            model_name="project",
            name="year",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="projects", to="members.year", verbose_name="år"),
        ),
        migrations.AlterField(
            model_name="projectfinancing",
            name="project",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="financing", to="projects.project", verbose_name="projekt"),
        ),
        migrations.AddField(
            model_name="grant",
            name="year",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="grants", to="members.year", verbose_name="beslutat år"),
        ),
    ]
