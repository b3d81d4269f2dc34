"""A project over several years, step 2: each existing project becomes one project whose
start year is the year that described it, with one part in that year holding the year's
cost, focus area, text, order and financing; each grant is decided in that year.

No projects are merged: a project's slug was already unique in its cooperation, so no
two years could describe "the same" project (and the demo has no continuing project).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    ProjectYear = apps.get_model("projects", "ProjectYear")
    ProjectFinancing = apps.get_model("projects", "ProjectFinancing")
    Grant = apps.get_model("projects", "Grant")
    for project in Project.objects.all().iterator():
        part = ProjectYear.objects.create(
            project_id=project.pk,
            year_id=project.year_id,
            stated_cost=project.stated_cost,
            focus_area_id=project.focus_area_id,
            description=project.description,
            order=project.order,
        )
        Project.objects.filter(pk=project.pk).update(start_year_id=project.year_id)
        ProjectFinancing.objects.filter(project_id=project.pk).update(part_id=part.pk)
        Grant.objects.filter(project_id=project.pk).update(year_id=project.year_id)


def backwards(apps, schema_editor):
    # Only a project with one part can go back to the old shape; its part is its year.
    Project = apps.get_model("projects", "Project")
    ProjectYear = apps.get_model("projects", "ProjectYear")
    ProjectFinancing = apps.get_model("projects", "ProjectFinancing")
    for project in Project.objects.all().iterator():
        parts = list(ProjectYear.objects.filter(project_id=project.pk).order_by("year__year"))
        if len(parts) > 1:
            raise RuntimeError(
                f"project {project.slug} has parts in {len(parts)} years; the old schema holds one"
            )
        part = parts[0] if parts else None
        Project.objects.filter(pk=project.pk).update(
            year_id=part.year_id if part else project.start_year_id,
            stated_cost=part.stated_cost if part else None,
            focus_area_id=part.focus_area_id if part else None,
            description=part.description if part else "",
            order=part.order if part else 0,
        )
        if part is not None:
            ProjectFinancing.objects.filter(part_id=part.pk).update(project_id=project.pk)


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_project_years_add_parts")]

    operations = [migrations.RunPython(forwards, backwards)]
