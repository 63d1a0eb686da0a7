"""Cache keys for the page: what the data *is*, never a hash of a big frame on every rerun.

Streamlit hashes a DataFrame argument of a cached function on every call: all of it, or past
50,000 rows a 10,000-row sample (which could take two different frames for one). Instead the
page gives each frame it hands around a short key: the dataset's version (its folder and the
files' modification times) plus the filters that made the frame. A section caches what it
builds under that key:

    @cache.resource(max_entries=cache.VIEWS, show_spinner=False)
    def _figure(key: str, _legs: pd.DataFrame) -> go.Figure:  # `_legs` is not hashed
        return charts.timeline(_legs)

    _figure(cache.key_of(legs), legs)

A frame nobody registered (built elsewhere, e.g. one person's legs) is keyed by a full hash
of its content, computed once per frame object. Cached results are shared by every session
and must be treated as read-only (pandas' copy-on-write keeps derived frames separate).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import threading
import weakref

import pandas as pd
import streamlit as st

# How many filter choices each section keeps the results of (small: figures, decks, tables),
# and how many filtered frames are kept (large: about 25 MB each at 100,000 legs).
VIEWS = 16
FRAMES = 8

_keys: dict[int, tuple[weakref.ref, str]] = {}
_lock = threading.Lock()


def resource(**options):
    """`st.cache_resource(**options)`, its function called with every argument named:
    Streamlit reads a function's signature again for each positional argument of each
    call (65 µs each here, 2 ms of every click)."""
    def decorate(func):
        cached = st.cache_resource(**options)(func)
        names = tuple(inspect.signature(func).parameters)

        @functools.wraps(func)
        def call(*args, **kwargs):
            return cached(**dict(zip(names, args, strict=False)), **kwargs)
        return call
    return decorate


def remember(obj, key: str):
    """Register `obj` (a frame, a dataset …) under `key`; returns `obj`."""
    ident = id(obj)

    def forget(_ref, ident=ident):
        with _lock:
            entry = _keys.get(ident)
            if entry is not None and entry[0] is _ref:
                del _keys[ident]

    with _lock:
        _keys[ident] = (weakref.ref(obj, forget), key)
    return obj


def key_of(obj) -> str:
    """The key `obj` was registered under, else a hash of its content (then remembered)."""
    with _lock:
        entry = _keys.get(id(obj))
    if entry is not None and entry[0]() is obj:
        return entry[1]
    key = "content:" + _content_hash(obj)
    remember(obj, key)
    return key


def rows_digest(rows: pd.DataFrame) -> str:
    """Which rows of a frame `rows` holds, as a short digest of its index: for a subset of
    one frame with a unique index (a filter's legs), the same rows give the same digest."""
    index = rows.index
    labels = (index.to_numpy().tobytes() if pd.api.types.is_integer_dtype(index)
              else pd.util.hash_pandas_object(index, index=False).to_numpy().tobytes())
    return hashlib.blake2b(labels, digest_size=16).hexdigest()


def _content_hash(obj) -> str:
    digest = hashlib.sha256()
    # A dataclass by its fields alone (not what its cached properties have worked out).
    fields = ({} if isinstance(obj, pd.DataFrame)
              else {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    frames = [obj] if isinstance(obj, pd.DataFrame) else [
        value for value in fields.values() if isinstance(value, pd.DataFrame)]
    for frame in frames:
        digest.update(repr(list(frame.columns)).encode())
        digest.update(repr(list(frame.dtypes.astype(str))).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    if not isinstance(obj, pd.DataFrame):
        others = {name: value for name, value in fields.items()
                  if not isinstance(value, pd.DataFrame)}
        digest.update(repr(sorted(others.items())).encode())
    return digest.hexdigest()[:32]
