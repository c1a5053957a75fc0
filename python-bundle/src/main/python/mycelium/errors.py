"""The exception hierarchy of Mycelium for Python; it mirrors the Java one (MyceliumException and subclasses)."""


class MyceliumError(Exception):
    """Base of every error Mycelium raises at a boundary; the message says what was wrong, where, and how to fix it."""


class ConfigurationError(MyceliumError):
    """A topology, configuration file or argument is invalid."""


class SchemaError(MyceliumError):
    """A contracts file, schema digest or message layout is invalid or does not match its peer."""


class LinkError(MyceliumError):
    """A connection to another node failed or its peer broke the wire protocol."""
