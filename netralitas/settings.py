"""Every setting read from the environment, declared once: name, type, default, meaning.

The one name scheme is ``NETRALITAS_<ENGLISH_NAME>`` (``NETRALITAS_HUB_...`` for the shared
hub). Older or Indonesian names are still read as aliases so existing deployments keep working
(see OLD_NAMES).

Nothing else in the package touches ``os.environ``: it reads ``settings()`` (read afresh when the
environment changed, so tests and nbgrader subprocesses see what they were given), builds a
child's environment with ``child_env()`` and sets a value for a while with ``overridden()``.
docs/PENGATURAN.md is generated from this model (``make check`` fails when it drifts).
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PREFIX = "NETRALITAS_"
# Read from outside the scheme: JupyterHub names the user of a single-user server.
FOREIGN = ("JUPYTERHUB_USER", "JUPYTERHUB_SERVICE_PREFIX", "XDG_CONFIG_HOME")
# Names a deployment may still set; each is read as the alias of its field.
OLD_NAMES = ("NETRALITAS_KURSUS", "NETRALITAS_RAHASIA", "NETRALITAS_HUB_INSTRUKTUR", "NETRALITAS_KUNCI",
             "NETRALITAS_PENERBIT", "NETRALITAS_URL_VERIFIKASI", "NETRALITAS_HUB_AKUN", "NETRALITAS_AKUN_PESERTA")

Names = Annotated[tuple[str, ...], NoDecode]


def _alias(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """The environment of one process. Empty values count as unset."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, case_sensitive=False, env_ignore_empty=True,
                                      extra="ignore", frozen=True)

    # --- course folders and data -------------------------------------------------------------
    policy: Path | None = Field(None, description="Grading/HR policy file used instead of grading/kebijakan.yaml "
                                                  "(a deployment's own; nbgrader subprocesses inherit it).")
    db_url: str | None = Field(None, description="SQLAlchemy URL of the nbgrader gradebook, e.g. "
                                                 "postgresql+psycopg://... (default: SQLite in the course folder).")
    exchange: Path | None = Field(None, description="Shared nbgrader exchange folder (default: <course>/exchange; "
                                                    "on the hub: <hub state>/exchange).")
    quiz_source: Path | None = Field(None, description="Folder of the quiz source notebooks (default: quizzes/source).")
    quiz_bank: Path | None = Field(None, description="Folder of the quiz bank with answer keys, instructor side only "
                                                     "(default: quizzes/bank).")
    course: Path | None = Field(None, validation_alias=_alias("NETRALITAS_COURSE", "NETRALITAS_KURSUS"),
                                description="Course folder the HR report app opens (default: grading/). "
                                            "Old name: NETRALITAS_KURSUS.")
    secret: str | None = Field(None, validation_alias=_alias("NETRALITAS_SECRET", "NETRALITAS_RAHASIA"),
                               description="Secret that signs certificate verification codes in older course "
                                           "folders. Old name: NETRALITAS_RAHASIA.")
    key_file: Path | None = Field(None, validation_alias=_alias("NETRALITAS_KEY_FILE", "NETRALITAS_KUNCI"),
                                  description="The verification key file, kept outside the course folder "
                                              "(default: ~/.config/netralitas/kunci_verifikasi). "
                                              "Also read as NETRALITAS_KUNCI.")
    issuer: str | None = Field(None, validation_alias=_alias("NETRALITAS_ISSUER", "NETRALITAS_PENERBIT"),
                               description="Who issues certificates, as the register records it (default: the "
                                           "system user). Also read as NETRALITAS_PENERBIT.")
    verify_url: str | None = Field(None, validation_alias=_alias("NETRALITAS_VERIFY_URL",
                                                                 "NETRALITAS_URL_VERIFIKASI"),
                                   description="Address of the verification page the certificate's QR code links "
                                               "to (default: the QR holds the bare code). Also read as "
                                               "NETRALITAS_URL_VERIFIKASI.")

    # --- grading -------------------------------------------------------------------------------
    nip: str | None = Field(None, description="NIP of the learner this server or process belongs to (fetch/submit "
                                              "id); unset for instructors.")
    jupyterhub_user: str | None = Field(None, validation_alias=_alias("JUPYTERHUB_USER"),
                                        description="Set by JupyterHub: the hub user of this single-user server "
                                                    "(learner id when NETRALITAS_NIP is unset).")
    jupyterhub_service_prefix: str = Field("/", validation_alias=_alias("JUPYTERHUB_SERVICE_PREFIX"),
                                           description="Set by JupyterHub: the URL prefix of this server (links "
                                                       "of the verification page).")
    xdg_config_home: Path | None = Field(None, validation_alias=_alias("XDG_CONFIG_HOME"),
                                         description="The user's configuration folder (default: ~/.config); the "
                                                     "verification key's default home.")
    grader: Literal["kernel", "record"] = Field("record", description="How nbgrader autograde scores: record (from "
                                                "the answer file, no learner code runs; default) or kernel (stock "
                                                "nbgrader running each notebook: the benchmark's baseline only). "
                                                "Set by `netralitas nilai --mode`.")
    cell_timeout: int | None = Field(None, gt=0, description="Seconds one notebook cell may run during autograde "
                                                             "(default: grading/config.py CELL_TIMEOUT_S).")

    learner_account: str | None = Field(None, validation_alias=_alias("NETRALITAS_LEARNER_ACCOUNT",
                                                                      "NETRALITAS_AKUN_PESERTA"),
                                        description="Linux account name of a learner, from the NIP (default "
                                                    "asn{nip}): a submission owned by anyone else is set aside. "
                                                    "Also read as NETRALITAS_AKUN_PESERTA.")

    # --- shared JupyterHub (hub/jupyterhub_config.py, hub/siapkan.py) -------------------------
    hub_state: Path | None = Field(None, description="Hub state folder (default: var/hub).")
    hub_course: Path | None = Field(None, description="Instructors' course folder on the hub "
                                                      "(default: <hub state>/kursus).")
    hub_users: Names = Field((), description="Comma-separated NIPs allowed on the hub (else NETRALITAS_HUB_ROSTER).")
    hub_roster: Path | None = Field(None, description="Roster CSV/XLSX (NIP column) of the learners allowed on the hub.")
    hub_instructors: Names = Field(("instruktur",), validation_alias=_alias("NETRALITAS_HUB_INSTRUCTORS",
                                                                            "NETRALITAS_HUB_INSTRUKTUR"),
                                   description="Comma-separated instructor account names (default: instruktur). "
                                               "Old name: NETRALITAS_HUB_INSTRUKTUR.")
    hub_auth: str = Field("pam", description="How learners sign in to the hub: pam (each learner's own account) "
                                             "or demo-sandi-bersama (one shared password, demo only).")
    hub_accounts: Literal["lokal", "direktori"] = Field(
        "lokal", validation_alias=_alias("NETRALITAS_HUB_ACCOUNTS", "NETRALITAS_HUB_AKUN"),
        description="Where learner and instructor accounts come from (read by hub/siapkan.py): lokal (default: "
                    "missing accounts are created, each with a personal sign-in code) or direktori (the agency's "
                    "directory through SSSD/LDAP; nothing is created, a missing account stops the setup). "
                    "Also read as NETRALITAS_HUB_AKUN.")
    hub_config_extra: Path | None = Field(None, description="A further JupyterHub config file loaded last "
                                                            "(e.g. LDAP or OIDC).")
    hub_password: str | None = Field(None, description="Shared learner password on the hub, only with "
                                                       "NETRALITAS_HUB_AUTH=demo-sandi-bersama (at least 8 characters).")
    hub_admin_password: str | None = Field(None, description="Instructors' password on the hub (at least 32 "
                                                             "characters).")
    hub_quizzes: Names = Field((), description="Comma-separated quizzes `make hub` publishes (default: every quiz).")
    hub_ip: str = Field("127.0.0.1", description="Address the hub listens on.")
    hub_port: int = Field(8000, description="Port the hub listens on.")
    hub_api_port: int = Field(8081, description="Internal port of the hub's API.")
    hub_proxy_api_port: int = Field(8001, description="Internal port of the proxy's API.")
    hub_db_url: str | None = Field(None, description="SQLAlchemy URL of JupyterHub's own database "
                                                     "(default: SQLite in the hub state folder).")
    hub_cull_server_s: int = Field(3600, gt=0, description="Stop a learner server idle this many seconds.")
    hub_cull_kernel_s: int = Field(1200, gt=0, description="Stop a kernel idle this many seconds.")

    # --- invented data (demo, HR example, tests) -----------------------------------------------
    invented_data: bool = Field(False, description="Invented data (data rekaan): the roster check also accepts NIPs "
                                                   "that cannot be a real person's (birth day 00, "
                                                   "netralitas/invented.py), and every report, certificate and "
                                                   "unit statement is marked CONTOH - DATA REKAAN. Set by `make "
                                                   "demo`, the HR example and the tests; never for real HR data.")

    # --- tests ---------------------------------------------------------------------------------
    chromium: Path | None = Field(None, description="Chromium binary for the browser tests (default: Debian's).")

    @field_validator("hub_users", "hub_instructors", "hub_quizzes", mode="before")
    @classmethod
    def _comma_list(cls, value):
        if isinstance(value, str):
            return tuple(x.strip() for x in value.split(",") if x.strip())
        return value


