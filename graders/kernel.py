"""A live student kernel: runs the notebook cell by cell, then answers the grader's questions.

The grader talks to "a kernel" through `run_notebook`, `call`, `value` and `predict`; how the
kernel was started (sandboxed, resource-limited) is `graders.sandbox`'s business.

Everything that comes back from the kernel is bounded: a message over `MAX_MESSAGE_BYTES` is
refused by the socket itself (the kernel is disconnected, not the grader's memory filled), and a
cell's output is capped while it streams.
"""

from __future__ import annotations

import builtins
import functools
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import zmq
import zmq.asyncio
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from graders import forkserver, sandbox, wire
from graders.forked_kernel import ForkedKernelProvisioner
from graders.output_limit import StreamingOutputCap, cap_cell_outputs
from graders.record import CellRun
from graders.sandbox import SandboxPolicy
from graders.text import plain

MAX_MESSAGE_BYTES = wire.MAX_REPLY_BYTES + 32 * 2**20  # a reply at the wire's limit, with room for its envelope
OUTPUT_GRACE_S = 10  # after the kernel's "done", how long its last output may take to arrive


TIMEOUT_ENAME = "CellTimeLimit"


class KernelError(Exception):
    """The kernel could not answer (it died, timed out or never started)."""


class KernelDied(KernelError):
    pass


class CallTimeout(KernelError):
    pass


class StudentCodeError(Exception):
    """An exception raised by student code inside the kernel, carried back as plain text.

    Instances also derive from the builtin exception of the same name (ValueError, …) when
    there is one, so `pytest.raises(ValueError)` works on a student function.
    """

    def __init__(self, ename: str, evalue: str, traceback: str = ""):
        ename, evalue, traceback = plain(ename), plain(evalue), plain(traceback)
        super().__init__(f"{ename}: {evalue}")
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback


class AnswerRefused(KernelError):
    """The kernel's answer cannot be checked: it is not plain data, or it is too large."""


class AnswerMissing(NameError):
    """The notebook does not define the name a check asked for (the message says which)."""


def student_error(ename: str, evalue: str, traceback: str = "") -> StudentCodeError | AnswerRefused | AnswerMissing:
    ename = plain(ename)
    # raised by the protocol's kernel side, not by the student's code
    if ename == wire.WireError.__name__:
        return AnswerRefused(plain(evalue))
    if ename == wire.NotDefined.__name__:
        return AnswerMissing(plain(evalue))
    builtin = getattr(builtins, ename, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception) and builtin is not StudentCodeError:
        cls = type(f"Student{ename}", (StudentCodeError, builtin), {})
        return cls(ename, evalue, traceback)
    return StudentCodeError(ename, evalue, traceback)


@dataclass(frozen=True)
class NotebookRun:
    cells: tuple[CellRun, ...]
    seconds: float
    kernel_alive: bool
    notebook: nbformat.NotebookNode  # as executed, outputs capped


@functools.cache
def _zmq_context() -> zmq.asyncio.Context:
    """One ZeroMQ context for every kernel of this process (a context of its own per kernel costs
    tens of milliseconds to end), with the socket options that protect the grader."""
    context = zmq.asyncio.Context()
    context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
    context.setsockopt(zmq.RECONNECT_IVL, 10)  # ms: a kernel just forked binds its sockets at once
    return context


class _KernelManager(AsyncKernelManager):
    """jupyter_client's manager, for a kernel that runs as another uid and must not be able to
    flood the grader."""

    def __init__(self, **kwargs):
        super().__init__(context=_zmq_context(), **kwargs)

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        # jupyter_client makes it owner-only; the sandboxed kernel runs as the student's uid and
        # must read it. Its folder is reachable by the grader and that kernel alone.
        os.chmod(self.connection_file, 0o644)

    def client(self, **kwargs):
        return super().client(context=_zmq_context(), **kwargs)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # a killed kernel command ends within milliseconds: poll at that pace, not every 0.1 s
        await super()._async_wait(pollinterval=0.005)


