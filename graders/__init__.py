"""The grading engine: spec, submission, sandboxed kernel, pytest plugin, scoring, batch, CLI."""

__version__ = "0.1.0"
