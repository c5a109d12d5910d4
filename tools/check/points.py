"""A pytest plugin that turns the text's points about one task into a result.

Every test marked `text` is a point about one task file: the one its
marker's `task` names, or its `name` parameter. The plugin keeps only the
points of the task asked for, and records for each failed point what the
text expects and what was found: a TextMismatch carries both; any other
failure or crash (a missing file, an import error) is found as its
exception's message.

It also tells the parent process how far it got, through a progress file
of JSON lines: the points it collected, then the phase it is in ("importing
1-sparse.py", "checking <point>"), so that a check that dies or hangs can
be reported with what it was doing.
"""
import json

from tools.task import TASK_FILES

# Enough of an error's message to act on, not a whole log.
MESSAGE_LIMIT = 4000


def task_of(item):
    """Return the task file a text point is about."""
    marker = item.get_closest_marker('text')
    task = marker.kwargs.get('task') if marker else None
    if task is None and hasattr(item, 'callspec'):
        task = item.callspec.params.get('name')
    if task not in TASK_FILES:
        raise ValueError('{} names no task file (mark it text(task=...))'
                         .format(item.nodeid))
    return task


def with_case(point, item):
    """Return point followed by the test's parameters, if it has any."""
    if hasattr(item, 'callspec'):
        return '{} [{}]'.format(point, item.callspec.id)
    return point


def point_of(item):
    """Return a readable name of a test: its function and parameters."""
    return with_case(
        item.originalname.replace('test_', '', 1).replace('_', ' '), item)


def failure_of(item, excinfo):
    """Return the failed point's {point, expected, found, test}.

    point says what failed; test is the point as collected, the name the
    task's list of points has for it.
    """
    error = excinfo.value
    if hasattr(error, 'point'):   # a TextMismatch
        return {'point': with_case(error.point, item),
                'expected': repr(error.expected),
                'found': repr(error.found), 'test': point_of(item)}
    message = excinfo.exconly().strip()
    if len(message) > MESSAGE_LIMIT:
        message = message[:MESSAGE_LIMIT] + ' [...]'
    return {'point': point_of(item), 'expected': 'no error',
            'found': message, 'test': point_of(item)}


class Progress:
    """Appends what the check is doing to a file, one JSON object a line."""

    def __init__(self, path):
        self.path = path

    def write(self, **entry):
        if self.path:
            with open(self.path, 'a') as stream:
                stream.write(json.dumps(entry) + '\n')


class TaskPoints:
    """Collects one task's text points as pytest runs them."""

    def __init__(self, task, progress=None, before_first_point=None):
        self.task = task
        self.progress = progress or Progress(None)
        self.before_first_point = before_first_point
        self.result = {'passed': 0, 'failed': [], 'points': []}
        self._points = {}
        self._failures = {}

    def pytest_collection_modifyitems(self, config, items):
        kept = [item for item in items if item.get_closest_marker('text')
                and task_of(item) == self.task]
        config.hook.pytest_deselected(
            items=[item for item in items if item not in kept])
        items[:] = kept
        self._points = {item.nodeid: point_of(item) for item in kept}
        self.result['points'] = list(self._points.values())
        self.progress.write(points=self.result['points'])

    def pytest_collection_finish(self, session):
        if self.before_first_point:
            self.before_first_point()

    def pytest_runtest_logstart(self, nodeid, location):
        self.progress.write(phase='checking ' + self._points[nodeid])

    def pytest_runtest_makereport(self, item, call):
        if call.excinfo is not None and item.nodeid not in self._failures:
            self._failures[item.nodeid] = failure_of(item, call.excinfo)

    def pytest_runtest_logfinish(self, nodeid, location):
        if nodeid in self._failures:
            self.result['failed'].append(self._failures[nodeid])
        else:
            self.result['passed'] += 1
