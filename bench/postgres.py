"""Team mode on the benchmark file (``python -m bench --only postgres``): the large file loaded into a PostgreSQL
server of the bench's own (started as the tests start theirs, tests/postgres_server.py), and the operations the
pages run, timed on the server and on the file in the same run (the ratio is the server's cost); then live refresh
(commit → another copy's listener) and saves with 20 clients at once.

Service calls, not the window: a page's own work on top is the same for both engines, and the window opens a team
database only with the window's team-mode work (issue 17). Not in the default ``make bench``: loading the file
into the server takes minutes.
"""

from __future__ import annotations

import queue
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

CLIENTS = 20
SEARCHED = "ahmed"  # typed a letter at a time into the Volunteers search, as the app bench types it
SAVES_PER_CLIENT = 15
DATABASE = "cohesion_bench"


@dataclass
class Figures:
    """Samples in ms, by operation: ``(server, file)`` for those timed on both; the rest the server's alone."""

    load_s: float = 0.0
    rows_loaded: int = 0
    both: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)
    notify_ms: list[float] = field(default_factory=list)
    save_ms: list[float] = field(default_factory=list)
    save_alone_ms: list[float] = field(default_factory=list)  # the same saves by one client, nobody else saving
    saves_refused: int = 0


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm: the first call pays for caches and plans
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _load(file: Path, address: Any) -> tuple[float, int]:
    """The file's every row into the prepared team database, as one transaction (its first rows emptied)."""
    from sqlalchemy import select
    from sqlmodel import SQLModel

    from cohesion_desktop.db import bulk
    from cohesion_desktop.db.server import make_server_engine
    from cohesion_desktop.db.store import make_engine

    started = time.perf_counter()
    tables = list(SQLModel.metadata.sorted_tables)
    source_engine, target_engine = make_engine(file, read_only=True), make_server_engine(address)
    count = 0
    try:
        with source_engine.connect() as source, target_engine.begin() as target:
            for table in reversed(tables):
                target.execute(table.delete())
            with bulk.loading(target, tables):
                for table in tables:
                    streamed = source.execution_options(stream_results=True, yield_per=20_000)
                    for part in streamed.execute(select(table)).mappings().partitions():
                        count += bulk.insert_rows(target, table, [dict(row) for row in part])
            target.exec_driver_sql("ANALYZE")
    finally:
        source_engine.dispose()
        target_engine.dispose()
    return time.perf_counter() - started, count


def _on_both(
    figures: Figures, name: str, server: Any, data_file: Any, work: Callable[[Any], object], runs: int
) -> None:
    samples = []
    for store in (server, data_file):
        with store.session() as session:
            samples.append(_timed(lambda session=session: work(session), runs))
    figures.both[name] = (samples[0], samples[1])


def _notify_latency(address: Any, runs: int) -> list[float]:
    """From just before one copy commits a partner's change to another copy's listener handing the notice on."""
    from cohesion_desktop.db import models
    from cohesion_desktop.db.store import open_server_store, writing

    heard: queue.Queue[float] = queue.Queue()
    listening, writing_copy = open_server_store(address), open_server_store(address)
    listener = listening.listen_to_others(lambda _notice: heard.put(time.perf_counter()))
    samples = []
    try:
        assert listener.listening.wait(30), "the listener did not connect"
        with writing_copy.session() as session:
            partner_id = session.execute(select_first_partner()).scalar_one()
        for number in range(runs):
            with writing_copy.session() as session, writing(session):
                partner = session.get(models.Partner, partner_id)
                assert partner is not None
                partner.notes = f"Benchmark note {number}"
                started = time.perf_counter()
            samples.append((heard.get(timeout=30) - started) * 1000)
    finally:
        listener.stop()
        listening.close()
        writing_copy.close()
    return samples


def select_first_partner() -> Any:
    from sqlalchemy import select

    from cohesion_desktop.db import models

    return select(models.Partner.id).order_by(models.Partner.name).limit(1)


