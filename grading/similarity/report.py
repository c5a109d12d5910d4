"""similarity.csv and the HTML report of a class's comparison.

The report is one offline page: how the rule reads, the flagged pairs
first and then the closest unflagged ones, and for each flagged pair its
task files side by side, the shared passages marked, rare ones (the
evidence) apart from common ones (what many in the class wrote too), and
the boilerplate greyed. The code is shown in the canonical form the engine
read (no comments, docstrings or original layout).
"""
import csv
import html

import numpy as np

from grading.similarity import compare, engine, rule

CSV_COLUMNS = ['submission', 'other', 'task', 'score', 'matched', 'flagged',
               'why']
CLOSEST_SHOWN = 50
NO_FILES = 'no task file found: not compared'


def owner_label(entry):
    return ('known: ' + entry.label) if entry.known else entry.label


def ranked_pairs(found):
    """Return [(owners, Judgement)], flagged first, then by z."""
    return sorted(found.judged.items(), key=lambda item: (
        not item[1].flagged, -(item[1].z if item[1].z is not None else -1e9),
        item[0]))


def rare_share(scored):
    """Say what a task score is, in words."""
    return ('{:.2f} of the rare code shared ({:.2f} of all the code, common '
            'passages included)'.format(scored.score, scored.raw))


def write_csv(path, found):
    """Write similarity.csv: a row per pair and task, and per problem."""
    with open(path, 'w', newline='') as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for owners, (flagged, z, why) in ranked_pairs(found):
            for task, (a, b, scored) in sorted(
                    found.task_scores[owners].items()):
                writer.writerow([
                    owner_label(a), owner_label(b), task,
                    '{:.4f}'.format(scored.score),
                    '{:.4f}'.format(scored.share_b),
                    'yes' if flagged else 'no',
                    '{}{}: {}; {}'.format('' if flagged else 'not flagged: ',
                                          task, rare_share(scored), why)])
        for entry in found.entries:
            if entry.problem:
                writer.writerow([owner_label(entry), '', entry.task, '', '',
                                 'no', entry.problem])
        for owner in found.without_files:
            writer.writerow([owner, '', '', '', '', 'no', NO_FILES])


def highlighted(code, marks):
    """Return code as HTML, each (start, end, class[, title]) span marked.

    Where spans overlap, the first given wins.
    """
    classes = [''] * (len(code) + 1)
    for start, end, *name in marks:
        for i in range(max(0, start), min(len(code), end)):
            classes[i] = classes[i] or tuple(name)
    out, current = [], ''
    for i, char in enumerate(code):
        if classes[i] != current:
            if current:
                out.append('</span>')
            if classes[i]:
                out.append('<span class="{}"{}>'.format(
                    classes[i][0], ''.join(
                        ' title="{}"'.format(html.escape(title))
                        for title in classes[i][1:])))
            current = classes[i]
        out.append(html.escape(char))
    if current:
        out.append('</span>')
    return ''.join(out)


def spans(slices, name):
    slices = np.asarray(slices).reshape(2, -1)
    return [(int(start), int(end), name) for start, end in slices.T]


class Boilerplate:
    """Where the boilerplate lies in each file shown, found once a file."""

    def __init__(self, folders):
        self.print_ = engine.fingerprint('\n'.join(
            compare.boilerplate_sources(folders)))
        self.found = {}

    def spans(self, entry):
        if entry.digest not in self.found:
            self.found[entry.digest] = spans(engine.compare(
                engine.fingerprint(entry.code), self.print_).slices_a,
                'boilerplate')
        return self.found[entry.digest]


def code_position(print_, positions):
    """Map positions in the engine's filtered text to the code's."""
    offsets = print_.offsets
    if not len(offsets):
        return positions
    return positions + offsets[:, 1][np.clip(
        np.searchsorted(offsets[:, 0], positions), 0, len(offsets) - 1)]


def shared_spans(entry, other, common):
    """Return the spans of entry's code that other has, rare ones first.

    Each says how many of the class hold it and whether it is evidence.
    """
    print_ = entry.print_
    in_other, _ = engine.matched(print_, other.print_)
    starts = print_.starts[in_other]
    holders = entry.holders[in_other]
    weights = common.weights(holders - 2)
    found = []
    for start, end, held, weight in sorted(zip(
            code_position(print_, starts),
            code_position(print_, starts + engine.K), holders, weights),
            key=lambda span: -span[3]):
        said = 'found in {} of {} submissions'.format(held, common.population)
        if weight >= 0.5:
            found.append((int(start), int(end), 'match rare',
                          said + ': rare, evidence'))
        else:
            found.append((int(start), int(end), 'match common', said + (
                ': common, not evidence' if weight == 0 else
                ': common, counts {:.0%}'.format(weight))))
    return found


