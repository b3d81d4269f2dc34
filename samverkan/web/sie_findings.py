"""What each SIE finding code means, in Swedish, for the upload's preview.

The reader (samverkan.finance.sie) knows no Django and writes its detailed messages in
English; the preview shows this meaning beside them. docs/sie.md has the same table with
what the user should do; a test checks that every code there has a text here.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FINDING_TEXTS: dict[str, Promise] = {
    "account_not_numeric": _("Ett kontonummer innehåller annat än siffror."),
    "account_too_long": _("Ett kontonummer har fler än sex siffror."),
    "account_too_short": _("Ett kontonummer har färre än fyra siffror."),
    "undeclared_account": _("Ett konto används men finns inte i filens kontoplan (#KONTO)."),
    "sru_undeclared_account": _("En SRU-kod gäller ett konto som inte finns i kontoplanen."),
    "period_balance_without_objects": _(
        "Periodsaldon saknar objektlistan {}; de lästes som saldon för hela kontot."
    ),
    "missing_object_list": _("En post saknar sin objektlista."),
    "bad_object_list": _("Något annat än en objektlista står där objektlistan ska stå."),
    "odd_object_list": _("En objektlista har ett udda antal delar; den sista ignorerades."),
    "ver_without_series": _(
        "Verifikationer saknar serie helt; fältet före datumet lästes som numret."
    ),
    "extra_fields": _("En post i filhuvudet har fler fält än formatet anger; de ignorerades."),
    "unquoted_text": _("Ett namn i flera ord saknar citattecken; det lästes i sin helhet."),
    "empty_company_name": _("Filen anger inget företagsnamn (#FNAMN)."),
    "fiscal_years_overlap": _("Två räkenskapsår överlappar varandra (#RAR)."),
    "fiscal_years_gap": _("Det är ett glapp mellan två räkenskapsår (#RAR)."),
    "duplicate_year": _("Samma räkenskapsår anges två gånger; det senare används."),
    "org_number_form": _("Organisationsnumret är inte skrivet NNNNNN-NNNN."),
    "missing_program_version": _("Filen anger inte programmets version."),
    "unknown_kptyp": _("Kontoplanstypen (#KPTYP) är ingen som formatet känner."),
    "voucher_number_in_4i": _("Verifikationerna i en importfil (4I) har nummer."),
    "long_series": _("Verifikationsserier med flera tecken."),
    "address_incomplete": _("Adressen (#ADRESS) saknar delar."),
    "unbalanced_voucher": _("En verifikation balanserar inte: raderna summerar inte till noll."),
    "unreadable_rows": _("En verifikation har rader som inte kunde läsas."),
    "empty_voucher": _("En verifikation saknar rader."),
    "rtrans_without_twin": _("En tillagd rad (#RTRANS) saknar sin #TRANS; den räknades med."),
    "missing_opening_brace": _("En verifikation saknar sin inledande klammer {."),
    "missing_closing_brace": _("En verifikation saknar sin avslutande klammer }."),
    "unexpected_brace": _("En klammer står utanför en verifikation."),
    "trans_outside_voucher": _("En rad står utanför en verifikation och ignorerades."),
    "bad_amount": _("Ett belopp är inget tal; posten ignorerades."),
    "bad_date": _("Ett datum är ogiltigt."),
    "bad_period": _("En period är inte skriven ÅÅÅÅMM."),
    "bad_field": _("Ett fält som ska vara ett heltal är det inte."),
    "missing_field": _("En post saknar ett fält den behöver."),
    "bad_quantity": _("En kvantitet är inget tal; den ignorerades."),
    "bad_account_type": _("En kontotyp (#KTYP) är okänd; den ignorerades."),
    "duplicate_account": _("Ett konto anges två gånger; det senare namnet används."),
    "duplicate_object": _("Ett objekt anges två gånger; det senare används."),
    "record_out_of_order": _("En post står efter poster ur en senare grupp; den användes ändå."),
    "unknown_label": _("En okänd post ignorerades."),
    "not_a_record": _("En rad är ingen post (börjar inte med #) och ignorerades."),
    "unterminated_quote": _("Ett citerat fält saknar avslutande citattecken."),
    "unterminated_object_list": _("En objektlista saknar avslutande }."),
    "stray_brace": _("En klammer på fel ställe ignorerades."),
    "flagga_not_first": _("Filen börjar inte med #FLAGGA."),
    "unknown_format": _("Teckenformatet (#FORMAT) är inte PC8."),
    "unknown_sie_type": _("SIE-typen är inte 1–4."),
    "missing_sietyp": _("Filen anger ingen SIE-typ; typ 1 antas."),
    "missing_omfattn": _("Periodsaldon utan #OMFATTN (till vilket datum de gäller)."),
    "implausible_omfattn": _("#OMFATTN ligger utanför räkenskapsåret."),
    "vouchers_in_balance_file": _("En saldofil (typ 1–3) innehåller verifikationer."),
    "no_records": _("Filen innehåller inga SIE-poster."),
    "io_error": _("Filen kunde inte läsas."),
    "encoding_cp437": _("Filen lästes som CP437, det teckenformat SIE föreskriver."),
    "encoding_utf8": _("Filen är i UTF-8 fast SIE föreskriver CP437; den lästes som UTF-8."),
    "encoding_cp1252": _("Filen är i Windows-1252; den lästes så."),
    "encoding_latin1": _("Svenska bokstäver i fel teckenformat på en rad."),
    "lossy_text": _("Bokstäver har gått förlorade i filen innan den kom hit."),
    "ksumma_verified": _("Kontrollsumman (#KSUMMA) stämmer."),
    "ksumma_mismatch": _("Kontrollsumman stämmer inte: filen är ändrad efter exporten."),
    "ksumma_alternative_reading": _("Kontrollsumman stämmer bara med en alternativ läsning."),
    "ksumma_misplaced": _("En #KSUMMA står där ingen hör hemma."),
    "after_ksumma": _("Poster efter den avslutande kontrollsumman."),
    "truncated": _("Filen är avkortad: den avslutande kontrollsumman saknas."),
    "missing_ksumma": _("Filen saknar kontrollsumma."),
    "suppressed_diagnostics": _("Fler fynd av samma slag räknades men listas inte."),
    "reconciliation_difference": _("Ett konto stämmer inte: filen verkar sakna verifikationer."),
    "unclassified_account": _("Konton som varken är balans- eller resultatkonton stämdes inte av."),
    "no_opening_balances": _("Filen saknar ingående balanser; de räknades som noll."),
    "year_not_in_file": _("Filens räkenskapsår är inte året som importeras."),
    "voucher_outside_year": _("En verifikation är daterad utanför året."),
    "unknown_object": _("Det valda objektet finns inte i filen."),
    "bad_object": _("Objektet är inte skrivet DIM:ID."),
    "unmapped_account": _("Ett konto saknar kostnadsslag i kontomappningen."),
    "amount_too_large": _(
        "Ett belopp är för stort för bokföringen (tusen miljarder kronor eller mer)."
    ),
    "mapping_unknown_category": _("Kontomappningen anger ett kostnadsslag som inte finns."),
    "unknown_fund": _("Kontomappningen anger en fond som inte finns."),
    "no_operating_fund": _("Året saknar driftfond."),
    "unknown_project": _("Kontomappningen anger ett projekt som inte finns."),
    "already_imported": _("Året har redan en import från en annan fil."),
    "year_locked": _("Året är beslutat eller publicerat och därför låst."),
}
