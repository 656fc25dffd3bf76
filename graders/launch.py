"""The launcher of a kernel fork server (and of a worker, in its control group).

    python launch.py PLAN.json

It runs outside the sandbox and uses the standard library only: it moves itself into the
plan's control groups, then becomes bubblewrap, which reads its options from a file (so that
nothing of the host's layout shows in a command line the sandbox can read), or, without a
sandbox, becomes the command directly. Everything it exec's inherits the cgroups.
"""

import json
import os
import sys


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as stream:
        plan = json.load(stream)
    for procs in plan["cgroups"]:
        with open(procs, "w", encoding="ascii") as stream:
            stream.write(str(os.getpid()))
    if plan["bwrap_args"] is None:
        os.execv(plan["command"][0], plan["command"])
    args = os.open(plan["bwrap_args"], os.O_RDONLY)
    os.set_inheritable(args, True)
    os.execvp("bwrap", ["bwrap", "--args", str(args), *plan["command"]])


if __name__ == "__main__":
    main()
