"""The Ray backend on a Ray cluster started in this machine: a head without CPUs and a worker node
of two, so that every submission is graded on a node the test can take away."""

import nbformat
import psutil
import pytest

from graders.batch import BatchOptions, grade_batch
from graders.cli import main
from graders.gradebook import Gradebook
from graders.ray_backend import ClusterError, TaskPlan, claim_slot, plan_tasks
from graders.submission import find_submissions
from tests.engine.toy import RIGHT_ADD, RIGHT_SCALE, TOY, write_notebook

cluster_utils = pytest.importorskip("ray.cluster_utils", reason="the Ray backend needs the [ray] extra")

NODE = {"num_cpus": 2, "object_store_memory": 100 * 2**20}
SCORES = {"alice": 5, "bob": 3, "carol": 2, "dave": 0}  # right, add wrong, scale's cell fails, not JSON


@pytest.fixture(scope="module")
def cluster():
    with pytest.MonkeyPatch.context() as env:
        # Ray's head reports usage to its makers unless told not to (and then reports that once): neither
        env.setenv("RAY_USAGE_STATS_ENABLED", "0")
        env.setenv("RAY_USAGE_STATS_REPORT_URL", "http://127.0.0.1:9/")
        cluster = cluster_utils.Cluster(initialize_head=True, head_node_args={
            "num_cpus": 0, "include_dashboard": False, "object_store_memory": 100 * 2**20})
        cluster.add_node(**NODE)
        cluster.wait_for_nodes()
        yield cluster
        cluster.shutdown()


def on_ray(cluster, **options) -> BatchOptions:
    return BatchOptions(backend="ray", address=cluster.address, **options)


class Interrupted(Exception):
    pass


def outcomes(records) -> dict:
    """What a record says about the student's work (not when or how fast)."""
    return {r.student: (r.status, r.reason, r.auto_earned, [(t.name, t.outcome, t.message) for t in r.tests],
                        [(c.status, c.error) for c in r.cells]) for r in records}


def test_results_cache_and_resume_as_locally(cluster, toy, toy_submissions, tmp_path, monkeypatch):
    weights = tmp_path / "weights"  # the driver's: the nodes were started without it
    weights.mkdir()
    monkeypatch.setenv("GRADER_WEIGHTS", str(weights))
    write_notebook(toy_submissions, "erin.ipynb", RIGHT_ADD, RIGHT_SCALE, "import os\nprint(os.environ['GRADER_WEIGHTS'])")
    paths = find_submissions(toy_submissions)
    out = tmp_path / "ray"

    def stop_after_first(record, cached):
        raise Interrupted  # as if the batch were stopped once the first result was committed

    with pytest.raises(Interrupted):
        grade_batch(toy, paths, out, on_ray(cluster, workers=2), stop_after_first)
    with Gradebook(out / "gradebook.sqlite") as book:
        assert len(book.records("toy")) == 1

    seen = []
    records = grade_batch(toy, paths, out, on_ray(cluster, workers=2), lambda r, cached: seen.append(cached))
    assert sorted(seen) == [False] * 4 + [True]  # the committed one is not graded again
    assert {r.student: r.auto_earned for r in records} == {**SCORES, "erin": 5}
    local = grade_batch(toy, paths, tmp_path / "local", BatchOptions(workers=2))
    assert outcomes(records) == outcomes(local)
    for record in records:
        assert (out / "records" / f"{record.student}.json").is_file()
        if record.student != "dave":  # a notebook that could not be read was never run
            executed = nbformat.read(out / record.executed, as_version=4)
            assert executed.cells[0].source == RIGHT_ADD or record.student == "bob"
            assert "passed" in (out / "logs" / f"{record.student}.log").read_text()
    erin = nbformat.read(out / "executed" / "erin.ipynb", as_version=4)
    assert erin.cells[2].outputs[0]["text"].strip() == str(weights)

    seen = []
    again = grade_batch(toy, paths, out, on_ray(cluster, workers=2), lambda r, cached: seen.append(cached))
    assert seen == [True] * 5 and outcomes(again) == outcomes(records)


def grading_processes(node) -> list[psutil.Process]:
    """The worker processes grading submissions on a node (below its raylet)."""
    raylet = psutil.Process(node.all_processes["raylet"][0].process.pid)
    return [p for p in raylet.children(recursive=True) if "graders.worker" in " ".join(p.cmdline())]


