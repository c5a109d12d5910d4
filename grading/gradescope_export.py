"""Gradescope's "Download Submissions" export, read as data.

The export is a zip, or the folder it unpacks to: `submission_metadata.yml`
at its top (or one folder down), and a folder per submission,
`submission_<id>/`, holding what was uploaded. The metadata maps each
folder to its submitters, written by Ruby with `:key:` names:

    submission_101:
      :submitters:
      - :name: Ada Lovelace
        :sid: '1815'
        :email: ada@example.edu
      :created_at: 2026-11-30 22:14:09.000000000 +00:00

A group submission lists several submitters. The file is students' data
and goes through a loader that builds no objects (PyYAML's safe loader),
after caps on its size and on the nodes it holds, and every value is
checked for its type: a broken or hostile file is refused with the
reason, and the folders are then graded by their names. Unzipping writes
only regular files inside the target: a member that names a path outside
it, a link, or more than the caps allow is refused, and costs only the
submission it belongs to.
"""
import dataclasses
import datetime
import os
import shutil
import stat
import zipfile

import yaml

from grading import submitted

METADATA = 'submission_metadata.yml'
# A class of a thousand writes some 300 KB of metadata.
METADATA_LIMIT = 4 * 2 ** 20
NODES_LIMIT = 200_000
# An unpacked export: all members, one member, how many.
UNPACKED_LIMIT = 2 * 2 ** 30
MEMBER_LIMIT = 256 * 2 ** 20
MEMBERS_LIMIT = 50_000
CHUNK = 2 ** 20


class Refused(ValueError):
    """The export, or a part of it, is not taken; the message says why."""


@dataclasses.dataclass(frozen=True)
class Submitter:
    name: str
    sid: str
    email: str


@dataclasses.dataclass
class Submission:
    """What the metadata says of one submission folder."""
    folder: str
    submitters: list
    created_at: str = ''
    # Set when the same student has a later submission in the export.
    superseded_by: str = ''

    def names(self):
        return '; '.join(person.name for person in self.submitters)

    def label(self):
        """The submission's name in reports: its students, then folder."""
        return ('{} ({})'.format(self.names(), self.folder)
                if self.submitters else self.folder)


@dataclasses.dataclass
class Export:
    """An export's submissions, and what could not be read of it."""
    folder: str
    submissions: dict
    problems: list = dataclasses.field(default_factory=list)
    refused: dict = dataclasses.field(default_factory=dict)

    def label(self, folder):
        found = self.submissions.get(folder)
        return found.label() if found else folder


class CountingLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a document of too many nodes.

    An alias shares the object it names (each node is built once), and
    nothing here walks more of the document than the keys it reads, each
    checked for its type first: a billion laughs costs what its text
    costs, and a submitter made of one is refused.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.nodes = 0

    def construct_object(self, node, deep=False):
        self.nodes += 1
        if self.nodes > NODES_LIMIT:
            raise Refused('{} holds more than {:,} values'.format(
                METADATA, NODES_LIMIT))
        return super().construct_object(node, deep=True)


def text_of(value, where):
    """Return value as text: a string, or a number as Ruby wrote it."""
    if isinstance(value, bool) or not isinstance(
            value, (str, int, float, datetime.date)):
        raise Refused('{}: expected text, found {}'.format(
            where, type(value).__name__))
    return str(value)


def submitter_of(entry, where):
    if not isinstance(entry, dict):
        raise Refused('{}: a submitter is a mapping, found {}'.format(
            where, type(entry).__name__))
    return Submitter(*(text_of(entry.get(':' + key, ''),
                               '{} :{}:'.format(where, key))
                       for key in ('name', 'sid', 'email')))


def parse_metadata(data):
    """Return {folder: Submission} of the metadata's document."""
    if not isinstance(data, dict):
        raise Refused('{} is not a mapping of submission folders'.format(
            METADATA))
    found = {}
    for folder, record in data.items():
        if not isinstance(folder, str) or not isinstance(record, dict):
            raise Refused('{}: entry {!r} is not a folder and its '
                          'record'.format(METADATA, folder)[:300])
        people = record.get(':submitters', [])
        if not isinstance(people, list):
            raise Refused('{}: {} :submitters: is not a list'.format(
                METADATA, folder))
        found[folder] = Submission(
            folder, [submitter_of(person, '{} {}'.format(METADATA, folder))
                     for person in people],
            text_of(record.get(':created_at', ''),
                    '{} {} :created_at:'.format(METADATA, folder)))
    return found


def read_metadata(path):
    """Return {folder: Submission} from a metadata file; raise Refused."""
    try:
        raw, _ = submitted.read_regular(path, METADATA_LIMIT)
    except FileNotFoundError:
        raise Refused('no {}'.format(METADATA))
    except submitted.Refused as error:
        raise Refused('{}: {}'.format(METADATA, error))
    if len(raw) > METADATA_LIMIT:
        raise Refused('{} is over {} MiB'.format(METADATA,
                                                 METADATA_LIMIT >> 20))
    try:
        loader = CountingLoader(raw.decode('utf-8'))
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except UnicodeDecodeError:
        raise Refused('{} is not UTF-8 text'.format(METADATA))
    except yaml.YAMLError as error:
        raise Refused('{} is not plain YAML data: {}'.format(
            METADATA, str(error).splitlines()[0][:200]))
    except RecursionError:
        raise Refused('{} nests too deeply'.format(METADATA))
    return parse_metadata(data)


