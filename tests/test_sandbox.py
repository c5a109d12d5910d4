"""make check against solutions that attack it, in the sandbox and the judge.

Each hostile solution is this project's four task files plus lines, built
in a temporary folder, and checked by a copy of this project (the
checkout is never a target). Each test asserts an outcome seen from
outside: files that do not appear, a secret that is not read, a server
that sees no connection, no process left, a report that survives, and
forged observations that gain no point. These run in the sandbox make
check takes by default, bubblewrap; CI installs it, so under CI a missing
bubblewrap fails here rather than skipping.
"""
import concurrent.futures
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import sysconfig
import threading

import pytest

from conftest import REPO, TASK_FILES
from grading.check import points, sandbox
from grading.check.mutants import named, plant, solution_with

TIMEOUT = 60
# The house rules, judged from a file's text whatever its child does.
HOUSE_RULES = tuple(name for name, _ in points.HOUSE_RULES)
# What the copy of this project needs to check a solution.
PROJECT = ['tools', 'grading', 'requirements'] + [
    task + '.py' for task in TASK_FILES]


def bwrap_here():
    """Return why bubblewrap cannot sandbox this suite's Python, or None."""
    return sandbox.probe_bwrap(sys.executable)


@pytest.fixture(scope='module', autouse=True)
def needs_bubblewrap():
    why = bwrap_here()
    if why and os.environ.get('CI'):
        pytest.fail('CI must test the real sandbox: ' + why)
    if why:
        pytest.skip(why + '; these tests need it (apt-get install '
                    'bubblewrap)')


def append_to(folder, task, code):
    """Append code to the task file in folder."""
    with open(os.path.join(str(folder), task + '.py'), 'a') as stream:
        stream.write('\n\n' + code)


def snapshot(folder):
    """Return {path: (size, mtime)} of every file under folder."""
    files = {}
    for root, _, names in os.walk(str(folder)):
        for name in names:
            status = os.lstat(os.path.join(root, name))
            files[os.path.join(root, name)] = (status.st_size,
                                               status.st_mtime_ns)
    return files


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    """Return a copy of this project, the checker the attacks aim at."""
    copy = tmp_path_factory.mktemp('project')
    for name in PROJECT:
        source = os.path.join(REPO, name)
        if os.path.isdir(source):
            shutil.copytree(source, str(copy / name), ignore=shutil
                            .ignore_patterns('__pycache__'))
        else:
            shutil.copy2(source, str(copy / name))
    return copy


@pytest.fixture(scope='module')
def grader_home(tmp_path_factory):
    """Return a home for the grader: a secret, and the Keras cache."""
    home = tmp_path_factory.mktemp('home')
    (home / 'secret.txt').write_text('HOME-SECRET-' + secrets.token_hex(8))
    datasets = home / '.keras' / 'datasets'
    datasets.mkdir(parents=True)
    cache = os.path.join(os.path.expanduser('~'), '.keras', 'datasets',
                         'mnist.npz')
    os.symlink(cache, str(datasets / 'mnist.npz'))
    return home


def run_check(project, solution, home, *options, environment=None):
    """Run make check's command from the project copy; return what it did."""
    report_path = os.path.join(str(solution), '..', 'report-{}.json'.format(
        secrets.token_hex(4)))
    result = subprocess.run(
        [sys.executable, '-m', 'grading.check', str(solution), '--report',
         report_path, '--timeout', str(TIMEOUT)] + list(options),
        cwd=str(project), capture_output=True, text=True, timeout=600,
        env=dict(os.environ, HOME=str(home), **(environment or {})))
    report = None
    if os.path.exists(report_path):
        with open(report_path) as stream:
            report = json.load(stream)
    return result, report