def _save_partner(store: Any, partner_id: uuid.UUID, number: int) -> None:
    from cohesion_desktop.services import partners

    with store.session() as session:
        partners.update_partner(session, partner_id=partner_id, changes={"notes": f"Save {number}"})


def _saves_alone(address: Any) -> list[float]:
    """The reference: one client's saves with nobody else saving (the 20 clients' run is in one process here, so
    its figure also holds the clients' own contention for the interpreter and the 2 cores)."""
    from cohesion_desktop.db.store import open_server_store

    with open_server_store(address) as store:
        with store.session() as session:
            partner_id = session.execute(select_first_partner()).scalar_one()
        return _timed(lambda: _save_partner(store, partner_id, 0), SAVES_PER_CLIENT)


def _concurrent_saves(address: Any) -> tuple[list[float], int]:
    """20 clients, each its own connection as 20 laptops would have, saving changes at once: a partner's notes (a
    partner of its own), so that what is timed is the save, not a conflict."""
    from sqlalchemy import select

    from cohesion_desktop.db import models
    from cohesion_desktop.db.store import open_server_store
    from cohesion_desktop.errors import ConflictError

    stores = [open_server_store(address) for _ in range(CLIENTS)]
    with stores[0].session() as session:
        ids = list(session.execute(select(models.Partner.id).limit(CLIENTS)).scalars())
    samples: list[float] = []
    refused = 0
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client(store: Any, partner_id: uuid.UUID) -> None:
        nonlocal refused
        mine: list[float] = []
        start.wait()
        for number in range(SAVES_PER_CLIENT):
            began = time.perf_counter()
            try:
                _save_partner(store, partner_id, number)
            except ConflictError:
                with lock:
                    refused += 1
                continue
            mine.append((time.perf_counter() - began) * 1000)
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=pair) for pair in zip(stores, ids, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    return samples, refused


def measure(file: Path, runs: int) -> Figures:
    """Everything above, on a server of its own stopped at the end."""
    from sqlalchemy import create_engine, text

    from cohesion_desktop.dates import Period
    from cohesion_desktop.db.server import ServerAddress
    from cohesion_desktop.db.store import open_server_store, open_store, prepare_team_database
    from cohesion_desktop.services import partners, reporting
    from cohesion_desktop.services.volunteering import totals, volunteers
    from tests.postgres_server import PostgresServer

    figures = Figures()
    server = PostgresServer().start()
    try:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
        admin.dispose()
        address = ServerAddress.parse(server.url(DATABASE))
        prepare_team_database(address)
        figures.load_s, figures.rows_loaded = _load(file, address)
        end_day = date.today()
        period = Period(end_day - timedelta(days=364), end_day)
        with open_server_store(address) as team, open_store(file, read_only=True) as data_file:
            _on_both(figures, "partners", team, data_file, partners.list_partners, runs)
            word = SEARCHED

            def keystrokes(session: Any) -> None:
                for end in range(1, len(word) + 1):
                    volunteers.volunteer_ids(session, query=word[:end])

            _on_both(figures, "search", team, data_file, keystrokes, runs)
            _on_both(figures, "months", team, data_file, lambda s: totals.hours_by_month(s, period=period), runs)
            with tempfile.TemporaryDirectory() as scratch:

                def export(session: Any) -> None:
                    reporting.export_summary(
                        session,
                        path=Path(scratch) / "summary.xlsx",
                        period=Period.last_12_months(end_day),
                        organisation_name="Benchmark Trust",
                        logo=None,
                        include_names=False,
                    )

                _on_both(figures, "export", team, data_file, export, max(1, min(runs, 3)))
        figures.notify_ms = _notify_latency(address, runs)
        figures.save_alone_ms = _saves_alone(address)
        figures.save_ms, figures.saves_refused = _concurrent_saves(address)
    finally:
        server.stop()
    return figures
