"""Progress on the console: a live bar on a terminal, plain lines where output is a log (CI, a pipe).

rich rather than tqdm: its columns measure Chinese characters as two cells wide, so the bar stays on one line beside
a city's name, and the dev tools already bring it in. A log gets a plain line every tenth of the work instead of
carriage-return redraws.
"""

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

PLAIN_STEPS = 10  # a plain line every tenth of the work


class ProgressReport:
    """Call with (done, total, label) after each piece of work; use as a context manager."""

    def __init__(self, stream, title: str):
        self.stream, self.title = stream, title
        self.live = Console(file=stream).is_terminal  # isatty, unless FORCE_COLOR says otherwise
        self.started = time.perf_counter()
        self.shown = 0
        self.progress = self.task = None

    def __enter__(self):
        if self.live:
            columns = (
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[label]}"),
            )
            self.progress = Progress(*columns, console=Console(file=self.stream), transient=False)
            self.progress.start()
        return self

    def __call__(self, done: int, total: int, label: str = "") -> None:
        if self.progress is not None:
            if self.task is None:
                self.task = self.progress.add_task(self.title, total=total, label="")
            self.progress.update(self.task, completed=done, label=label)
            return
        step = done * PLAIN_STEPS // total
        if step > self.shown or done == total:
            self.shown = step
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"  {self.title} {done}/{total} ({done * 100 // total}%)，{elapsed:.1f} 秒 s  {label}\n")
            self.stream.flush()

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()
