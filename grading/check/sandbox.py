"""Where make check's child runs: bubblewrap, an unprivileged user, or as is.

- bwrap: bubblewrap (Debian's bubblewrap). The child sees a new root: the
  system's /usr (and the /bin, /lib links into it), a few files of /etc,
  the Python environment and the installation it was made from (mounted
  alone, wherever it lives), all read-only; the observer script and the
  judge's plan, read-only; the task's copy of the solution and its output
  folder, writable; a private /tmp and an empty home. Nothing else of the
  machine is there: not the grader's home, not the checker's tests. It has
  no network (its own empty network namespace), its own PID namespace (it
  sees no other process, and nothing it starts outlives it), a new
  session, and a minimal environment. Run as root, the child drops to an
  unprivileged user id of its own inside.
- user: where bubblewrap cannot run (a container that makes no
  namespaces) but this is root, the child runs as an unprivileged user id
  of its own that can write only its copy; it still sees the network and
  whatever the machine lets any user read.
- none: the child runs as the grader, for debugging.

In every kind the child has a time limit, a 64 MB limit on each file it
writes, a memory limit (its data segment and anonymous maps) and a limit
on its processes and threads. Every place it may write (its copy of the
solution, its out folder, /tmp, its home and /dev/shm) lies in one folder,
rw/, which as root is a tmpfs of its own: ROOM_SHARE of MEMORY (at most
ROOM_MOST MiB) and FILES_LIMIT files in all, so that what the child keeps
in files counts against MEMORY= with what it maps. Without root those
places are plain folders, limited per file only. The child's environment
is a short list of named variables, none of the grader's secrets. The
judge never runs inside.
"""
import functools
import json
import os
import secrets
import shutil
import signal
import subprocess
import time

# A solution that prints or writes without end is stopped at this size.
FILE_SIZE_LIMIT = 64 * 2 ** 20
# MiB of data and anonymous memory a task may map; a check of this
# project's files maps about 500 (TensorFlow's threads' stacks included).
DEFAULT_MEMORY = 2048
# Processes and threads a task may run: TensorFlow starts a few dozen.
PROCESS_LIMIT = 512
KINDS = ('auto', 'bwrap', 'user', 'none')
# What of /etc a Python process needs: the loader's cache, names, time.
ETC_FILES = ('/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d',
             '/etc/localtime', '/etc/nsswitch.conf', '/etc/passwd',
             '/etc/group')
# The grader's environment variables a check may use, each by name: how
# TensorFlow and the BLAS libraries run here (OPENBLAS_CORETYPE keeps some
# processors' OpenBLAS from crashing). Nothing else of the grader's (a
# TF_VAR_ or TF_TOKEN_ of Terraform's is a secret) reaches the child.
PASSED = ('TF_CPP_MIN_LOG_LEVEL', 'TF_ENABLE_ONEDNN_OPTS',
          'TF_NUM_INTEROP_THREADS', 'TF_NUM_INTRAOP_THREADS',
          'TF_DETERMINISTIC_OPS', 'TF_USE_LEGACY_KERAS', 'KERAS_BACKEND',
          'OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'OPENBLAS_CORETYPE',
          'OPENBLAS_L2_SIZE', 'MKL_NUM_THREADS', 'KMP_AFFINITY',
          'KMP_BLOCKTIME')
INSIDE = '/sandbox'
# The child's writable places, all under rw/: where each appears inside
# bubblewrap.
WRITABLE = {'solution': INSIDE + '/solution', 'out': INSIDE + '/out',
            'tmp': '/tmp', 'home': '/home/sandbox', 'shm': '/dev/shm'}
# What of MEMORY the writable places may hold together, and how many files.
ROOM_SHARE, ROOM_MOST = 4, 512
FILES_LIMIT = 20000


class Unavailable(Exception):
    """The sandbox asked for cannot run here; the message says why."""


def minimal_environment(home, tmp):
    """Return the child's environment: what Python, TF and Matplotlib need."""
    environment = {'PATH': '/usr/bin:/bin', 'HOME': home, 'TMPDIR': tmp,
                   'LANG': 'C.UTF-8', 'PYTHONDONTWRITEBYTECODE': '1',
                   'MPLBACKEND': 'Agg',
                   'MPLCONFIGDIR': os.path.join(tmp, 'matplotlib'),
                   'TF_CPP_MIN_LOG_LEVEL': '2'}
    environment.update({name: os.environ[name] for name in PASSED
                        if name in os.environ})
    return environment


