"""The course's JupyterHub (hub/jupyterhub_config.py, hub/siapkan.py): where
its two sides live and who may sign in. The harness that drives a hub like a
learner's browser (HubUser, LocalHub) is netralitas/testing/hub.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .accounts import PREFIX, account_name  # noqa: F401  (the one NIP -> account rule)

hub_username = account_name
REPO = Path(__file__).resolve().parent.parent
# Shared password for everyone: only for a demonstration, never by default.
DEMO_AUTH = "demo-sandi-bersama"


@dataclass(frozen=True)
class HubLayout:
    """Where the hub keeps each side (see hub/siapkan.py for the modes)."""
    state: Path
    exchange: Path
    instructors: tuple[str, ...]

    @property
    def instructor_dir(self) -> Path:
        return self.state / "instruktur"

    @property
    def course(self) -> Path:
        from .settings import settings

        return Path(settings().hub_course or self.instructor_dir / "kursus").resolve()

    @property
    def instructor_site(self) -> Path:
        return self.instructor_dir / "site"

    @property
    def learner_site(self) -> Path:
        return self.state / "peserta" / "site"

    @property
    def codes_file(self) -> Path:
        return self.state / "rahasia" / "kode_masuk.csv"


def hub_layout() -> HubLayout:
    from .settings import settings

    s = settings()
    state = Path(s.hub_state or REPO / "var" / "hub").resolve()
    return HubLayout(state, Path(s.exchange or state / "exchange").resolve(),
                     tuple(n.lower() for n in s.hub_instructors))


def learner_ids() -> list[str]:
    """NIPs allowed on the hub: NETRALITAS_HUB_USERS, else the roster in
    NETRALITAS_HUB_ROSTER; three synthetic learners only for the shared-password demo."""
    from .settings import settings

    listed = settings().hub_users
    if listed:
        return list(listed)
    roster = settings().hub_roster
    if roster:
        from .report.roster import read_roster

        frame, _ = read_roster(Path(roster))
        return frame["nip"].tolist()
    if settings().hub_auth == DEMO_AUTH:
        from .testing.demo import make_cohort

        return [p.nip for p in make_cohort(3, seed=2024)]
    raise SystemExit("Daftar peserta hub kosong: isi NETRALITAS_HUB_ROSTER (roster CSV/XLSX dengan kolom NIP) "
                     "atau NETRALITAS_HUB_USERS (NIP dipisah koma).")