def mark_resubmissions(submissions):
    """Mark every submission a student made before their latest one."""
    latest = {}
    for submission in sorted(submissions.values(),
                             key=lambda found: found.created_at):
        for person in submission.submitters:
            key = person.sid or person.email
            if key:
                earlier = latest.get(key)
                if earlier and earlier is not submission:
                    earlier.superseded_by = submission.folder
                latest[key] = submission


def member_problem(info, target):
    """Return why a zip member may not be written, or None."""
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return 'a link'
    if os.path.isabs(name) or '\\' in name or name.startswith('/'):
        return 'an absolute path'
    path = os.path.realpath(os.path.join(target, name))
    if not path.startswith(os.path.realpath(target) + os.sep):
        return 'a path outside the export'
    if info.flag_bits & 0x1:
        return 'encrypted'
    return None


def unpack(archive, target):
    """Unpack a zip into target; return ([(member, reason)], problems).

    A refused member is skipped, and said.
    """
    refused, problems, written = [], [], 0
    try:
        opened = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as error:
        raise Refused('{} is not a zip: {}'.format(
            os.path.basename(archive), error))
    with opened:
        members = opened.infolist()
        if len(members) > MEMBERS_LIMIT:
            problems.append('{:,} members; only the first {:,} are '
                            'unpacked'.format(len(members), MEMBERS_LIMIT))
        for info in members[:MEMBERS_LIMIT]:
            problem = member_problem(info, target)
            if problem is None and not info.is_dir():
                try:
                    written += copy_member(opened, info, target,
                                           UNPACKED_LIMIT - written)
                except Refused as error:
                    problem = str(error)
                except (OSError, zipfile.BadZipFile, EOFError,
                        NotImplementedError) as error:
                    problem = 'unreadable ({})'.format(error)
            elif problem is None:
                os.makedirs(os.path.join(target, info.filename),
                            exist_ok=True)
            if problem:
                refused.append((info.filename, problem))
    return refused, problems


def copy_member(opened, info, target, room):
    """Write one member, counting what it really expands to."""
    path = os.path.join(target, info.filename)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    limit = min(MEMBER_LIMIT, room)
    copied = 0
    with opened.open(info) as source, open(path, 'xb') as out:
        while True:
            chunk = source.read(CHUNK)
            if not chunk:
                break
            copied += len(chunk)
            if copied > limit:
                out.close()
                os.unlink(path)
                raise Refused('expands past {} MiB{}'.format(
                    limit >> 20, '' if limit == MEMBER_LIMIT
                    else ", the export's cap"))
            out.write(chunk)
    return copied


def export_root(folder):
    """Return the folder that holds the metadata: folder or its one child."""
    if os.path.lexists(os.path.join(folder, METADATA)):
        return folder
    children = [name for name in os.listdir(folder)
                if not name.startswith('.')]
    if len(children) == 1 and os.path.isdir(os.path.join(folder,
                                                         children[0])):
        inner = os.path.join(folder, children[0])
        if os.path.lexists(os.path.join(inner, METADATA)):
            return inner
    return None


def is_export(path):
    """Whether path is a zip, or a folder with submission_metadata.yml."""
    if os.path.isfile(path):
        return zipfile.is_zipfile(path)
    return os.path.isdir(path) and export_root(path) is not None


def open_export(path, unpack_into):
    """Return the Export at path: a folder, or a zip unpacked afresh into
    unpack_into. Raises Refused for a file that is no zip."""
    refused, problems = [], []
    if os.path.isfile(path):
        shutil.rmtree(unpack_into, ignore_errors=True)
        os.makedirs(unpack_into)
        refused, problems = unpack(path, unpack_into)
        path = unpack_into
    root = export_root(path) or path
    submissions = {}
    try:
        submissions = read_metadata(os.path.join(root, METADATA))
    except Refused as error:
        problems.append('{}; submissions are named by their folders'.format(
            error))
    mark_resubmissions(submissions)
    # Each refused member costs the submission folder it lies in; one that
    # lies in none (at the top, or aimed elsewhere) costs only a line.
    inner = os.path.relpath(root, path)
    charged = {}
    for member, reason in refused:
        parts = [part for part in member.split('/') if part]
        if inner != '.' and parts[:1] == [inner]:
            parts = parts[1:]
        said = '{}: {}'.format(member[:200], reason)
        if len(parts) > 1 and os.path.isdir(os.path.join(root, parts[0])) \
                and not member.startswith('/'):
            charged.setdefault(parts[0], []).append(said)
        else:
            problems.append(said)
    return Export(root, submissions, problems, charged)
