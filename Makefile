# The README's commands. Each makes its own virtual environment on first use.
#   make run               provision MNIST, run the four mains headless (figures/)
#   make test              run the test suite (minutes)
#   make test-once         the tests that need one line only: a class graded
#                          whole, the autograder bundle's install, the
#                          sandbox's isolation, the pages in Chromium (CI runs
#                          them on the graded line)
#   make reproduce         the task's 50-epoch runs, recorded into results/
#   make benchmark         where the convolutional model's time goes
#   make benchmark-check   what make check's sandbox costs (results/);
#                          ARGS="--against REV": this checker against REV's
#   make mutants           check that the suite catches planted bugs
#   make gallery           the concepts, shown, from make reproduce's models
#   make explorer          the latent explorer page, from make reproduce's models
#   make check SOLUTION=DIR   check anyone's task files against the text
#                          (TASKS=0,1 checks only those, by number or name):
#                          each task runs in a sandbox, judged from outside
#                          (REPORT=FILE also writes the report as JSON;
#                          TIMEOUT=seconds per task, default 300; TASK_JOBS=
#                          tasks at a time; SANDBOX=auto|bwrap|user|none, default
#                          auto; MEMORY=MiB per task, default 2048;
#                          FORMAT=gradescope writes REPORT as Gradescope's
#                          results.json)
#   make check SOLUTIONS=DIR  grade every submission in DIR into a gradebook
#                          (DIR may be Gradescope's export, zip or folder;
#                          GRADES=folder, default grades/; SUBMISSION_JOBS=
#                          submissions at a time; WEIGHTS=FILE, docs/graders.md),
#                          and compare them for copies: similarity.csv and
#                          .html (KNOWN=DIR of known solutions; BOILERPLATE=
#                          DIR of code all may share)
#   make similarity-engines [PUBLIC=DIR]   copydetect, compare50 and Dolos on
#                          disguised copies of the solutions in DIR, or of
#                          the test set (results/)
#   make similarity-calibration PUBLIC=DIR   the flagging rule's numbers
#                          (ARGS="--same-origin A,B": public solutions that
#                          are one another's copies; docs/reproduction.md)
#   make benchmark-similarity [PUBLIC=DIR]   the comparison's time on 50,
#                          100 and 200 submissions (results/)
#   make autograder        the zip Gradescope takes (grades/autograder.zip)
#   make demo-class        a small class laid out as Gradescope's export, to
#                          try make check SOLUTIONS=demo-class on
# TF= picks the TensorFlow line (README, "Supported lines"; docs/lines.md):
#   TF=2.15    the graded line: TF 2.15.1 (Keras 2), Python 3.9-3.11
#   TF=2.16    the oldest Keras 3: TF 2.16.2 with Keras 3.3.3, Python 3.9-3.12
#   TF=latest  the newest: TF 2.21 with Keras 3.15, Python 3.10-3.13
#   unset      the best line this machine can serve: the graded one when a
#              Python 3.9-3.11 is here, else the latest; an environment that
#              exists is reused (tools/choose_line.sh says which, and why)
#   TF=all     (make check only) every line this machine can serve
# PYTHON= names the interpreter for a new environment instead.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
LINES := 2.15 2.16 latest

ifeq ($(TF),all)
ifneq ($(filter-out check,$(or $(MAKECMDGOALS),run)),)
$(error TF=all is for make check only; other targets take one line)
endif
endif

# Choose once, when make starts; `make clean` and TF=all need no line.
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),run)),)
ifneq ($(TF),all)
CHOICE := $(shell $(SHELL) tools/choose_line.sh '$(TF)' '$(PYTHON)')
ifeq ($(CHOICE),)
$(error no environment can be made for TF=$(or $(TF),(unset)) here, as said above)
endif
override TF := $(word 1,$(CHOICE))
NEW_ENV_PYTHON := $(word 2,$(CHOICE))
endif
endif
VENV := .venv-tf$(TF)
REQUIREMENTS := requirements/tf$(TF).txt

