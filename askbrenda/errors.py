"""The few errors a user can see. Each message says what to do next."""


class AskBrendaError(Exception):
    """Base class: the CLI prints the message (no traceback) and exits with ``exit_code``."""

    exit_code = 2


class ConfigError(AskBrendaError):
    """A setting is missing or wrong."""


class KnowledgeFolderError(AskBrendaError):
    """The knowledge folder cannot be read."""


class StoreError(AskBrendaError):
    """The index (Chroma folder or server) cannot be used."""


class ModelError(AskBrendaError):
    """The embedding model cannot be loaded or is not the expected one."""


class DocumentError(AskBrendaError):
    """One document cannot be read; ingestion reports it and carries on."""

    exit_code = 1


class LogError(AskBrendaError):
    """The Q&A log cannot be opened or written."""
