#!/bin/sh
# Update the English catalogue of the web app after strings changed, then compile it.
#
#   sh samverkan/web/locale/update.sh
#
# Extracts the messages of samverkan/web, samverkan/templates, and the model
# choices and services the pages show (accounts, audit, members, finance, plan,
# governance, projects, consultations, core, lib/scb, the year-file loader)
# in a scratch copy, merges them into django.po (existing translations are
# kept), lists what still needs an English text, and compiles django.mo with
# msgfmt. Translate the listed entries in
# django.po and run the script again; commit both files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
python="$repo/.venv/bin/python"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

mkdir -p "$scratch/src/locale" "$scratch/src/shown"
cp -r "$repo/samverkan/web" "$repo/samverkan/templates" "$scratch/src/"
rm -rf "$scratch/src/web/locale"
for f in accounts/models.py accounts/services.py audit/models.py \
         members/admin_scope.py members/locking.py members/models.py members/population.py \
         members/services.py members/year_services.py finance/models.py finance/services.py \
         plan/models.py plan/services.py governance/models.py governance/services.py \
         projects/models.py projects/services.py projects/receivables.py \
         consultations/models.py consultations/services.py \
         core/rows.py core/slugs.py core/validation.py lib/scb.py yearfile/load_cooperation.py; do
  cp "$repo/samverkan/$f" "$scratch/src/shown/$(echo "$f" | tr / _)"
done
(cd "$scratch/src" && "$python" -c "
import django
from django.conf import settings
settings.configure(USE_I18N=True, LOCALE_PATHS=[], INSTALLED_APPS=[],
                   TEMPLATES=[{'BACKEND': 'django.template.backends.django.DjangoTemplates'}])
django.setup()
from django.core.management import call_command
call_command('makemessages', locale=['en'], add_location='never', no_obsolete=True, verbosity=0)
")
po="$here/en/LC_MESSAGES/django.po"
msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-location "$po" "$scratch/src/locale/en/LC_MESSAGES/django.po"
msgattrib --no-obsolete --output-file="$po" "$po"
untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
if [ "$untranslated" -gt 1 ]; then
  echo "Untranslated entries in $po:"
  msgattrib --untranslated --no-obsolete "$po" | grep -A1 '^msgid ' | grep -v '^msgid ""$' || true
fi
msgfmt --check --output-file="$here/en/LC_MESSAGES/django.mo" "$po"
echo "compiled $here/en/LC_MESSAGES/django.mo"