class Room:
    """The child's writable folder rw/: its path and, when capped, limits.

    megabytes and files are None where rw/ is a plain folder.
    """

    def __init__(self, path, megabytes=None, files=None):
        self.path, self.megabytes, self.files = path, megabytes, files

    def __getitem__(self, name):
        return os.path.join(self.path, name)

    def over(self):
        """Return which limit the child's files reached, in words, or None."""
        if self.megabytes is None:
            return None
        status = os.statvfs(self.path)
        if status.f_ffree <= 2:
            return ('it made more than the {} files its writable places '
                    '(its copy, out, /tmp, home, /dev/shm) may hold in '
                    'all'.format(self.files))
        if status.f_bavail * status.f_frsize < 2 ** 20:
            return ('it filled the {} MiB its writable places (its copy, '
                    'out, /tmp, home, /dev/shm) may hold in all, a share of '
                    'MEMORY='.format(self.megabytes))
        return None


def room_size(memory):
    """Return the MiB the writable places may hold for a MEMORY of memory."""
    return min(ROOM_MOST, memory // ROOM_SHARE)


def make_room(folder, memory, mount):
    """Make folder/rw, a capped tmpfs when mount; return its Room.

    mount must be true only in a mount namespace of the judge's own (as
    root), where the tmpfs goes away with the judge.
    """
    path = os.path.join(folder, 'rw')
    os.makedirs(path)
    room = Room(path)
    if mount:
        megabytes = room_size(memory)
        subprocess.run(['mount', '-t', 'tmpfs', '-o',
                        'size={}m,nr_inodes={},mode=0755'.format(
                            megabytes, FILES_LIMIT), 'tmpfs', path],
                       check=True, capture_output=True, timeout=60)
        room = Room(path, megabytes, FILES_LIMIT)
    for name in WRITABLE:
        if name != 'solution':
            os.makedirs(room[name])
    return room


@functools.lru_cache(maxsize=None)
def python_roots(python):
    """Return the folders a Python environment needs, outside /usr.

    Its prefix (a virtual environment) and the installation it was made
    from, which pyenv and uv keep under the user's home.
    """
    # Each link on the way to the interpreter (a virtual environment made
    # from another one links to that one's python) needs its folder too.
    code = ('import json, os, sys\n'
            'found, path = [sys.prefix, sys.base_prefix], sys.executable\n'
            'for _ in range(40):\n'
            '    found.append(os.path.dirname(os.path.dirname(path)))\n'
            '    if not os.path.islink(path):\n'
            '        break\n'
            '    path = os.path.join(os.path.dirname(path), '
            'os.readlink(path))\n'
            'found.append(os.path.dirname(os.path.dirname('
            'os.path.realpath(sys.executable))))\n'
            'print(json.dumps(found))')
    found = json.loads(subprocess.run(
        [python, '-c', code], capture_output=True, text=True,
        check=True, timeout=60).stdout)
    roots = []
    for folder in sorted({os.path.realpath(path) for path in found}
                         | {os.path.abspath(path) for path in found}):
        if folder in ('/', '/usr') or folder.startswith('/usr/'):
            continue
        if not any(folder.startswith(root + os.sep) for root in roots):
            roots.append(folder)
    return roots


def ancestors(paths):
    """Return every folder above paths, outermost first, but /."""
    found = set()
    for path in paths:
        parent = os.path.dirname(path)
        while parent not in ('/', ''):
            found.add(parent)
            parent = os.path.dirname(parent)
    return sorted(found, key=lambda path: (path.count('/'), path))


def under_writable(path):
    """Whether path lies in a place the task may write (its own /tmp...)."""
    return any(path.startswith(place + os.sep) for place in WRITABLE.values())


def bwrap_arguments(python, folder, uid):
    """Return bubblewrap's command line for a task folder.

    folder holds plan/ (the observer and the judge's plan, read-only
    inside) and rw/ (the writable places, WRITABLE). uid, when this is
    root, is the unprivileged user the child becomes.
    """
    arguments = ['bwrap', '--unshare-pid', '--unshare-net', '--unshare-ipc',
                 '--unshare-uts', '--unshare-cgroup-try', '--die-with-parent',
                 '--new-session', '--clearenv']
    if uid is None:
        arguments.append('--unshare-user')
    home, tmp = '/home/sandbox', '/tmp'
    for name, value in sorted(minimal_environment(home, tmp).items()):
        arguments += ['--setenv', name, value]
    arguments += ['--ro-bind', '/usr', '/usr']
    for path in ('/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'):
        if os.path.islink(path):
            arguments += ['--symlink', os.readlink(path), path]
        elif os.path.isdir(path):
            arguments += ['--ro-bind', path, path]
    for path in ETC_FILES:
        if os.path.exists(path):
            arguments += ['--ro-bind', path, path]
    arguments += ['--proc', '/proc', '--dev', '/dev']
    roots = python_roots(python)
    # bubblewrap makes missing mount points with the modes of the folders
    # they shadow (a home is 0700): make them traversable first.
    for path in ancestors(roots + [INSIDE + '/x']):
        arguments += ['--perms', '0755', '--dir', path]
    for root in roots:
        arguments += ['--ro-bind', root, root]
    arguments += ['--ro-bind', os.path.join(folder, 'plan'), INSIDE + '/plan']
    for name, inside in WRITABLE.items():
        arguments += ['--bind', os.path.join(folder, 'rw', name), inside]
    # An environment under a writable place (a clone in /tmp) is hidden by
    # the task's own /tmp: mount it again, read-only, on top.
    hidden = [root for root in roots if under_writable(root)]
    for path in filter(under_writable, ancestors(hidden)):
        arguments += ['--perms', '0755', '--dir', path]
    for root in hidden:
        arguments += ['--ro-bind', root, root]
    arguments += ['--chdir', INSIDE + '/solution']
    command = [python, INSIDE + '/plan/observe.py', INSIDE + '/plan',
               INSIDE + '/out']
    if uid is not None:
        arguments += ['--cap-add', 'CAP_SETUID,CAP_SETGID', '--']
        return arguments + drop_to(uid) + command
    return arguments + ['--'] + command


def drop_to(uid):
    """Return setpriv's command line that becomes uid, with no privilege."""
    return ['setpriv', '--reuid', str(uid), '--regid', str(uid),
            '--clear-groups', '--inh-caps=-all', '--bounding-set=-all',
            '--no-new-privs']


def threads_of(uid):
    """Return how many threads the user uid runs now."""
    count = 0
    for name in os.listdir('/proc'):
        if name.isdigit():
            try:
                with open('/proc/{}/status'.format(name)) as stream:
                    status = dict(line.split(':', 1) for line in stream
                                  if ':' in line)
                if int(status['Uid'].split()[0]) == uid:
                    count += int(status['Threads'])
            except (OSError, KeyError, ValueError):
                continue
    return count


def limited(command, memory, processes):
    """Return command run under the limits, by util-linux's prlimit."""
    return ['prlimit', '--fsize={}'.format(FILE_SIZE_LIMIT),
            '--data={}'.format(memory * 2 ** 20),
            '--nproc={}'.format(processes), '--core=0', '--'] + command


def kill_user(uid):
    """Kill every process of the user uid (one task's own), as root."""
    for _ in range(10):
        found = False
        for name in os.listdir('/proc'):
            if not name.isdigit():
                continue
            try:
                with open('/proc/{}/status'.format(name)) as stream:
                    uids = next(line for line in stream
                                if line.startswith('Uid:')).split()[1:]
                if str(uid) in uids:
                    os.kill(int(name), signal.SIGKILL)
                    found = True
            except (OSError, StopIteration):
                continue
        if not found:
            return
        time.sleep(0.05)


class Sandbox:
    """One kind of sandbox, ready to start a task's child."""

    def __init__(self, kind, version, notice=None):
        self.kind, self.version, self.notice = kind, version, notice
        self.root = os.geteuid() == 0

    def __str__(self):
        return self.version

    def prepare(self, folder):
        """Make the task folder's writable parts the child's; return its uid.

        A fresh unprivileged user id per task (as root), so that its
        processes can be counted, limited and killed apart from any other.
        """
        if self.kind == 'none' or not self.root:
            return None
        uid = 100000 + secrets.randbelow(2 ** 30)
        for name in WRITABLE:
            path = os.path.join(folder, 'rw', name)
            os.makedirs(path, exist_ok=True)
            for root, folders, files in os.walk(path):
                for entry in [root] + [os.path.join(root, name)
                                       for name in folders + files]:
                    os.lchown(entry, uid, uid)
        for root, folders, files in os.walk(os.path.join(folder, 'plan')):
            os.chmod(root, 0o755)
            for name in files:
                os.chmod(os.path.join(root, name), 0o644)
        os.chmod(folder, 0o755)
        os.chmod(os.path.join(folder, 'rw'), 0o755)
        for name in ('tmp', 'shm'):
            os.chmod(os.path.join(folder, 'rw', name), 0o1777)
        return uid

    def start(self, python, folder, memory, output):
        """Start the child for a task folder; return (process, uid).

        memory is the MiB the child may map, its room's share left out.
        """
        uid = self.prepare(folder)
        processes = PROCESS_LIMIT
        if uid is None and self.kind != 'none':
            processes += threads_of(os.getuid())
        if self.kind == 'bwrap':
            command = bwrap_arguments(python, folder, uid)
            cwd, environment = folder, minimal_environment('/tmp', '/tmp')
        else:
            plan = os.path.join(folder, 'plan')
            rw = os.path.join(folder, 'rw')
            command = [python, os.path.join(plan, 'observe.py'), plan,
                       os.path.join(rw, 'out')]
            cwd = os.path.join(rw, 'solution')
            if self.kind == 'user':
                command = drop_to(uid) + command
                environment = minimal_environment(
                    os.path.join(rw, 'home'), os.path.join(rw, 'tmp'))
            else:
                processes += threads_of(os.getuid())
                environment = dict(os.environ, PYTHONDONTWRITEBYTECODE='1',
                                   TMPDIR=os.path.join(rw, 'tmp'),
                                   MPLBACKEND='Agg')
                environment.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
        process = subprocess.Popen(
            limited(command, memory, processes), cwd=cwd, env=environment,
            stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
        return process, uid

    def exit_code(self, code):
        """Return the child's exit code, a negative signal for a kill.

        bubblewrap's own init reports a child killed by signal N as 128 + N.
        """
        if self.kind == 'bwrap' and code is not None and 128 < code < 193:
            return 128 - code
        return code

    def stop(self, process, uid):
        """Kill whatever of the task's child is left."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
        process.wait()
        if uid is not None and self.kind == 'user':
            kill_user(uid)


def probe_bwrap(python):
    """Return None if bubblewrap runs Python here, else why not."""
    if not shutil.which('bwrap'):
        return 'bubblewrap is not installed (apt-get install bubblewrap)'
    import tempfile
    folder = tempfile.mkdtemp(prefix='check-probe-')
    try:
        os.mkdir(os.path.join(folder, 'plan'))
        for name in WRITABLE:
            os.makedirs(os.path.join(folder, 'rw', name))
        with open(os.path.join(folder, 'plan', 'observe.py'), 'w') as stream:
            stream.write('import sys\n')
        uid = Sandbox('bwrap', '').prepare(folder) if os.geteuid() == 0 \
            else None
        result = subprocess.run(
            bwrap_arguments(python, folder, uid), cwd=folder,
            capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            said = result.stderr.strip().splitlines() or [
                'exit status {}'.format(result.returncode)]
            return 'bubblewrap cannot make its sandbox here ({})'.format(
                said[-1])
        return None
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        return 'bubblewrap cannot run here ({})'.format(error)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def probe_user(python):
    """Return None if Python runs here as an unprivileged user, else why."""
    if os.geteuid() != 0:
        return 'this is not root, so no other user can be taken'
    if not shutil.which('setpriv'):
        return 'setpriv (util-linux) is missing'
    result = subprocess.run(drop_to(100000 + secrets.randbelow(2 ** 30))
                            + [python, '-c', 'import numpy'], cwd='/',
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return ('an unprivileged user cannot run {} ({})'.format(
            python, (result.stderr.strip().splitlines() or ['?'])[-1]))
    return None


def bwrap_version():
    """Return 'bubblewrap X.Y.Z'."""
    result = subprocess.run(['bwrap', '--version'], capture_output=True,
                            text=True)
    return result.stdout.strip() or 'bubblewrap'


@functools.lru_cache(maxsize=None)
def choose(kind, python):
    """Return the Sandbox of kind for python, or raise Unavailable.

    auto takes bubblewrap where its probe runs Python, else the strongest
    fallback, with a notice of one line saying so.
    """
    if kind not in KINDS:
        raise Unavailable('SANDBOX must be one of {}, got {!r}'.format(
            ', '.join(KINDS), kind))
    if kind == 'none':
        return Sandbox('none', 'none (the grader\'s own user, no sandbox)')
    why_not_bwrap = probe_bwrap(python) if kind in ('auto', 'bwrap') else ''
    if not why_not_bwrap:
        if kind == 'bwrap' or kind == 'auto':
            return Sandbox('bwrap', bwrap_version())
    if kind == 'bwrap':
        raise Unavailable('SANDBOX=bwrap, but {}. Install it (apt-get '
                          'install bubblewrap) or let SANDBOX=auto fall '
                          'back.'.format(why_not_bwrap))
    why_not_user = probe_user(python)
    if not why_not_user:
        notice = ('{}: each task runs as an unprivileged user of its own '
                  'instead, which can write only its copy but can use the '
                  'network and read what any user may'.format(why_not_bwrap)
                  if why_not_bwrap else None)
        return Sandbox('user', 'unprivileged user (setpriv)', notice)
    if kind == 'user':
        raise Unavailable('SANDBOX=user, but {}.'.format(why_not_user))
    return Sandbox('none', 'none (the grader\'s own user, no sandbox)',
                   '{}, and {}: the tasks run as you, with no sandbox'
                   .format(why_not_bwrap, why_not_user))
