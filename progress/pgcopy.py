"""PostgreSQL binary COPY payloads built from whole columns.

Formatting a million rows value by value costs seconds; here rows are grouped by their shape (which fields are NULL,
which short text each text field holds), every group has a fixed byte layout, and numpy lays each group out in one go.
The format is PostgreSQL's documented binary COPY: a signature, then per row a field count and per field its length
(-1 for NULL) and big-endian bytes.
"""

import numpy as np
import pandas as pd

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
TRAILER = (-1).to_bytes(2, "big", signed=True)
_NUMERIC = {"bool": "u1", "int2": ">i2", "int4": ">i4", "int8": ">i8", "float8": ">f8", "timestamptz": ">i8"}
_POSTGRES_EPOCH = np.datetime64("2000-01-01T00:00:00", "us")


def _column(frame: pd.DataFrame, name: str, kind: str):
    """(values, null mask, text codes or None) for one column."""
    series = frame[name]
    if kind == "text" and isinstance(series.dtype, pd.CategoricalDtype):  # the engine's statuses: codes already made
        codes = series.cat.codes.to_numpy().astype(np.int64)
        return [str(c).encode("utf-8") for c in series.cat.categories], codes < 0, codes
    if kind == "text":
        values = series.astype(object)
        null = values.isna().to_numpy()
        codes, uniques = pd.factorize(values.where(~null, None), use_na_sentinel=True)
        encoded = [str(u).encode("utf-8") for u in uniques]
        return encoded, null, codes
    if kind == "timestamptz":
        stamps = pd.to_datetime(series, utc=True)
        null = stamps.isna().to_numpy()
        micros = (stamps.dt.tz_localize(None).to_numpy("datetime64[us]") - _POSTGRES_EPOCH).astype(np.int64)
        return np.where(null, 0, micros), null, None
    numeric = pd.to_numeric(series, errors="coerce")
    null = numeric.isna().to_numpy()
    if kind == "float8":
        return numeric.to_numpy(dtype=float, na_value=np.nan), null, None
    return numeric.fillna(0).to_numpy(dtype=np.int64), null, None


def binary_copy_payload(frame: pd.DataFrame, columns: list[tuple[str, str]]) -> bytes:
    """The whole COPY … FROM STDIN (FORMAT BINARY) stream for `frame`; `columns` lists (name, postgres type) in
    table order, types bool | int2 | int4 | int8 | float8 | timestamptz | text."""
    n = len(frame)
    prepared = [(name, kind, *_column(frame, name, kind)) for name, kind in columns]
    # A row's shape: one bit per nullable field and, per text field, which of its few values it holds.
    shape = np.zeros(n, dtype=np.int64)
    shift = 0
    for _name, _kind, _values, null, codes in prepared:
        shape |= null.astype(np.int64) << shift
        shift += 1
        if codes is not None:
            shape |= (codes.astype(np.int64) + 1) << shift
            shift += max(int(codes.max(initial=0) + 2).bit_length(), 1)
    if shift > 62:
        raise ValueError("too many nullable or text fields for one shape key")
    parts = [SIGNATURE]
    order = np.argsort(shape, kind="stable")
    bounds = np.flatnonzero(np.diff(shape[order])) + 1
    for rows in np.split(order, bounds):
        if len(rows) == 0:
            continue
        first = rows[0]
        fields, data = [("count", ">i2")], {"count": len(columns)}
        for i, (_name, kind, values, null, codes) in enumerate(prepared):
            if null[first]:
                fields.append((f"l{i}", ">i4"))
                data[f"l{i}"] = -1
            elif codes is not None:
                text = values[codes[first]]
                fields.append((f"l{i}", ">i4"))
                data[f"l{i}"] = len(text)
                if text:  # an empty string is a length of 0 and no bytes
                    fields.append((f"v{i}", f"S{len(text)}"))
                    data[f"v{i}"] = text
            else:
                dtype = _NUMERIC[kind]
                fields += [(f"l{i}", ">i4"), (f"v{i}", dtype)]
                data[f"l{i}"], data[f"v{i}"] = np.dtype(dtype).itemsize, values[rows]
        block = np.empty(len(rows), dtype=np.dtype(fields))
        for key, value in data.items():
            block[key] = value
        parts.append(block.tobytes())
    parts.append(TRAILER)
    return b"".join(parts)
