"""Runs a file reader in a child process with a memory ceiling and a time limit, so that no file, however hostile,
can take down the process that asked (a Celery worker, or the web server itself in the embedded demo).

The child comes from a fork server started once with the readers' libraries loaded (a fork costs milliseconds, and
forking a clean single-threaded server is safe where forking a threaded web server is not). It caps its own address
space (RLIMIT_AS) at what it already maps plus the budget: a reader that asks for more gets a MemoryError, or, in the
Rust code of calamine, aborts; either way only the child dies.
"""

import os
import resource
import signal
import tempfile

import billiard

# billiard (Celery's multiprocessing) rather than the standard library's: a Celery pool process is itself a daemon,
# and the standard library refuses children to daemons. Ours cannot outlive the caller: it is joined or killed
# before run_bounded returns, and caps its own CPU time.
_context = billiard.get_context("forkserver")
_context.set_forkserver_preload(["uploads.reading", "openpyxl", "pandas"])


RUST_OUT_OF_MEMORY = b"memory allocation of "  # how Rust code (calamine) says it before it aborts


class OutOfMemory(Exception):
    """The reader needed more memory than its ceiling allows."""


class ReaderCrashed(Exception):
    """The child ended without an answer: killed, timed out, or crashed for a reason other than memory."""


def start_fork_server() -> None:
    """Start the fork server now (a worker process calls this as it starts), not when the first upload arrives."""
    from billiard import forkserver

    forkserver.ensure_running()


def _mapped_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _child(connection, function, args, memory_bytes, cpu_seconds, stderr_path, niceness):
    try:
        # The fork server started before its caller lowered its own priority (a Celery pool process yields the CPU
        # to the web server): the reader yields as much as the process that asked.
        os.nice(max(0, niceness - os.nice(0)))
        # What the child says on its way out (Rust's "memory allocation of … failed") goes where the parent reads it.
        with open(stderr_path, "wb") as stderr:
            os.dup2(stderr.fileno(), 2)
        resource.setrlimit(resource.RLIMIT_AS, (_mapped_bytes() + memory_bytes, resource.RLIM_INFINITY))
        # Also a limit of its own on CPU time: should the asking process die, the child still ends.
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        answer = ("ok", function(*args))
    except MemoryError:
        answer = ("memory", None)
    except Exception as error:  # the reader's own refusal (UnreadableFile) or a bug: the caller decides
        answer = ("error", error)
    try:
        connection.send(answer)
    except MemoryError:
        connection.send(("memory", None))
    connection.close()


def run_bounded(function, *args, memory_bytes: int, timeout: float):
    """function(*args) in a child process with at most `memory_bytes` more address space and `timeout` seconds.

    Returns its result or raises the exception it raised; raises OutOfMemory when it ran out of memory (a MemoryError,
    or Rust code aborting on a failed allocation) and ReaderCrashed when it died otherwise or took too long. The
    function and its arguments and result must pickle."""
    receiver, sender = _context.Pipe(duplex=False)
    handle, stderr_path = tempfile.mkstemp(prefix="bounded-", suffix=".log")
    os.close(handle)
    process = _context.Process(
        target=_child,
        args=(sender, function, args, memory_bytes, int(timeout) + 1, stderr_path, os.nice(0)),
        daemon=True,
    )
    try:
        process.start()
        sender.close()
        try:
            answer = receiver.recv() if receiver.poll(timeout) else ("timeout", None)
        except EOFError:  # the child died before answering
            answer = ("died", None)
        receiver.close()
        process.join(5)
        if process.is_alive():
            os.kill(process.pid, signal.SIGKILL)
            process.join()
        with open(stderr_path, "rb") as stderr:
            last_words = stderr.read(8192)  # the first words say why; a backtrace may follow
    finally:
        os.unlink(stderr_path)
    kind, value = answer
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    if kind == "memory" or (kind == "died" and RUST_OUT_OF_MEMORY in last_words):
        raise OutOfMemory(f"exceeded {memory_bytes // (1024 * 1024)} MB")
    raise ReaderCrashed(f"{kind}: exit code {process.exitcode}: {last_words[:2000].decode(errors='replace')}")