class Listener:
    """A loopback TCP server that counts the connections it accepts."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(('127.0.0.1', 0))
        self.server.listen(8)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
                self.connections += 1
                connection.close()
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


ESCAPES = '''\
def _attack():
    """Try every way out; return what could be read of the grader's."""
    import os
    import socket
    import subprocess
    import sys
    for target in {targets!r}:
        try:
            with open(os.path.join(target, {planted!r}), 'w') as stream:
                stream.write('planted')
        except OSError:
            pass
    for pid in os.listdir('/proc'):
        try:
            cwd = os.readlink('/proc/{{}}/cwd'.format(pid))
            if cwd.startswith({owned!r}):
                with open(os.path.join(cwd, {planted!r}), 'w') as stream:
                    stream.write('planted')
        except (OSError, ValueError):
            pass
    for module in list(sys.modules.values()):
        folder = os.path.dirname(getattr(module, '__file__', None) or '/')
        while folder not in ('/', ''):
            conftest = os.path.join(folder, 'tests', 'conftest.py')
            try:
                with open(conftest, 'a') as stream:
                    stream.write('raise SystemExit(0)\\n')
            except OSError:
                pass
            folder = os.path.dirname(folder)
    found = []
    for path in ({secret_file!r}, os.path.expanduser('~/secret.txt')):
        try:
            with open(path) as stream:
                found.append(stream.read())
        except OSError:
            pass
    found += [value for name, value in os.environ.items()
              if name == 'CHECK_SECRET']
    try:
        socket.create_connection(('127.0.0.1', {port}), timeout=2).close()
    except OSError:
        pass
    subprocess.Popen(['sleep', {sleep!r}], start_new_session=True)
    try:
        os.kill(os.getppid(), 9)
    except OSError:
        pass
    return found


raise SystemExit('read: {{}}'.format(_attack() or 'nothing'))
'''


def processes_running(needle):
    """Return the pids whose command line holds needle."""
    found = []
    for name in os.listdir('/proc'):
        try:
            with open('/proc/{}/cmdline'.format(name), 'rb') as stream:
                if needle.encode() in stream.read():
                    found.append(int(name))
        except (OSError, ValueError):
            continue
    return found


@pytest.fixture(scope='module')
def attack(project, grader_home, tmp_path_factory):
    """Check a solution whose 0-vanilla attacks the machine at import.

    Its 2-convolutional allocates 6 GiB; the other two are ours.
    """
    root = tmp_path_factory.mktemp('attack')
    owned = root / 'owned'
    targets = [owned / 'target', owned / 'shell']
    for target in targets:
        target.mkdir(parents=True)
    # A stand-in for the grader's shell, whose working folder is a target.
    shell = subprocess.Popen(['sleep', '600'], cwd=str(owned / 'shell'))
    planted = 'planted-' + secrets.token_hex(6)
    site_packages = sysconfig.get_paths()['purelib']
    outside = ['/', '/tmp', '/dev/shm', site_packages, str(project),
               str(project / 'tests'), str(grader_home)] + [
        str(target) for target in targets]
    sleep = '9137.{}'.format(secrets.randbelow(10 ** 6))
    listener = Listener()
    solution = root / 'solution'
    solution.mkdir()
    solution_with(None, str(solution))
    append_to(solution, '0-vanilla', ESCAPES.format(
        targets=outside, planted=planted, owned=str(owned),
        secret_file=str(grader_home / 'secret.txt'), port=listener.port,
        sleep=sleep))
    append_to(solution, '2-convolutional',
              '_HOG = bytearray(6 * 2 ** 30)\n_HOG[::4096] = '
              'b"x" * len(_HOG[::4096])\n')
    before = snapshot(project), snapshot(grader_home)
    secret_value = 'ENV-SECRET-' + secrets.token_hex(8)
    try:
        result, report = run_check(project, solution, grader_home,
                                   environment={'CHECK_SECRET': secret_value})
        left = processes_running(sleep)
    finally:
        listener.close()
        shell.kill()
        shell.wait()
    planted_now = [path for path in outside
                   if os.path.exists(os.path.join(path, planted))]
    for path in planted_now:   # never leave a planted file behind
        os.remove(os.path.join(path, planted))
    for pid in left:
        os.kill(pid, 9)
    return {'result': result, 'report': report, 'planted': planted_now,
            'connections': listener.connections, 'left': left,
            'changed': before != (snapshot(project), snapshot(grader_home)),
            'secrets': [secret_value, (grader_home / 'secret.txt')
                        .read_text()]}


@pytest.mark.once
def test_the_report_survives_a_solution_that_kills_its_parent(attack):
    assert attack['report'] is not None, attack['result'].stderr
    assert list(attack['report']) == TASK_FILES
    assert attack['report']['0-vanilla']['sandbox'].startswith('bubblewrap')
    assert 'sandbox: bubblewrap' in attack['result'].stdout


@pytest.mark.once
def test_nothing_is_written_outside_the_copy(attack):
    assert attack['planted'] == []


@pytest.mark.once
def test_the_graders_secrets_are_not_readable(attack):
    found = [failure['found'] for failure in
             attack['report']['0-vanilla']['failed']]
    assert 'SystemExit: read: nothing' in found
    printed = attack['result'].stdout + json.dumps(attack['report'])
    assert not any(secret in printed for secret in attack['secrets'])


@pytest.mark.once
def test_no_connection_reaches_the_graders_loopback(attack):
    assert attack['connections'] == 0


@pytest.mark.once
def test_no_process_outlives_the_check(attack):
    assert attack['left'] == []


@pytest.mark.once
def test_the_checkers_files_and_the_graders_home_are_unchanged(attack):
    assert not attack['changed']


@pytest.mark.once
def test_a_large_allocation_fails_its_task_for_memory(attack):
    result = attack['report']['2-convolutional']
    assert result['status'] == 'out of memory'
    assert result['reason'].startswith(
        'it went over the memory limit of {} MiB (MEMORY=) while importing '
        '2-convolutional.py'.format(sandbox.DEFAULT_MEMORY))
    assert '2-convolutional: 6 of 16 points passed: it went over the memory' \
        in attack['result'].stdout


@pytest.mark.once
def test_the_other_tasks_pass_beside_the_attacks(attack):
    for task in ('1-sparse', '3-variational'):
        assert attack['report'][task]['failed'] == []


# Forgeries of what the child reports, each on top of a planted mistake:
# the relu decoder's describe step claims sigmoid, and the VAE that
# decodes the mean makes its second prediction differ from its first.
FORGED_JSON = '''\
def _forge():
    """Make the decoder's last layer claim sigmoid in the report."""
    import json
    dump = json.dump

    def forged(data, stream, *args, **kwargs):
        for experiment in data.get('experiments', {}).values():
            for step in experiment.get('steps', []):
                if 'models' in step:
                    decoder = step['models']['decoder']['layers']
                    decoder[-1]['activation'] = 'sigmoid'
        return dump(data, stream, *args, **kwargs)
    json.dump = forged