def side_by_side(a, b, boilerplate, common):
    """Return the HTML of two task files with their shared code marked."""
    sides = []
    for entry, other in ((a, b), (b, a)):
        sides.append('<div class="side"><h4>{}</h4><pre>{}</pre></div>'.format(
            html.escape(owner_label(entry)), highlighted(
                entry.code, boilerplate.spans(entry)
                + shared_spans(entry, other, common))))
    return '<div class="pair-files">{}</div>'.format(''.join(sides))


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Similarity: {title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; }}
tr.flagged td {{ background: #fde2e1; }}
.pair-files {{ display: flex; gap: 1rem; }}
.side {{ flex: 1; min-width: 0; }}
pre {{ background: #f7f7f7; padding: .5rem; overflow-x: auto;
       font-size: 12px; }}
.match.rare {{ background: #ffe08a; }}
.match.common {{ background: #dbe9f7; }}
.boilerplate {{ color: #999; background: #eee; }}
.note {{ max-width: 60rem; }}
</style></head><body>
<h1>Similarity: {title}</h1>
<p class="note"><strong>Evidence for a person to read, not a verdict.</strong>
It never changes a grade. {rule}</p>
<p>Measured against {reference}. {summary}
Code is shown as the engine read it: canonical, without comments or
docstrings. Of the passages the other side has too,
<span class="match rare">yellow</span> ones are rare in the class: the
evidence; <span class="match common">blue</span> ones are common, written
by many (hover over one to see by how many), and count for little or
nothing. <span class="boilerplate">Grey</span> ones are boilerplate (the
mains, the house-rule lines, the text's signatures and BOILERPLATE=).</p>
<h2 id="pairs">Pairs, flagged first</h2>
<table id="pair-table"><thead><tr><th>submission</th><th>other</th>
<th>mean score</th><th>z</th><th>flagged</th><th>tasks</th></tr></thead>
<tbody>
{rows}
</tbody></table>
{problems}
<h2 id="evidence">The flagged pairs, side by side</h2>
{evidence}
</body></html>
"""


def write_html(path, found, title, boilerplate_folders=()):
    """Write the report page."""
    boilerplate = Boilerplate(boilerplate_folders)
    ranked = ranked_pairs(found)
    shown = [item for item in ranked if item[1].flagged] + [
        item for item in ranked if not item[1].flagged][:CLOSEST_SHOWN]
    rows, evidence = [], []
    for number, (owners, (flagged, z, why)) in enumerate(shown):
        scores = found.task_scores[owners]
        a, b, _ = next(iter(scores.values()))
        mean = np.mean([match.scored.score for match in scores.values()])
        anchor = 'pair-{}'.format(number)
        rows.append(
            '<tr class="{}"><td>{}</td><td>{}</td><td>{:.3f}</td><td>{}</td>'
            '<td>{}</td><td>{}</td></tr>'.format(
                'flagged' if flagged else '', html.escape(owner_label(a)),
                html.escape(owner_label(b)), mean,
                '' if z is None else '{:.2f}'.format(z),
                '<a href="#{}">yes</a>'.format(anchor) if flagged else 'no',
                ', '.join('{} {:.2f}'.format(task, score.score)
                          for task, (_, _, score) in sorted(scores.items()))))
        if flagged:
            evidence.append('<section id="{}"><h3>{} and {}</h3><p>{}</p>{}'
                            '</section>'.format(
                                anchor, html.escape(owner_label(a)),
                                html.escape(owner_label(b)),
                                html.escape(why), ''.join(
                                    '<h4>{}: {}</h4>{}'.format(
                                        task, html.escape(rare_share(scored)),
                                        side_by_side(
                                            x, y, boilerplate,
                                            found.commonness[task]))
                                    for task, (x, y, scored) in sorted(
                                        scores.items()))))
    problems = ['{} {}: {}'.format(owner_label(entry), entry.task,
                                   entry.problem)
                for entry in found.entries if entry.problem]
    problems += ['{}: {}'.format(owner, NO_FILES)
                 for owner in found.without_files]
    flagged_count = sum(judged.flagged for _, judged in ranked)
    problem_list = ('<h2 id="problems">Not compared</h2><ul>{}</ul>'.format(
        ''.join('<li>{}</li>'.format(html.escape(problem))
                for problem in problems)) if problems else '')
    with open(path, 'w') as stream:
        stream.write(PAGE.format(
            title=html.escape(title), rule=html.escape(rule.explained()),
            reference=html.escape(found.reference.source),
            summary='{} of {} pairs flagged.'.format(flagged_count,
                                                     len(ranked)),
            rows='\n'.join(rows),
            problems=problem_list,
            evidence='\n'.join(evidence) or '<p>No pair is flagged.</p>'))
