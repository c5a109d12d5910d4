"""A pytest plugin that turns the text's points into a report per task.

Every test marked `text` is a point about one task file: the one its
marker's `task` names, or its `name` parameter. The plugin keeps only the
points of the tasks asked for, and records for each failed point what the
text expects and what was found: a TextMismatch carries both; any other
failure or crash (a missing file, an import error) is found as its
exception's first line.
"""
import json

from tools.task import TASK_FILES


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


class Report:
    """Collects the text's points, task by task, as pytest runs them."""

    def __init__(self, tasks=TASK_FILES, progress=None):
        self.tasks = list(tasks)
        self.results = {task: {'passed': 0, 'failed': []}
                        for task in self.tasks}
        self.progress = progress
        self._task = {}
        self._failures = {}
        self._done = 0

    def pytest_collection_modifyitems(self, config, items):
        kept, dropped = [], []
        for item in items:
            if item.get_closest_marker('text'):
                task = task_of(item)
                if task in self.tasks:
                    self._task[item.nodeid] = task
                    kept.append(item)
                    continue
            dropped.append(item)
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept

    def pytest_runtest_makereport(self, item, call):
        if call.excinfo is not None and item.nodeid not in self._failures:
            error = call.excinfo.value
            if hasattr(error, 'point'):   # a TextMismatch
                failure = {'point': with_case(error.point, item),
                           'expected': repr(error.expected),
                           'found': repr(error.found)}
            else:
                failure = {'point': point_of(item),
                           'expected': 'no error',
                           'found': call.excinfo.exconly().strip()
                           .splitlines()[0][:300]}
            self._failures[item.nodeid] = failure

    def pytest_runtest_logfinish(self, nodeid, location):
        task = self._task[nodeid]
        if nodeid in self._failures:
            self.results[task]['failed'].append(self._failures[nodeid])
        else:
            self.results[task]['passed'] += 1
        self._done += 1
        if self.progress:
            self.progress(self._done, len(self._task))

    def all_passed(self):
        """Tell whether every point of every task passed."""
        return all(not result['failed'] and result['passed']
                   for result in self.results.values())

    def text(self):
        """Return the report as lines a student can act on."""
        lines = []
        for task, result in self.results.items():
            total = result['passed'] + len(result['failed'])
            lines.append('{}: {} of {} points passed'.format(
                task, result['passed'], total))
            # A missing file or an import error fails many points alike:
            # one line for all the points that found the same error.
            errors = {}
            for failure in result['failed']:
                if failure['expected'] == 'no error':
                    errors.setdefault(failure['found'], []).append(
                        failure['point'])
                else:
                    lines.append('  FAILED {point}: expected {expected}, '
                                 'found {found}'.format(**failure))
            for found, points in errors.items():
                lines.append('  FAILED {}{}: found {}'.format(
                    points[0], ' and {} more points'.format(len(points) - 1)
                    if len(points) > 1 else '', found))
        return '\n'.join(lines)

    def write_json(self, path):
        """Write the report as JSON: {task: {passed, failed: [...]}}."""
        with open(path, 'w') as stream:
            json.dump(self.results, stream, indent=1)
            stream.write('\n')