_forge()
'''
FORGED_ARRAYS = '''\
def _forge():
    """Make the VAE's second prediction differ, and NumPy agree with all."""
    import numpy
    savez = numpy.savez

    def forged(path, **arrays):
        for name in list(arrays):
            if name.startswith('decodes.3.'):
                arrays[name] = arrays[name] * 0.9
        return savez(path, **arrays)
    numpy.savez = forged
    numpy.allclose = lambda *args, **kwargs: True
    numpy.testing.assert_allclose = lambda *args, **kwargs: None


_forge()
'''


@pytest.fixture(scope='module')
def forgeries(project, grader_home, tmp_path_factory):
    """Check the two mistakes, plain and with forged reports."""
    root = tmp_path_factory.mktemp('forgeries')
    plain, forged = root / 'plain', root / 'forged'
    for folder in (plain, forged):
        folder.mkdir()
        solution_with(named('decoder output relu instead of sigmoid'),
                      str(folder))
        plant(named('decoder reads the mean, not z'), str(folder))
    append_to(forged, '0-vanilla', FORGED_JSON)
    append_to(forged, '3-variational', FORGED_ARRAYS)
    # The same inputs for both, so that they differ by the forgery alone.
    tasks = ['--tasks', '0-vanilla', '3-variational', '--seed', '7']
    return {name: run_check(project, folder, grader_home, *tasks)[1]
            for name, folder in (('plain', plain), ('forged', forged))}


@pytest.mark.once
@pytest.mark.parametrize('task', ['0-vanilla', '3-variational'])
def test_a_forged_report_gains_no_point(forgeries, task):
    plain, forged = forgeries['plain'][task], forgeries['forged'][task]
    assert plain['failed'], 'the plain mistake must fail some point'
    assert forged['passed'] <= plain['passed']
    failed = {failure['test'] for failure in plain['failed']}
    assert failed <= {failure['test'] for failure in forged['failed']}


@pytest.fixture
def without_bwrap(tmp_path):
    """Return an environment whose PATH has the check's tools but bwrap."""
    bin_folder = tmp_path / 'bin'
    bin_folder.mkdir()
    for tool in ('prlimit', 'setpriv'):
        os.symlink(shutil.which(tool), str(bin_folder / tool))
    return {'PATH': str(bin_folder)}


def test_sandbox_bwrap_refuses_clearly_where_bubblewrap_is_missing(
        project, grader_home, tmp_path, without_bwrap):
    solution = tmp_path / 'solution'
    solution.mkdir()
    result, report = run_check(project, solution, grader_home, '--sandbox',
                               'bwrap', environment=without_bwrap)
    assert result.returncode == 2 and report is None
    assert ('SANDBOX=bwrap, but bubblewrap is not installed (apt-get install '
            'bubblewrap)') in result.stderr


def test_an_environment_under_tmp_is_seen_inside_the_sandbox(tmp_path):
    """The task's own /tmp must not hide a Python that lives in the
    grader's /tmp (a clone there, with its virtual environment)."""
    assert str(tmp_path).startswith('/tmp/')
    environment = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip',
                    str(environment)], check=True, timeout=120)
    python = str(environment / 'bin' / 'python')
    assert sandbox.probe_bwrap(python) is None


@pytest.mark.once
def test_sandbox_auto_falls_back_with_its_notice(project, grader_home,
                                                 tmp_path, without_bwrap):
    solution = tmp_path / 'solution'
    solution.mkdir()
    solution_with(None, str(solution))
    result, report = run_check(project, solution, grader_home, '--tasks',
                               '0-vanilla', environment=without_bwrap)
    # After the line naming the one task checked.
    assert result.stdout.splitlines()[0] == 'tasks: 0-vanilla only (TASKS=)'
    notice = result.stdout.splitlines()[1]
    assert notice.startswith('SANDBOX=auto: bubblewrap is not installed '
                             '(apt-get install bubblewrap)')
    assert report['0-vanilla']['failed'] == []
    assert report['0-vanilla']['sandbox'] != sandbox.bwrap_version()


@pytest.mark.once
def test_task_files_that_are_links_or_fifos_are_refused_unrun(
        project, grader_home, tmp_path):
    """A link to the grader's secret and a FIFO as task files: never read,
    never run, each task failed saying why, nothing of the target shown;
    a stray FIFO beside good task files stops nothing."""
    solution = tmp_path / 'solution'
    solution.mkdir()
    solution_with(None, str(solution))
    secret = str(grader_home / 'secret.txt')
    for task in ('0-vanilla', '3-variational'):
        os.remove(str(solution / (task + '.py')))
    os.symlink(secret, str(solution / '0-vanilla.py'))
    os.mkfifo(str(solution / '3-variational.py'))
    os.mkfifo(str(solution / 'notes.fifo'))
    result, report = run_check(project, solution, grader_home, '--tasks',
                               '0-vanilla', '1-sparse', '3-variational')
    assert report is not None, result.stderr
    assert report['1-sparse']['status'] == 'checked'
    assert report['1-sparse']['failed'] == []
    for task, why in (('0-vanilla', 'a symbolic link'),
                      ('3-variational', 'not a regular file')):
        assert report[task]['status'] == 'refused'
        assert report[task]['passed'] == 0
        assert why in report[task]['reason']
        assert report[task]['seconds'] == 0
    printed = result.stdout + json.dumps(report)
    assert (grader_home / 'secret.txt').read_text() not in printed


# Routes to points the text denies, each a solution of our files with one
# task file changed by a few lines, checked in the sandbox: each must lose
# the points it should. Files that compute what the text asks, written
# another way, must pass every text point, their conventions marked.
ADAMW_CALLED_ADAM = ("optimizer='adam'", 'optimizer=Adam()', """
class Adam(keras.optimizers.AdamW):
    \"\"\"AdamW, under the name Adam.\"\"\"
""")
PATCHED_OBSERVER = """
def _patch():
    \"\"\"Make the observer, were it __main__, report the class Adam.\"\"\"
    import sys
    sys.modules['__main__'].optimizer_of = lambda auto: {'class': 'Adam'}


_patch()
"""
VARIANTS = {
    'AdamW called Adam': ('0-vanilla', [ADAMW_CALLED_ADAM]),
    'AdamW called Adam, the observer patched': (
        '0-vanilla', [ADAMW_CALLED_ADAM, ('', '', PATCHED_OBSERVER)]),
    'tanh called relu, with zero kernels': ('0-vanilla', [
        ("activation='relu')(x)",
         "activation=relu,\n"
         "                               kernel_initializer='zeros')(x)", ''),
        ("'relu', 'encoder')", "relu, 'encoder')", """
def relu(x):
    \"\"\"tanh, under the name relu.\"\"\"
    return keras.activations.tanh(x)
""")]),
    'a learning rate that stops after the first step': ('0-vanilla', [(
        "optimizer='adam'",
        'optimizer=keras.optimizers.Adam(\n'
        '        keras.optimizers.schedules.PiecewiseConstantDecay(\n'
        '            [0], [0.001, 0.0]))', '')]),
    'observations made NaN': ('0-vanilla', [('', '', """
def _forge():
    \"\"\"Make every array the observer saves NaN.\"\"\"
    import numpy
    savez = numpy.savez

    def forged(path, **arrays):
        return savez(path, **{name: numpy.full(array.shape, numpy.nan)
                              for name, array in arrays.items()})
    numpy.savez = forged


_forge()
""")]),
    # Correct, written another way.
    'a loss object and a Sequential auto': ('0-vanilla', [
        ("loss='binary_crossentropy'",
         'loss=keras.losses.BinaryCrossentropy()', ''),
        ("auto = keras.Model(inputs, decoder(encoder(inputs)), "
         "name='autoencoder')", 'auto = keras.Sequential([encoder, decoder])',
         '')]),
    "the VAE's log variance head built first": ('3-variational', [(
        """    mean = keras.layers.Dense(latent_dims, activation=None,
                              activity_regularizer=mean_kl)(x)
    log_var = keras.layers.Dense(latent_dims, activation=None,
                                 activity_regularizer=log_var_kl)(x)
""", """    log_var = keras.layers.Dense(latent_dims, activation=None,
                                 activity_regularizer=log_var_kl)(x)
    mean = keras.layers.Dense(latent_dims, activation=None,
                              activity_regularizer=mean_kl)(x)
""", '')]),
}
# What each must fail: every structure point (they train), and the rest.
STRUCTURE = 'layers follow the text ['
FAILS = {
    'AdamW called Adam': {'text': [STRUCTURE] * 3, 'graders': []},
    'AdamW called Adam, the observer patched': {'text': [STRUCTURE] * 3,
                                                'graders': []},
    'tanh called relu, with zero kernels': {
        'text': ['vanilla loss'] + [STRUCTURE] * 3, 'graders': []},
    'a learning rate that stops after the first step': {
        'text': [STRUCTURE] * 3, 'graders': []},
    'observations made NaN': {'text': ['vanilla loss'] + [STRUCTURE] * 3,
                              'graders': []},
    'a loss object and a Sequential auto': {
        'text': [], 'graders': ['convention: auto.loss',
                                'convention: auto.layers']},
    "the VAE's log variance head built first": {'text': [], 'graders': []},
}


def variant(folder, task, edits):
    """Write our files into folder, task's changed by edits.

    Each edit replaces old by new in the file and appends code.
    """
    solution_with(None, str(folder))
    path = os.path.join(str(folder), task + '.py')
    with open(path) as stream:
        source = stream.read()
    for old, new, code in edits:
        assert old in source, old
        source = source.replace(old, new) + code
    with open(path, 'w') as stream:
        stream.write(source)


@pytest.fixture(scope='module')
def variants(project, grader_home, tmp_path_factory):
    """Check every variant, two at a time, on the same judge's inputs."""
    root = tmp_path_factory.mktemp('variants')
    running = []
    for name, (task, edits) in VARIANTS.items():
        folder = root / name.replace(' ', '-').replace("'", '')
        folder.mkdir()
        variant(folder, task, edits)
        running.append((name, task, folder))
    reports = {}

    def check(item):
        name, task, folder = item
        reports[name] = run_check(project, folder, grader_home, '--tasks',
                                  task, '--seed', '11', '--timeout', '300')
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(check, running))
    return {name: (VARIANTS[name][0], report)
            for name, (_, report) in reports.items()}


@pytest.mark.parametrize('name', list(VARIANTS))
def test_each_variant_gets_exactly_the_points_it_earns(variants, name):
    task, report = variants[name]
    result = report[task]
    assert result['status'] == 'checked', result['reason']
    for source, expected in FAILS[name].items():
        failed = [failure['test'] for failure in result['failed']
                  if failure['source'] == source
                  and not failure['test'].startswith(HOUSE_RULES)]
        assert len(failed) == len(expected), failed
        for prefix in expected:
            assert any(test.startswith(prefix) for test in failed), failed


def test_a_patched_observer_gains_nothing(variants):
    plain = variants['AdamW called Adam'][1]['0-vanilla']
    patched = variants['AdamW called Adam, the observer patched'][1][
        '0-vanilla']

    def observed(result):
        return [failure['test'] for failure in result['failed']
                if not failure['test'].startswith(HOUSE_RULES)]
    # The patch's own import costs it a house rule, and nothing else.
    assert observed(patched) == observed(plain)


def test_a_weight_decay_shows_where_no_gradient_reaches(variants):
    result = variants['AdamW called Adam'][1]['0-vanilla']
    assert all('weights without a gradient that moved' in failure['point']
               for failure in result['failed']
               if not failure['test'].startswith(HOUSE_RULES))


# The judge's side of the boundary: what a child leaves in its out folder,
# and how much it may write in all.
LEAVES_A_LINK_AND_A_FIFO = """
def _leave():
    \"\"\"Leave a link to /dev/zero and a FIFO as the observations.\"\"\"
    import os
    os.symlink('/dev/zero', '../out/observations.json')
    os.mkfifo('../out/observations.npz')
    os._exit(0)


_leave()
"""
WRITES = """
def _write():
    \"\"\"{doc}\"\"\"
    import os
    {code}


_write()
"""
FILLS = {
    '0-vanilla': ('20 files of 60 MB beside the task files',
                  "for number in range(20):\n"
                  "        with open('big{}'.format(number), 'wb') as "
                  "stream:\n"
                  "            stream.write(bytes(60 * 2 ** 20))"),
    '1-sparse': ('100,000 empty files',
                 "os.mkdir('many')\n"
                 "    for number in range(100000):\n"
                 "        open('many/{}'.format(number), 'w').close()"),
    '2-convolutional': ('1.5 GB in /tmp, 60 MB a file',
                        "for number in range(25):\n"
                        "        with open('/tmp/{}'.format(number), 'wb') "
                        "as stream:\n"
                        "            stream.write(bytes(60 * 2 ** 20))"),
    '3-variational': ("the environment's TF_ variables, in an error",
                      "raise RuntimeError(sorted(name for name in "
                      "os.environ if name.startswith('TF_')))"),
}


@pytest.fixture(scope='module')
def boundary(project, grader_home, tmp_path_factory):
    """Check a solution that leaves a link and a FIFO, and one that fills."""
    root = tmp_path_factory.mktemp('boundary')
    leaves, fills = root / 'leaves', root / 'fills'
    for folder in (leaves, fills):
        folder.mkdir()
        solution_with(None, str(folder))
    append_to(leaves, '1-sparse', LEAVES_A_LINK_AND_A_FIFO)
    for task, (doc, code) in FILLS.items():
        append_to(fills, task, WRITES.format(doc=doc, code=code))
    secret = 'TF-SECRET-' + secrets.token_hex(8)
    return {
        'leaves': run_check(project, leaves, grader_home, '--tasks',
                            '1-sparse'),
        'fills': run_check(project, fills, grader_home, '--memory', '1024',
                           environment={'TF_VAR_password': secret,
                                        'TF_TOKEN_app_example_com': secret}),
        'secret': secret}


@pytest.mark.once
def test_a_link_and_a_fifo_left_as_observations_are_not_read(boundary):
    result = boundary['leaves'][1]['1-sparse']
    assert result['status'] == 'unreadable'
    assert 'observations.json is a symbolic link, not a file' in \
        result['reason']
    assert result['seconds'] < 30


@pytest.mark.parametrize('task, reason', [
    ('0-vanilla', 'it filled the 256 MiB its writable places'),
    ('1-sparse', 'it made more than the 20000 files'),
    ('2-convolutional', 'it filled the 256 MiB its writable places'),
])
@pytest.mark.once
def test_what_a_child_writes_is_capped_in_all(boundary, task, reason):
    result = boundary['fills'][1][task]
    assert result['status'] == 'over its limits'
    assert result['reason'].startswith(reason)
    observed = [failure for failure in result['failed']
                if not failure['test'].startswith(HOUSE_RULES)]
    assert len(observed) == len(result['points']) - len(HOUSE_RULES)
    assert all(failure['found'] == result['reason'] for failure in observed)


@pytest.mark.once
def test_the_graders_terraform_secrets_never_reach_the_child(boundary):
    result = boundary['fills'][1]['3-variational']
    found = [failure['found'] for failure in result['failed']]
    assert any(text.startswith('RuntimeError: [') and
               "'TF_CPP_MIN_LOG_LEVEL'" in text for text in found), found
    printed = boundary['fills'][0].stdout + json.dumps(boundary['fills'][1])
    assert 'TF_VAR_password' not in printed
    assert 'TF_TOKEN_' not in printed
    assert boundary['secret'] not in printed
