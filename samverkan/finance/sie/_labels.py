"""The record labels the SIE reader knows, grouped the way it dispatches them."""

from __future__ import annotations

IDENTIFICATION = frozenset(
    {
        "#FLAGGA",
        "#PROGRAM",
        "#FORMAT",
        "#GEN",
        "#SIETYP",
        "#PROSA",
        "#FTYP",
        "#FNR",
        "#ORGNR",
        "#BKOD",
        "#ADRESS",
        "#FNAMN",
        "#RAR",
        "#TAXAR",
        "#OMFATTN",
        "#KPTYP",
        "#VALUTA",
    }
)
"""Identification records: they make up the :class:`~.records.Header`."""
CHART = frozenset({"#KONTO", "#KTYP", "#ENHET", "#SRU", "#DIM", "#UNDERDIM", "#OBJEKT"})
"""Chart records: accounts, dimensions and objects."""
BALANCES = frozenset({"#IB", "#UB", "#RES", "#OIB", "#OUB", "#PSALDO", "#PBUDGET"})
"""Balance records: one :class:`~.records.Balance` each."""
ROWS = frozenset({"#TRANS", "#RTRANS", "#BTRANS"})
"""Voucher rows: only allowed inside a #VER block."""
KNOWN = IDENTIFICATION | CHART | BALANCES | ROWS | {"#VER", "#KSUMMA"}
"""Every label the reader reads; others are reported once each and ignored."""