# A local copy of MNIST to provision from; ../shared/data/ holds one on our
# machines. Unset, `make data` downloads it the way Keras would.
MNIST_NPZ ?= $(wildcard ../shared/data/mnist.npz)
export MNIST_NPZ
# Fashion-MNIST's four files, for the gallery's anomaly detection.
FASHION_MNIST_DIR ?= $(wildcard ../shared/data/fashion-mnist)
export FASHION_MNIST_DIR

PY := $(VENV)/bin/python
# The tasks' names come from their one list, tools/task.py (read when used).
tasks = $(addsuffix .py,$(shell $(PY) -m tools.task $(1) 2>/dev/null))
MAINS = $(call tasks,mains)
TASK_FILES = $(call tasks,files)
# Headless: every plt.show() in the mains writes PNG files to figures/.
HEADLESS := MPLBACKEND=module://tools.png_backend TF_CPP_MIN_LOG_LEVEL=2

.PHONY: run test test-once data fashion-data lint reproduce gallery benchmark mutants \
	benchmark-check explorer check autograder clean similarity-engines \
	similarity-calibration benchmark-similarity demo-class

run: data
	@mkdir -p logs
	@for main in $(MAINS); do \
		echo "== $$main (TensorFlow $(TF), log in logs/$${main%.py}.log)"; \
		$(HEADLESS) $(PY) $$main 2>&1 | tee logs/$${main%.py}.log || exit 1; \
	done

# One worker per core (pytest-xdist); tests that share a costly fixture share
# a worker (tests/conftest.py). Plain `pytest` runs them in one process.
PYTEST = $(PY) -m pytest -n auto --dist loadgroup

test: data
	$(PYTEST)

# The tests marked once need one line only (tests/conftest.py): whole runs
# whose parts make test tests, and the slow checks no TensorFlow line changes.
test-once: data
	$(PYTEST) -m once --once

# The task's reference runs, recorded into results/ (resumable; docs/reproduction.md).
reproduce: data
	$(HEADLESS) $(PY) -m lab.reproduce $(ARGS)

# The concepts, shown: figures from the models make reproduce saved.
gallery: data fashion-data
	$(PY) -m lab.gallery $(ARGS)

# One offline page to move through the VAE's latent plane (results/explorer/),
# its screenshot and its speed in headless Chromium.
explorer: data
	$(PY) -m lab.explorer --speed results/explorer/speed.json $(ARGS)

# Training speed of the convolutional model under each lever (see RESULTS.md).
benchmark: data
	$(PY) -m lab.performance.benchmark --out results/benchmark-tf$(TF).json $(ARGS)

# make check on our files in bubblewrap against no sandbox, interleaved.
benchmark-check: data
	$(PY) -m lab.performance.sandbox_cost \
		--out results/check-sandbox-tf$(TF).json $(ARGS)

# The similarity engines side by side, in an environment of their own (and
# Dolos's Node.js packages in requirements/dolos/).
similarity-engines: $(VENV)/installed
	[ -x .venv-engines/bin/python ] || $(PY) -m venv .venv-engines
	.venv-engines/bin/pip install --quiet -r requirements/engines.txt
	npm ci --prefix requirements/dolos --no-audit --no-fund --silent
	# compare50 hashes with hash(): fixed, its scores repeat.
	PYTHONHASHSEED=0 .venv-engines/bin/python -m lab.similarity.compare_engines \
		$(PUBLIC) \
		--dolos requirements/dolos/node_modules $(ARGS)

# The flagging rule's numbers (grading/similarity/calibration.json).
similarity-calibration: $(VENV)/installed
ifndef PUBLIC
	$(error name a folder of public solutions: make similarity-calibration PUBLIC=DIR)
endif
	$(PY) -m lab.similarity.calibrate $(PUBLIC) $(ARGS)

# The class comparison's time as the class grows (results/).
benchmark-similarity: $(VENV)/installed
	$(PY) -m lab.similarity.benchmark \
		$(if $(PUBLIC),--public $(PUBLIC)) $(ARGS)

# A class to try the graders' tools on (docs/graders.md, the recipe).
demo-class: $(VENV)/installed
	$(PY) -m grading.grade.demo $(ARGS)

# Plant known bugs in copies of the task files; the suite must catch each.
mutants: data
	$(PY) -m grading.check.mutants

