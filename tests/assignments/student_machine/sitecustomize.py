"""Put on PYTHONPATH, this makes `reference` unimportable in every Python process that starts
(the CLI, its workers): a student's machine, which has the engine but not the answers."""

import sys


class NoAnswers:
    """A meta path finder that refuses `reference` and everything under it."""

    def find_spec(self, name, path=None, target=None):
        if name == "reference" or name.startswith("reference."):
            raise ModuleNotFoundError(f"No module named {name!r} (a student's machine has no reference)", name=name)
        return None


sys.meta_path.insert(0, NoAnswers())
