#!/bin/sh
# Bring both English catalogues up to date with the Swedish source strings, then compile them.
#
#   sh scripts/update-translations.sh
#
# Extracts the strings of samverkan/reports into samverkan/reports/locale and those of every
# other folder of samverkan into samverkan/web/locale (makemessages -l en --add-location file
# --no-obsolete, in a scratch copy), keeps the English of unchanged strings, drops strings no
# source has any longer, prints each catalogue's count of untranslated entries and lists them,
# and compiles django.mo (msgfmt --check). Translate the listed entries in django.po (no
# "#, fuzzy" left), run the script again until both counts are 0, and commit the four files.
# scripts/translations.py describes the details; `check` instead of `update` changes nothing
# and fails on any difference (tests/web/test_language.py runs it).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
python="$repo/.venv/bin/python"
[ -x "$python" ] || python=python3
exec "$python" "$repo/scripts/translations.py" "${1:-update}"
