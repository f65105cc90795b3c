"""Shared fixtures: hermetic settings (a temporary store) and the location of ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruxmap.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
DATA = SHARED / "data"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a throwaway SQLite store, so tests never touch ~/.cruxmap."""
    return Settings.load(db=str(tmp_path / "test.db"), data_dir=str(DATA))


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"reference seeds not found at {SEEDS} (needs ../shared beside the checkout)")
    return SEEDS


@pytest.fixture
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"benchmark data not found at {DATA} (needs ../shared beside the checkout)")
    return DATA


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep every test away from the real ~/.cruxmap and ./cruxmap.toml."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in Settings.model_fields:
        monkeypatch.delenv(f"CRUXMAP_{name.upper()}", raising=False)


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for the store tests (see tests/pg.py); skipped where none can run."""
    import os

    from pg import Cluster, ExistingServer

    url = os.environ.get("CRUXMAP_TEST_POSTGRES_URL")
    server = ExistingServer(url) if url else Cluster()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh, empty database on the test server."""
    return postgres_server.new_database()
