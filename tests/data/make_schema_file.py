"""Write ``tests/data/schema_vN.sqlite``: a real file of today's schema version, full of example data.

Run it once per released schema version, *before* changing the schema, and commit the file:
    python -m tests.data.make_schema_file
The migration tests upgrade each of these files through every later step.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from cohesion_desktop.db import migrations
from cohesion_desktop.db.store import open_store
from cohesion_desktop.services.demo import load_demo

HERE = Path(__file__).resolve().parent


def main() -> Path:
    target = HERE / f"schema_v{migrations.SCHEMA_VERSION}.sqlite"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="cohesion-schema-file-") as home:
        os.environ["COHESION_HOME"] = home
        with open_store(target) as store, store.session() as session:
            load_demo(session, today=date(2026, 11, 1))
        with open_store(target) as store:
            store.vacuum()
    target.with_name(target.name + ".lock").unlink(missing_ok=True)
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")
    return target


if __name__ == "__main__":
    main()
