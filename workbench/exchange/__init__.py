"""The supervisor's round, without Qt: assignments out, evaluators' packages in, merged.

* :mod:`records`  — what is carried, by meaning (natural keys, field groups)
* :mod:`package`  — the signed, tamper-evident package file and its checks
* :mod:`assign`, :mod:`receive`, :mod:`export` — the files of the round
* :mod:`merge` (with :mod:`threeway`, :mod:`writer`) — packages into the master
* :mod:`unmerge`, :mod:`conflicts` (with :mod:`edits`) — undoing a batch, listing and settling conflicts

Every entry point takes a SQLAlchemy session and returns plain dataclasses;
long operations take ``progress(done, total)`` and ``cancelled()`` callables.
The format and the rules are in ``docs/exchange.md``.
"""
