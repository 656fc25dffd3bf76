"""The student kernel's own program: import the assignment's frameworks, then become an IPython kernel.

    python boot.py -f CONNECTION_FILE          (with GRADER_PRELOAD=torch,torchvision,...)

Standard library only until the frameworks load. Importing them here, before the kernel
exists, lets a kernel started ahead of time run a notebook at once; it binds no name the
notebook could see (a module in `sys.modules` is what `import` in a fresh kernel finds anyway,
after the grader's own set-up has imported it).
"""

import importlib
import os
import sys


def main() -> None:
    del sys.path[0]  # this file's folder: nothing in it is for the student's imports
    for name in filter(None, os.environ.pop("GRADER_PRELOAD", "").split(",")):
        try:
            importlib.import_module(name)
        except ImportError as err:  # the notebook's own import will say so, in its cell
            print(f"grader: could not preload {name}: {err}", file=sys.stderr)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
