"""Put on PYTHONPATH, this makes `reference` unimportable in every Python process that starts
(the CLI, its workers): a student's machine, which has the engine but not the answers."""

import sys
from importlib.machinery import ModuleSpec


class NoAnswers:
    """A meta path finder that refuses `reference` and everything under it.

    Looking the package up answers a spec with nowhere to load from (as `importlib.util.find_spec`
    would for a package that is not there, the lookup itself does not fail); importing it fails.
    """

    def find_spec(self, name, path=None, target=None):
        return ModuleSpec(name, self) if name == "reference" or name.startswith("reference.") else None

    def create_module(self, spec):
        raise ModuleNotFoundError(f"No module named {spec.name!r} (a student's machine has no reference)", name=spec.name)

    def exec_module(self, module):  # the loader protocol asks for it; create_module has refused already
        pass


sys.meta_path.insert(0, NoAnswers())
