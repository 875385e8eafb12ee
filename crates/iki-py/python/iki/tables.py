"""Documents as two Arrow tables, for Parquet and dataframes: one row per document and one row
per indicator (the table rows of every IKI form).

``documents`` keeps the whole document as its JSON line (``document``) beside the columns a
data team filters on, so nothing is lost; ``indicators`` flattens each indicator with the form
it belongs to (record index, jabatan, organisation, year) and joins back to ``documents`` on
``path`` + ``sha256``. Needs ``pyarrow`` (the ``cluster`` extra).
"""

from __future__ import annotations

import json
from typing import Any, Iterable

import pyarrow as pa

DOCUMENTS = pa.schema(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("bytes", pa.int64()),
        ("format", pa.string()),
        ("encoding", pa.string()),
        ("kind", pa.string()),
        ("status", pa.string()),
        ("error_code", pa.string()),
        ("error_message", pa.string()),
        ("confidence", pa.float64()),
        ("records", pa.int32()),
        ("indicators", pa.int32()),
        ("signatories", pa.int32()),
        ("warnings", pa.int32()),
        ("document", pa.string()),
    ]
)

INDICATORS = pa.schema(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("record", pa.int32()),
        ("jabatan", pa.string()),
        ("organization", pa.string()),
        ("year", pa.int32()),
        ("position", pa.int32()),
        ("no", pa.string()),
        ("sasaran", pa.string()),
        ("indikator", pa.string()),
        ("rumus", pa.string()),
        ("formula_kind", pa.string()),
        ("target_raw", pa.string()),
        ("target_value", pa.float64()),
        ("target_unit", pa.string()),
        ("sumber_data", pa.string()),
        ("penanggung_jawab", pa.list_(pa.string())),
        ("line", pa.int64()),
        ("confidence", pa.float64()),
    ]
)


def document_row(line: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The ``documents`` row of one document and its JSON ``line``."""
    source, error = doc["source"], doc.get("error") or {}
    records = doc.get("records", [])
    return {
        "path": source["path"],
        "sha256": source["sha256"],
        "bytes": source["bytes"],
        "format": source["format"],
        "encoding": source.get("encoding"),
        "kind": doc["kind"],
        "status": doc["status"],
        "error_code": error.get("code"),
        "error_message": error.get("message"),
        "confidence": doc["confidence"],
        "records": len(records),
        "indicators": sum(len(r.get("indicators", [])) for r in records),
        "signatories": len(doc.get("signatories", [])),
        "warnings": len(doc.get("warnings", [])) + sum(len(r.get("warnings", [])) for r in records),
        "document": line,
    }


def indicator_rows(doc: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The ``indicators`` rows of one document, in document order."""
    source = doc["source"]
    for r, record in enumerate(doc.get("records", [])):
        for i, ind in enumerate(record.get("indicators", [])):
            target = ind.get("target") or {}
            formula = ind.get("formula") or {}
            yield {
                "path": source["path"],
                "sha256": source["sha256"],
                "record": r,
                "jabatan": record.get("jabatan"),
                "organization": record.get("organization"),
                "year": record.get("year"),
                "position": i,
                "no": ind.get("no"),
                "sasaran": ind.get("sasaran"),
                "indikator": ind.get("indikator"),
                "rumus": ind.get("rumus"),
                "formula_kind": formula.get("kind"),
                "target_raw": target.get("raw"),
                "target_value": target.get("value"),
                "target_unit": target.get("unit"),
                "sumber_data": ind.get("sumber_data"),
                "penanggung_jawab": ind.get("penanggung_jawab", []),
                "line": ind.get("line"),
                "confidence": ind.get("confidence"),
            }


class TableBuilder:
    """Rows of both tables gathered from JSON lines; :meth:`take` hands them out as tables, so
    a writer can flush every few thousand documents and never hold a large archive whole."""

    def __init__(self) -> None:
        self.documents: list[dict[str, Any]] = []
        self.indicators: list[dict[str, Any]] = []

    def add(self, line: str) -> dict[str, Any]:
        """Add one document's JSON line; returns the parsed document."""
        doc: dict[str, Any] = json.loads(line)
        self.documents.append(document_row(line, doc))
        self.indicators.extend(indicator_rows(doc))
        return doc

    def take(self) -> tuple[pa.Table, pa.Table]:
        """The rows gathered so far as (documents, indicators) tables; the builder empties."""
        tables = (
            pa.Table.from_pylist(self.documents, schema=DOCUMENTS),
            pa.Table.from_pylist(self.indicators, schema=INDICATORS),
        )
        self.documents, self.indicators = [], []
        return tables


def to_tables(lines: Iterable[str]) -> tuple[pa.Table, pa.Table]:
    """(documents, indicators) tables of documents given as JSON lines, e.g. the lines of
    ``iki extract --ndjson`` or :func:`iki.iter_path_json`."""
    builder = TableBuilder()
    for line in lines:
        builder.add(line)
    return builder.take()