# The text's points on the task files in SOLUTION, task by task; or every
# submission in SOLUTIONS, into a gradebook.
# JOBS= is the old name of both TASK_JOBS= (with SOLUTION=) and
# SUBMISSION_JOBS= (with SOLUTIONS=); it is still read, as the one meant.
ifdef JOBS
$(info note: JOBS= is read as $(if $(SOLUTIONS),SUBMISSION_JOBS=$(JOBS) (submissions at a time),TASK_JOBS=$(JOBS) (tasks at a time)); JOBS= is the old name of both)
TASK_JOBS ?= $(if $(SOLUTIONS),,$(JOBS))
SUBMISSION_JOBS ?= $(if $(SOLUTIONS),$(JOBS))
endif
CHECK_OPTIONS = $(if $(TIMEOUT),--timeout $(TIMEOUT)) \
	$(if $(SANDBOX),--sandbox $(SANDBOX)) $(if $(MEMORY),--memory $(MEMORY))
TASK_JOBS_OPTION = $(if $(TASK_JOBS),--jobs $(TASK_JOBS))
# One solution's check may take a few tasks only.
TASK_OPTION = $(if $(TASKS),--tasks $(TASKS))
GRADE_OPTIONS = $(CHECK_OPTIONS) $(if $(GRADES),--grades $(GRADES)) \
	$(if $(SUBMISSION_JOBS),--jobs $(SUBMISSION_JOBS)) \
	$(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(KNOWN),--known $(KNOWN)) \
	$(foreach folder,$(BOILERPLATE),--boilerplate $(folder))
ifeq ($(TF),all)
# Every line this machine can serve, each in its environment, one report.
check:
ifndef SOLUTION
	$(error name the folder to check: make check SOLUTION=DIR TF=all)
endif
	@for line in $(LINES); do \
		$(MAKE) --no-print-directory data TF=$$line \
			|| echo "TF=$$line: not checked, as said above"; \
	done
	@pythons=$$(for line in $(LINES); do \
		[ -f .venv-tf$$line/installed ] \
			&& echo "--python $$line=.venv-tf$$line/bin/python"; done); \
	[ -n "$$pythons" ] || { echo "no line can be checked here"; exit 1; }; \
	set -- $$pythons; \
	"$${2#*=}" -m grading.check $(SOLUTION) $$pythons $(CHECK_OPTIONS) \
		$(TASK_JOBS_OPTION) $(TASK_OPTION) \
		$(if $(REPORT),--report $(REPORT))
else
check: data
ifdef SOLUTIONS
	$(PY) -m grading.grade $(SOLUTIONS) $(GRADE_OPTIONS)
else ifndef SOLUTION
	$(error name the folder to check: make check SOLUTION=DIR, or a folder of submissions: make check SOLUTIONS=DIR)
else ifeq ($(FORMAT),gradescope)
	$(PY) -m grading.grade --submission $(SOLUTION) \
		--gradescope $(or $(REPORT),results.json) $(GRADE_OPTIONS)
else
	$(PY) -m grading.check $(SOLUTION) $(CHECK_OPTIONS) $(TASK_JOBS_OPTION) \
		$(TASK_OPTION) $(if $(REPORT),--report $(REPORT))
endif
endif

# The zip Gradescope takes: setup.sh, run_autograder and what they need.
autograder: data
	$(PY) -m grading.grade.bundle $(if $(WEIGHTS),--weights $(WEIGHTS)) \
		$(if $(GRADES),--out $(GRADES)/autograder.zip)

data: $(VENV)/installed
	$(PY) -m tools.mnist

# Only the gallery (and its tests, through FASHION_MNIST_DIR) needs it.
fashion-data: $(VENV)/installed
	$(PY) -m tools.fashion_mnist

lint: $(VENV)/installed
	$(VENV)/bin/pycodestyle $(TASK_FILES) sample tools grading lab tests

$(VENV)/installed: $(REQUIREMENTS)
	[ -x $(VENV)/bin/python ] || "$(NEW_ENV_PYTHON)" -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -r $(REQUIREMENTS)
	touch $@

clean:
	rm -rf .venv-tf* .venv-engines requirements/dolos/node_modules figures logs \
		.pytest_cache
