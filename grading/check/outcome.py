"""What the check found of one task: its outcome, from the judge to a report.

The judge builds it, every point judged (points.judge_task) or, when the
child did not finish, every point it could not judge failed for that
reason; the checking process stands one in for a judge that failed, and
the grader one for a submission it could not check (Outcome.all_failed).
It travels as JSON, in the judge's result.json, the report of make check
and the gradebook's records: to_json is the one place that writes that
shape (docs/graders.md, "The JSON report"), and the readers of those files
read it as the dict it is.
"""
import dataclasses
import typing

# A task whose child reported: its points were judged.
CHECKED = 'checked'
# What a point that could not be judged expected.
FINISHED = 'a finished check'


@dataclasses.dataclass
class Failure:
    """One failed point: what was expected of it and what was found."""
    point: str                # what failed, with the point's case
    expected: str
    found: str
    test: str                 # the point's name, as Outcome.sources has it
    source: str               # 'text' or 'graders'
    id: typing.Optional[str] = None     # the point's id in the text's list
    hint: typing.Optional[str] = None   # a cause public solutions share

    def to_json(self):
        """Return the failure as a report holds it (no empty id or hint)."""
        return {name: value for name, value in dataclasses.asdict(
            self).items() if value is not None}


@dataclasses.dataclass
class Outcome:
    """One task's outcome: every point's source, and the failed ones."""
    sources: typing.Dict[str, str]       # every point, in order: its source
    failed: typing.List[Failure]
    status: str = CHECKED                # else why the child did not report
    reason: typing.Optional[str] = None  # that, in words
    output: typing.List[str] = dataclasses.field(default_factory=list)
    output_bytes: int = 0                # what the child printed, in all
    seconds: float = 0.0
    sandbox: typing.Optional[str] = None
    seed: typing.Optional[int] = None

    @property
    def passed(self):
        """How many points passed: each point fails at most once."""
        return len(self.sources) - len(self.failed)

    @classmethod
    def all_failed(cls, points, status, reason, expected=FINISHED):
        """Return the outcome of a task all of whose points fail for reason.

        points are {name: source} (a list of names counts as the text's).
        """
        sources = points if isinstance(points, dict) else dict.fromkeys(
            points, 'text')
        return cls(dict(sources), [
            Failure(point, expected, reason, point, source)
            for point, source in sources.items()], status, reason)

    def to_json(self):
        """Return the outcome as result.json, reports and records hold it."""
        return {'passed': self.passed,
                'failed': [failure.to_json() for failure in self.failed],
                'points': list(self.sources), 'sources': dict(self.sources),
                'status': self.status, 'reason': self.reason,
                'output': list(self.output),
                'output_bytes': self.output_bytes, 'seconds': self.seconds,
                'sandbox': self.sandbox, 'seed': self.seed}