class _CappedNotebookClient(NotebookClient):
    """nbclient, keeping at most `output_limit` characters of each cell's output as it arrives."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.output_limit = 256 * 1024
        self._caps: dict[int, StreamingOutputCap] = {}
        self.completed: set[int] = set()  # cells whose end ("idle") came through the output channel

    def process_message(self, msg, cell, cell_index):
        if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
            self.completed.add(cell_index)
        return super().process_message(msg, cell, cell_index)

    def output(self, outs, msg, display_id, cell_index):
        cap = self._caps.setdefault(cell_index, StreamingOutputCap(self.output_limit))
        if not cap.admit(msg):
            return None
        return super().output(outs, msg, display_id, cell_index)

    def dropped(self, cell_index: int) -> int:
        cap = self._caps.get(cell_index)
        return cap.dropped if cap else 0

    async def async_start_new_kernel_client(self):
        """nbclient's, waiting for the kernel as `_until_ready` does."""
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            await self._until_ready()
        except Exception:
            await self._async_cleanup_kernel()
            raise
        self.kc.allow_stdin = False
        return self.kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    async def _until_ready(self, interval: float = 0.25) -> None:
        """Ask for the kernel's info until the end of an answer comes through the output channel
        (then the kernel is up and both channels are connected). jupyter_client's own wait then
        listens for 0.2 s more, for nothing: a fifth of a second per kernel."""
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            asked = self.kc.kernel_info()
            until = min(deadline, time.monotonic() + interval)
            while (left := until - time.monotonic()) > 0:
                try:
                    msg = await self.kc.get_iopub_msg(timeout=left)
                except Exception:  # queue.Empty: ask again
                    break
                if (msg["parent_header"].get("msg_id") == asked and msg["msg_type"] == "status"
                        and msg["content"].get("execution_state") == "idle"):
                    return
            if not await self.km.is_alive():
                raise RuntimeError("it stopped before it was ready")
        raise RuntimeError(f"it was not ready within {self.startup_timeout:.0f} s")