def test_a_node_lost_mid_batch_has_its_submissions_graded_elsewhere(cluster, toy, tmp_path):
    """The node goes once the first result is in, while the slow submission is still being graded
    there; Ray runs that task again on a new node, and every submission is graded once."""
    folder = tmp_path / "subs"
    folder.mkdir()
    write_notebook(folder, "a1-quick.ipynb", RIGHT_ADD, RIGHT_SCALE)
    write_notebook(folder, "a2-slow.ipynb", "import time\ntime.sleep(4)", RIGHT_ADD, RIGHT_SCALE)
    for name in ("b", "c", "d", "e"):
        write_notebook(folder, f"{name}.ipynb", RIGHT_ADD, RIGHT_SCALE)
    node = next(n for n in cluster.worker_nodes)
    busy_when_lost, graded = [], []

    def take_the_node_away(record, cached):
        graded.append(record.submission)
        if len(graded) == 1:
            busy_when_lost.extend(grading_processes(node))
            cluster.remove_node(node)
            cluster.add_node(**NODE)

    records = grade_batch(toy, find_submissions(folder), tmp_path / "out", on_ray(cluster, workers=2),
                          take_the_node_away)
    assert busy_when_lost, "the node was not grading anything when it was taken away"
    assert sorted(graded) == sorted(p.name for p in find_submissions(folder))
    assert [(r.status, r.auto_earned) for r in records] == [("graded", 5)] * 6
    with Gradebook(tmp_path / "out" / "gradebook.sqlite") as book:
        assert sorted(r.submission for r in book.records("toy")) == sorted(graded)


def test_cli_grades_on_the_cluster(cluster, toy_submissions, tmp_path, capsys):
    out = tmp_path / "reports"
    args = [str(TOY), "--submissions", str(toy_submissions), "--out", str(out)]
    assert main([*args, "--backend", "ray", "--address", cluster.address, "-j", "2"]) == 0
    printed = capsys.readouterr()
    assert "4 submissions in" in printed.err and "toy: automatic scores" in printed.out
    assert (out / "grades.csv").is_file() and (out / "alice.en.html").is_file()
    assert main([*args, "--address", cluster.address]) == 2
    assert "--address needs --backend ray" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*args, "--backend", "ray", "--address", "nowhere"])
    assert "ray://HOST:PORT" in capsys.readouterr().err


def test_a_node_with_another_copy_of_the_grader_stops_the_batch(cluster, toy, toy_submissions, tmp_path, monkeypatch):
    # as if the driver's checkout had changed and the nodes' had not
    monkeypatch.setattr("graders.ray_backend.grading_inputs_hash", lambda assignment: "another version")
    with pytest.raises(ClusterError, match=r"has another version of the grader or of .*every node needs the same"):
        grade_batch(toy, find_submissions(toy_submissions), tmp_path, on_ray(cluster))
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        assert not [r for r in book.records("toy") if r.status == "graded"]


def test_without_ray_the_backend_says_how_to_install_it(toy, toy_submissions, tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "ray", None)
    with pytest.raises(ClusterError, match=r"pip install 'dl-homework-grader\[ray\]'"):
        grade_batch(toy, find_submissions(toy_submissions), tmp_path, BatchOptions(backend="ray"))


def node(cpus: int, gpus: int = 0, alive: bool = True) -> dict:
    return {"Alive": alive, "Resources": {"CPU": float(cpus), **({"GPU": float(gpus)} if gpus else {})}}


def test_task_plan_follows_the_local_rules_and_fits_a_node():
    cluster = [node(8, gpus=2), node(4), node(64, alive=False)]
    assert plan_tasks(0, cluster, wants_gpu=True) == TaskPlan(tasks=2, cpus=6, gpus=1)  # one per GPU
    assert plan_tasks(0, cluster, wants_gpu=False) == TaskPlan(tasks=6, cpus=2, gpus=0)  # one per two cores
    assert plan_tasks(1, [node(4), node(4)], wants_gpu=False) == TaskPlan(tasks=1, cpus=4, gpus=0)  # not 8
    assert plan_tasks(0, [node(4), node(2, gpus=1)], wants_gpu=True) == TaskPlan(tasks=1, cpus=2, gpus=1)
    with pytest.raises(ClusterError, match="no CPUs"):
        plan_tasks(0, [node(0), node(16, alive=False)], wants_gpu=False)


def test_concurrent_tasks_on_a_node_hold_distinct_slots():
    with claim_slot() as first, claim_slot() as second:
        assert first != second
    with claim_slot() as again:
        assert again == first  # freed


def test_a_warm_worker_serves_its_batch_and_stops_when_idle_or_another_batch_comes(toy, monkeypatch):
    """In a Ray process, the tasks of one batch share one worker (and its slot and folder); a task
    of another batch, or `IDLE_STOP_S` without a task, stops it and frees all it held."""
    from graders import ray_backend
    from graders.cache import grading_inputs_hash

    def job(**options) -> ray_backend.NodeJob:
        return ray_backend.NodeJob(str(toy.root), grading_inputs_hash(toy), "s.ipynb", b"", "", BatchOptions(**options),
                                   1, "log")

    with ray_backend._warm_worker(toy, job(), "") as first:
        pass
    with ray_backend._warm_worker(toy, job(), "") as again:
        assert again is first and first.folder.is_dir()
    with ray_backend._warm_worker(toy, job(mode="check"), "") as other:
        assert other is not first and not first.folder.exists()
        assert other.worker.slot == first.worker.slot  # the first one's slot was freed for it
    monkeypatch.setattr(ray_backend, "IDLE_STOP_S", 0.05)
    with ray_backend._warm_worker(toy, job(mode="check"), "") as idle:
        assert idle is other
    ray_backend._idle_timer.join(5)
    assert ray_backend._warm is None and not idle.folder.exists()
    with claim_slot() as slot:
        assert slot == idle.worker.slot  # its slot is free again
