"""make check's report: per task, the points passed and each failed one.

A task's result is {passed, failed, points, sources, status, reason,
output, output_bytes, seconds, sandbox, seed}: sources maps each point to
"text" (the assignment asks it) or "graders" (a convention the graders'
known checker reads by name); failed lists {point, expected, found, test,
source}, with the point's stable id where a judge named it (test names the
point as listed in points) and, for causes that public solutions share, a
hint; status is 'checked', or 'timed out', 'killed', 'exited early', 'out
of memory', 'over its limits', 'unreadable' or 'refused' with the reason
in words, and output holds the last lines the check printed; sandbox names
where the solution ran, seed the judge's inputs.
"""
import json

from grading.check.outcome import CHECKED

# How much of an error's message the text shows; the JSON keeps more.
MESSAGE_LINES = 8


def message_lines(first, message):
    """Return first followed by the message's first lines, indented."""
    lines = [line for line in message.splitlines() if line.strip()] or ['']
    shown = lines[:MESSAGE_LINES]
    if len(lines) > MESSAGE_LINES:
        shown.append('[... {} more lines in the JSON report]'.format(
            len(lines) - MESSAGE_LINES))
    return [first + shown[0]] + ['      ' + line for line in shown[1:]]


def task_lines(task, result):
    """Return the lines of one task's report."""
    total = result['passed'] + len(result['failed'])
    heading = '{}: {} of {} points passed'.format(task, result['passed'],
                                                  total)
    if result.get('status', CHECKED) != CHECKED:
        lines = ['{}: {}'.format(heading, result['reason'])]
        hint = result['failed'][0].get('hint') if result['failed'] else None
        if hint:
            lines.append('  hint: ' + hint)
        return lines + output_lines(result)
    lines = [heading]
    conventions = [failure for failure in result['failed']
                   if failure.get('source') == 'graders']
    # A missing file or an import error fails many points alike: one entry
    # for all the points that found the same error.
    errors = {}
    for failure in result['failed']:
        if failure in conventions:
            continue
        if failure['expected'] == 'no error':
            errors.setdefault(failure['found'], []).append(failure)
        else:
            lines.append('  FAILED {point}: expected {expected}, '
                         'found {found}'.format(**failure))
            if failure.get('hint'):
                lines.append('    hint: ' + failure['hint'])
    for found, failures in errors.items():
        more = len(failures) - 1
        lines += message_lines('  FAILED {}{}: found '.format(
            failures[0]['point'],
            ' and {} more points'.format(more) if more else ''), found)
        if failures[0].get('hint'):
            lines.append('    hint: ' + failures[0]['hint'])
    if conventions:
        lines.append("  the graders' checker also reads these names, which "
                     'the text does not ask (docs/students.md, '
                     '"Conventions"):')
        lines += ['    FAILED {point}: expected {expected}, found {found}'
                  .format(**failure) for failure in conventions]
    return lines


def output_lines(result):
    """Return the last lines the task's check printed, if it printed any.

    Shown for a check that did not finish: the checks that finished say
    what they found in their points.
    """
    if not result.get('output'):
        return []
    return (['  its last lines of output ({} bytes in all):'.format(
        result['output_bytes'])]
        + ['    | ' + line for line in result['output']])


def text(results):
    """Return the report of one line's check, {task: result}, as text.

    It starts with the sandbox the tasks ran in.
    """
    sandboxes = sorted({result['sandbox'] for result in results.values()
                        if result.get('sandbox')})
    heading = ['sandbox: {}'.format(', '.join(sandboxes))] if sandboxes \
        else []
    return '\n'.join(heading + [line for task, result in results.items()
                                for line in task_lines(task, result)])


def all_passed(results):
    """Tell whether every point of every task passed."""
    return all(not result['failed'] and result['passed']
               for result in results.values())


def write_json(path, report):
    """Write the report as JSON to path."""
    with open(path, 'w') as stream:
        json.dump(report, stream, indent=1)
        stream.write('\n')
