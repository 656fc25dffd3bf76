"""Two import hooks: patch a module as soon as it has run, and make one package another's alias.

A patch runs before any other module can `from x import name`, so a function replaced here is
the one every importer binds. Patching never breaks an import: if a library changed so that a
patch no longer fits, the import goes on unpatched, with a warning.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import inspect
import sys
import warnings
from collections.abc import Callable
from types import ModuleType

Patch = Callable[[ModuleType], None]


class _PatchingLoader(importlib.abc.Loader):
    """The module's own loader, followed by the patch."""

    def __init__(self, loader: importlib.abc.Loader, patch: Patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        try:
            self._patch(module)
        except Exception as err:  # a library version the patch does not fit: import it unpatched
            warnings.warn(f"offline downloads through {module.__name__} are not served: {err}", stacklevel=2)

    def __getattr__(self, name: str):  # get_data, is_package, get_resource_reader, ...
        return getattr(self._loader, name)


class _PatchAfterImport(importlib.abc.MetaPathFinder):
    def __init__(self, patches: dict[str, Patch]):
        self._patches = patches

    def find_spec(self, fullname, path=None, target=None):
        patch = self._patches.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:  # the spec the rest of the import system would have found
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _PatchingLoader(spec.loader, patch)
                return spec
        return None


def bound(function: Callable, args: tuple, kwargs: dict) -> inspect.BoundArguments:
    """A call's arguments by parameter name, defaults filled in: what a wrapper of `function` reads
    and changes before passing the call on (`function(*call.args, **call.kwargs)`)."""
    call = inspect.signature(function).bind(*args, **kwargs)
    call.apply_defaults()
    return call


def patch_after_import(patches: dict[str, Patch]) -> None:
    """Run patches[name](module) right after module `name` is imported (install before that)."""
    sys.meta_path.insert(0, _PatchAfterImport(dict(patches)))


class _AliasLoader(importlib.abc.Loader):
    """Loads `alias.x` as the very module object `target.x`: one module under two names."""

    def __init__(self, target: str):
        self._target = target
        self._target_spec = None

    def create_module(self, spec):
        module = importlib.import_module(self._target)
        self._target_spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        module.__spec__ = self._target_spec  # the import system set the alias's spec on it


class _Alias(importlib.abc.MetaPathFinder):
    def __init__(self, alias: str, target: str):
        self._alias = alias
        self._target = target

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self._alias and not fullname.startswith(self._alias + "."):
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(self._target + fullname[len(self._alias):]))


def alias_package(alias: str, target: str) -> None:
    """`import alias` and `import alias.x` give the modules `target` and `target.x`."""
    sys.meta_path.insert(0, _Alias(alias, target))
