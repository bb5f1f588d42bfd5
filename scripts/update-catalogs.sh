#!/usr/bin/env bash
# Re-extracts the templates of the "wegwijs" (interface) and "forms" (form definitions) gettext
# domains and brings every existing catalog of those two domains up to date. The "pip" domain has its
# own commands (docs/pdf.md) and is not touched.
#
#   scripts/update-catalogs.sh                  update the templates and catalogs in the tree
#   scripts/update-catalogs.sh --extract-to DIR only write wegwijs.pot and forms.pot into DIR
#                                               (tests/unit/test_ui_catalog.py compares them)
#
# Running it twice changes nothing the second time: a template whose texts did not change is kept as
# it is (only its POT-Creation-Date would differ), so the catalogs are not touched either.
# After a run, translate the new (empty) entries; tests/unit/test_ui_catalog.py lists what is missing.
set -euo pipefail
shopt -s nullglob

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

python="${PYTHON:-$repo/.venv/bin/python}"
[[ -x "$python" ]] || python="$(command -v python3)"
# `python -m` puts the repository on sys.path, which the forms extractor (app.forms.babel_extract) needs.
pybabel=("$python" -m babel.messages.frontend -q)
catalogs="resources/translations"
header=(--project=Wegwijs --copyright-holder=Wegwijs)

extract_to=""
if [[ "${1:-}" == "--extract-to" ]]; then
    extract_to="${2:?--extract-to needs a folder}"
elif [[ $# -gt 0 ]]; then
    echo "update-catalogs: onbekende optie '$1'; gebruik: scripts/update-catalogs.sh [--extract-to MAP]" >&2
    exit 2
fi

extract() { # domain output
    case "$1" in
        wegwijs)
            "${pybabel[@]}" extract -F babel.cfg -k N_ -k ngettext:1,2 -k pgettext:1c,2 \
                --no-location --sort-output --width=110 "${header[@]}" -o "$2" .
            ;;
        forms)
            "${pybabel[@]}" extract -F resources/forms/babel.cfg \
                --no-location --sort-output --width=110 "${header[@]}" -o "$2" resources/forms
            ;;
    esac
}

if [[ -n "$extract_to" ]]; then
    mkdir -p "$extract_to"
    for domain in wegwijs forms; do
        extract "$domain" "$extract_to/$domain.pot"
    done
    exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-catalogs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for domain in wegwijs forms; do
    template="$catalogs/$domain.pot"
    extract "$domain" "$work/$domain.pot"
    if [[ -f "$template" ]] \
        && diff -q <(grep -v '^"POT-Creation-Date:' "$template") \
            <(grep -v '^"POT-Creation-Date:' "$work/$domain.pot") >/dev/null; then
        echo "$template: ongewijzigd"
    else
        cp "$work/$domain.pot" "$template"
        echo "$template: bijgewerkt"
    fi

    # English is the second interface language: its catalogs must exist for both domains.
    if [[ ! -f "$catalogs/en/LC_MESSAGES/$domain.po" ]]; then
        "${pybabel[@]}" init -D "$domain" -i "$template" -d "$catalogs" -l en
    fi

    # No fuzzy matching: the app shows fuzzy entries, and a guess borrowed from a similar text would
    # show a wrong translation until someone noticed. New texts stay empty until translated.
    # Lines of 110 characters, as the translators' catalogs are written; the catalog keeps its
    # POT-Creation-Date, so a catalog whose texts did not change is not touched at all.
    for po in "$catalogs"/*/LC_MESSAGES/"$domain".po; do
        code="$(basename "$(dirname "$(dirname "$po")")")"
        "${pybabel[@]}" update -D "$domain" -i "$template" -d "$catalogs" -l "$code" \
            --ignore-obsolete --no-fuzzy-matching --width=110 --ignore-pot-creation-date
    done
done