class StudentKernel:
    """One kernel for one submission; use as a context manager."""

    def __init__(self, policy: SandboxPolicy, env: dict[str, str], startup_timeout: float = 120,
                 preload: tuple[str, ...] = ()):
        self.policy = policy
        self.env = env
        self.startup_timeout = startup_timeout
        self.preload = preload  # imported by the fork server, before the kernel exists
        self.conn_dir: Path | None = None  # where the kernel's connection file and sockets are
        self._server: forkserver.ForkServer | None = None
        self._km: AsyncKernelManager | None = None
        self._client: _CappedNotebookClient | None = None

    # ---- lifecycle ----

    def __enter__(self) -> StudentKernel:
        try:
            self.start()
        except BaseException:
            self.shutdown()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()

    def start(self) -> None:
        self.launch()
        self.connect()

    def launch(self) -> None:
        """Have the kernel forked in its sandbox (waiting only for a server still importing) and
        return: it starts on its own (its frameworks are imported already), while the grader
        does other work."""
        policy = self.policy
        server = forkserver.server_for(policy, self.env, self.preload)
        request, self.conn_dir = server.kernel_request(policy)
        self._server = server
        spec_dir = policy.scratch / "kernelspec"
        _write_kernelspec(spec_dir / "grader")
        self._km = _KernelManager(
            kernel_name="grader",
            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec_dir)]),
            transport="ipc",
            ip=str(self.conn_dir / "kernel"),
            connection_file=str(self.conn_dir / "kernel.json"),
        )
        self._km.provisioner = ForkedKernelProvisioner(server.socket, server.process.pid, request,
                                                       self.startup_timeout, kernel_spec=self._km.kernel_spec,
                                                       parent=self._km)
        self._client = _CappedNotebookClient(
            nbformat.v4.new_notebook(),
            km=self._km,
            allow_errors=True,
            # on a timeout nbclient interrupts the kernel and waits for it to settle, so none of
            # its pollers is left reading our messages afterwards
            interrupt_on_timeout=True,
            error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "cell time limit reached", "traceback": []},
            iopub_timeout=10,
            startup_timeout=int(self.startup_timeout),
            shutdown_kernel="immediate",
        )
        self._client.start_new_kernel(cwd=str(policy.scratch), env=self.env)

    def connect(self) -> None:
        """Wait until the launched kernel answers, close its connection folder, and load the
        grader's side of the protocol into it, before any student code runs (so it keeps the
        untouched builtins)."""
        self._client.start_new_kernel_client()
        sandbox.close_conn_dir(self.policy, self.conn_dir)
        self._load_wire(self.startup_timeout)

    def shutdown(self) -> None:
        if self._server is not None:
            self._stop_kernel()
            self._server.kernel_ended(self.conn_dir)
            self._server = None

    def _stop_kernel(self) -> None:
        if self._km is None:
            return
        if self._client is not None and self._client.kc is not None:
            self._client.kc.stop_channels()
            self._client.kc = None
        try:
            run_sync(self._km.shutdown_kernel)(now=True)
        except Exception:  # already dead or never fully started: nothing left to stop
            pass
        run_sync(self._km.cleanup_resources)()
        self._km = None

    @property
    def alive(self) -> bool:
        return self._km is not None and bool(run_sync(self._km.is_alive)())

    # ---- running the notebook ----

    def run_code(self, code: str, timeout: float) -> None:
        """Run grader code (seeding, shims) before the notebook; it must succeed."""
        self._request_raw(code, timeout)

    def run_notebook(self, notebook: nbformat.NotebookNode, cell_timeout: float, total_timeout: float,
                     output_limit_bytes: int) -> NotebookRun:
        """Execute every code cell in order; errors are recorded and execution goes on.

        A cell that times out is interrupted and the run goes on; if the interrupt does not stop
        it, or a cell kills the kernel, the cells after it are skipped.
        """
        assert self._client is not None
        client = self._client
        client.nb = notebook
        client.output_limit = output_limit_bytes
        started = time.monotonic()
        runs: list[CellRun] = []
        stop_reason = ""
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            if stop_reason:
                runs.append(CellRun(index, "skipped", 0.0, stop_reason))
                continue
            remaining = total_timeout - (time.monotonic() - started)
            if remaining <= 0:
                stop_reason = f"not run: the notebook's time limit of {total_timeout:.0f} s was reached"
                runs.append(CellRun(index, "skipped", 0.0, stop_reason))
                continue
            client.timeout = int(max(1, min(cell_timeout, remaining)))
            cell_started = time.monotonic()
            status, error = "ok", ""
            try:
                client.execute_cell(cell, index)
            except DeadKernelError:
                status, error = "dead", "your notebook stopped while running this cell (a crash, os._exit or the memory limit)"
                stop_reason = "not run: your notebook stopped in an earlier cell"
            except RecursionError:  # a message nested thousands deep: it cannot be read, and was dropped
                status, error = "error", "an output of this cell was nested too deeply to be read and was dropped"
                if not self._responsive():  # the cell may still run: the next one starts when it is done
                    stop_reason = "not run: an earlier cell could not be read and did not finish"
            else:
                error = _cell_error(cell)
                status = "error" if error else "ok"
                if time.monotonic() - cell_started >= client.timeout and error.startswith(("KeyboardInterrupt", TIMEOUT_ENAME)):
                    status, error = "timeout", f"the cell ran longer than its limit of {client.timeout} s"
                    if not self._responsive():
                        stop_reason = "not run: an earlier cell timed out and could not be interrupted"
                elif index not in client.completed:
                    self._reopen_output_channel()
                    status, error = "error", (f"an output of this cell was larger than {MAX_MESSAGE_BYTES // 2**20} MB "
                                              "and was dropped")
            cap_cell_outputs(cell, output_limit_bytes, client.dropped(index))
            runs.append(CellRun(index, status, round(time.monotonic() - cell_started, 3), error))
        return NotebookRun(tuple(runs), round(time.monotonic() - started, 3), self.alive, notebook)

    def _responsive(self, grace: float = 15) -> bool:
        """After an interrupt: True if the kernel answers again, else kill it (stuck for good)."""
        try:
            self._request_raw("pass", grace)
            return True
        except Exception:  # no answer after the interrupt: the kernel is stuck for good
            self.shutdown()
            return False

    # ---- the oracle protocol ----

    def call(self, name: str, *args, timeout: float = 60, **kwargs):
        """Call the notebook's function `name` on plain-data arguments; return plain data."""
        return self._serve({"kind": "call", "name": name, "args": list(args), "kwargs": kwargs}, timeout)

    def value(self, expression: str, timeout: float = 60):
        """Evaluate an expression in the notebook's namespace; return plain data."""
        return self._serve({"kind": "value", "expression": expression}, timeout)

    def functions(self, declared: str, args: tuple, kwargs: dict, timeout: float = 60) -> dict:
        """What `declared` is in the notebook ("missing", "answer" when callable, "other") and the
        names of the notebook's own functions that accept `args` and `kwargs` (see wire._functions)."""
        return self._serve({"kind": "functions", "declared": declared, "args": list(args), "kwargs": kwargs}, timeout)

    def models(self, declared: str, input_shape: tuple[int, ...], timeout: float = 300) -> dict:
        """What `declared` is, and every torch or Keras model of the notebook with its places, its
        output shape for zero inputs of `input_shape` and whether it was trained (see wire._models)."""
        return self._serve({"kind": "models", "declared": declared, "input_shape": list(input_shape)}, timeout)

    def values(self, declared: str, timeout: float = 60) -> dict:
        """What `declared` is, and the notebook's plain-data values with their places (see wire._values)."""
        return self._serve({"kind": "values", "declared": declared}, timeout)

    def predict(self, name: str, inputs, batch_size: int = 64, timeout: float = 300):
        """Outputs of the notebook's model or function `name` (or an expression such as
        `models['bn']`) on `inputs`, batch by batch; labels never go in.

        The inputs go in an order drawn afresh for every call and the outputs are put back in
        the caller's order here: the order of hidden data tells the kernel nothing."""
        inputs = np.asarray(inputs)
        order = np.random.default_rng(secrets.randbits(128)).permutation(len(inputs))
        shuffled = self._serve({"kind": "predict", "name": name, "inputs": inputs[order], "batch_size": batch_size},
                               timeout)
        outputs = np.asarray(shuffled)
        if len(outputs) != len(inputs):
            raise KernelError(f"the model returned {len(outputs)} outputs for {len(inputs)} inputs")
        restored = np.empty_like(outputs)
        restored[order] = outputs
        return restored

    def _serve(self, request: dict, timeout: float):
        code = f"{wire.KERNEL_NAMESPACE}.serve({json.dumps(wire.dumps(request))})"
        reply = self._request_raw(code, timeout)
        if reply is None or "result" not in reply:
            raise KernelError("your notebook sent no answer (it ran out of memory, its answer was over the "
                              f"{wire.MAX_REPLY_BYTES // 2**20} MB limit, or it replaced IPython's display)")
        return wire.decode(reply["result"])

    def _load_wire(self, timeout: float) -> None:
        source = Path(wire.__file__).read_text(encoding="utf-8")
        code = (
            "import types as __grader_types\n"
            f"{wire.KERNEL_NAMESPACE} = __grader_types.ModuleType({wire.KERNEL_NAMESPACE!r})\n"
            f"exec(compile({source!r}, 'grader_wire', 'exec'), {wire.KERNEL_NAMESPACE}.__dict__)\n"
            "del __grader_types\n"
        )
        self._request_raw(code, timeout)

    def _request_raw(self, code: str, timeout: float) -> dict | None:
        if self._km is None or self._client is None or self._client.kc is None:
            raise KernelError("your notebook is not running (it stopped earlier)")
        return run_sync(self._async_request)(code, timeout)

    def _reopen_output_channel(self) -> None:
        run_sync(self._async_reopen_output_channel)()

    async def _async_reopen_output_channel(self) -> None:
        """A message over the size cap makes ZeroMQ drop the connection for good: connect anew
        (what the kernel sent meanwhile is lost, which is the point), and wait until the new
        subscription hears the kernel, so that no later cell's end goes unheard."""
        kc = self._client.kc
        kc.iopub_channel.stop()
        kc._iopub_channel = None
        kc.start_channels(shell=False, iopub=True, stdin=False, hb=False, control=False)
        deadline = time.monotonic() + OUTPUT_GRACE_S
        while time.monotonic() < deadline:
            probe = kc.kernel_info()
            try:
                while True:
                    msg = await kc.get_iopub_msg(timeout=0.5)
                    if msg["parent_header"].get("msg_id") == probe:
                        return
            except Exception:  # queue.Empty: not subscribed yet; ask again
                continue

    async def _async_request(self, code: str, timeout: float) -> dict | None:
        kc = self._client.kc
        msg_id = kc.execute(code, silent=False, store_history=False, allow_stdin=False, stop_on_error=False)
        deadline = time.monotonic() + timeout
        replied_at = None  # when the kernel said on its shell channel that it was done
        reply, error = None, None
        interrupted = False
        while True:
            now = time.monotonic()
            if now >= deadline:
                if interrupted:
                    break
                # stopped, so that the grader's next question does not wait behind it
                await self._km.interrupt_kernel()
                interrupted, deadline = True, now + OUTPUT_GRACE_S
                continue
            if replied_at is not None and now - replied_at > OUTPUT_GRACE_S:
                await self._async_reopen_output_channel()
                raise KernelError(f"your notebook's answer was larger than {MAX_MESSAGE_BYTES // 2**20} MB and was dropped")
            try:
                msg = await kc.get_iopub_msg(timeout=min(deadline - now, 1.0))
            except Exception:  # queue.Empty: nothing yet; has the kernel finished, is it still there?
                if replied_at is None and await self._replied(msg_id):
                    replied_at = time.monotonic()
                if not await self._km.is_alive():
                    raise KernelDied("your notebook stopped while answering (a crash, os._exit or the memory limit)") from None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "display_data" and wire.REPLY_MIME in content.get("data", {}):
                reply = content["data"][wire.REPLY_MIME]
            elif kind == "error":
                error = student_error(content["ename"], content["evalue"], "\n".join(content.get("traceback", [])))
            elif kind == "status" and content.get("execution_state") == "idle":
                break
        if interrupted:
            raise CallTimeout(f"your code gave no answer within {timeout:.0f} s and was stopped")
        if error is not None:
            raise error
        return reply

    async def _replied(self, msg_id: str) -> bool:
        """Whether the shell channel holds the kernel's reply to `msg_id` (others are dropped:
        nbclient matches its own replies by id and skips the rest too)."""
        while True:
            try:
                msg = await self._client.kc.get_shell_msg(timeout=0)
            except Exception:  # queue.Empty
                return False
            if msg["parent_header"].get("msg_id") == msg_id:
                return True


def _cell_error(cell: nbformat.NotebookNode) -> str:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return plain(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}").strip()
    return ""


def _write_kernelspec(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    # the command a cold start would run; never run here (ForkedKernelProvisioner forks the kernel)
    argv = ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "grader", "language": "python", "interrupt_mode": "message"}
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