def env_name(field: str) -> str:
    """The environment variable a field is read from (its first alias, else PREFIX + NAME)."""
    info = Settings.model_fields[field]
    alias = info.validation_alias
    return alias.choices[0] if isinstance(alias, AliasChoices) else PREFIX + field.upper()


def _snapshot() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith(PREFIX) or k.upper() in FOREIGN))


def _variable(loc: tuple) -> str:
    name = str(loc[0]) if loc else "?"
    return env_name(name) if name in Settings.model_fields else name


class SettingsError(ValueError):
    """An environment variable holds a value the course cannot use (English: set by operators)."""


@lru_cache(maxsize=16)
def _settings(snapshot: tuple[tuple[str, str], ...]) -> Settings:
    from pydantic import ValidationError

    try:
        return Settings(_env_file=None)
    except ValidationError as exc:
        wrong = "; ".join(f"{_variable(e['loc'])}: {e['msg']} (got {e.get('input')!r})" for e in exc.errors())
        raise SettingsError(f"invalid environment setting: {wrong}") from None


def settings() -> Settings:
    """The settings of this process as its environment holds them now."""
    return _settings(_snapshot())


def child_env(bin_dir: Path | None = None, **changes: str | None) -> dict[str, str]:
    """A copy of this process's environment for a subprocess: `changes` set (None removes),
    bin_dir put first on PATH (nbgrader shells out to tools of this interpreter's venv)."""
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    if bin_dir is not None:
        env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    return env


def prepend_path(bin_dir: Path) -> None:
    """Put bin_dir first on this process's PATH (for libraries that shell out, e.g. nbgrader's alembic)."""
    os.environ["PATH"] = os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")])


def export(**values: str | Path) -> None:
    """Set settings (by field name) for the rest of this process and its subprocesses."""
    for key, value in values.items():
        os.environ[env_name(key)] = str(value)


@contextlib.contextmanager
def overridden(**values: str | Path | None) -> Iterator[None]:
    """Set settings (by field name) in this process and its subprocesses for the block, then restore."""
    names = {env_name(k): (None if v is None else str(v)) for k, v in values.items()}
    old = {k: os.environ.get(k) for k in names}
    try:
        for key, value in names.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
