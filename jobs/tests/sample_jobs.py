"""Jobs the tests enqueue: module-level, as every job must be, so that a worker process finds them."""

from pathlib import Path

from jobs.queue import job


@job(attempts=3, takes_context=True)
def flaky(context, succeed_on_attempt: int) -> int:
    """Fails until its `succeed_on_attempt`-th run."""
    if context.attempt < succeed_on_attempt:
        raise RuntimeError(f"attempt {context.attempt} failed")
    return context.attempt


@job()
def write_file(path: str, text: str) -> str:
    Path(path).write_text(text, encoding="utf-8")
    return text
