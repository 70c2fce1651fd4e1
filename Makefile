# The commands the README names. `make demo` and `make test` are the two a
# newcomer needs; the rest are their parts.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := $(CURDIR)/.venv
export PATH := $(VENV)/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
# Molecule writes its own ansible.cfg; this keeps picluster.spark.* resolvable there.
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.collections
export ANSIBLE_ROLES_PATH := $(CURDIR)/roles
export PICLUSTER_BED_KEY := $(CURDIR)/.bed/ssh/id_ed25519
# Mitogen for Ansible (opt-in: `make demo MITOGEN=1`): its mitogen_linear
# strategy keeps one Python per node for a whole run instead of starting one
# per task. ansible-core 2.19 deprecates third-party strategies, so nothing
# here depends on it. Mitogen opens its own SSH connections and checks host
# keys unless told not to (the bed's containers get new keys every time).
export PICLUSTER_MITOGEN_STRATEGY = $(firstword $(wildcard $(VENV)/lib/python3*/site-packages/ansible_mitogen/plugins/strategy))
MITOGEN ?= 0
ifeq ($(MITOGEN),1)
export ANSIBLE_STRATEGY_PLUGINS = $(PICLUSTER_MITOGEN_STRATEGY)
export ANSIBLE_STRATEGY := mitogen_linear
export ANSIBLE_HOST_KEY_CHECKING := False
endif
export PY_COLORS := 1
export ANSIBLE_FORCE_COLOR := 1

STAMP := $(VENV)/.stamp-$(shell sha256sum requirements-dev.txt | cut -c1-12)
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# Scenarios `make test` runs, longest first, MOLECULE_JOBS at a time. They use
# their own names, networks and ports, and while one waits on emulated JVMs or
# VMs booting another uses the CPU: two at once finish well before one after
# the other on the bed's 2 cores.
SCENARIOS ?= cluster nfs data
MOLECULE_JOBS ?= 2
# The Spark the bed serves to spark_install (built from the PyPI sdist), and
# the release the data scenario starts on and upgrades from.
SPARK_VERSION ?= 3.5.9
SPARK_PREVIOUS_VERSION ?= 3.5.8

.PHONY: help
help:
	@echo "make demo       set up everything and stand up the emulated cluster (1 x86_64 master, 4 ARM workers)"
	@echo "make demo-down  remove the emulated cluster"
	@echo "make test       every check: lint, unit tests, collection build + sanity, molecule scenarios"
	@echo "make venv | bed | vm-image | lint | units | build | molecule SCENARIOS='bed cluster' MOLECULE_JOBS=1"

$(STAMP): requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	rm -f $(VENV)/.stamp-*
	touch $@

.collections/ansible_collections/picluster/spark:
	mkdir -p $(@D)
	ln -sfn ../../.. $@

.PHONY: venv
venv: $(STAMP) .collections/ansible_collections/picluster/spark

# The bed: packages, dockerd, binfmt and the node images (bed-nodes, no venv
# needed), then the Spark archive and the sample data, which use the venv's
# Python and pip and so wait for it when `make -j2` builds both.
.PHONY: bed bed-nodes bed-files
bed: bed-nodes bed-files
bed-nodes:
	$(SUDO) bed/setup.sh
bed-files: $(STAMP)
	bed/spark-archive.sh $(SPARK_VERSION) $(SPARK_PREVIOUS_VERSION)
	bed/sample-data.sh

# The VM image the nfs scenario boots (a real kernel with NFS; the containers'
# kernel has none). Its create step builds it too; this does it ahead of time.
.PHONY: vm-image
vm-image:
	$(SUDO) bed/vm/build.sh

.PHONY: lint
lint: venv
	yamllint --strict .
	ansible-lint --profile production
	ruff check .
	ruff format --check .

.PHONY: units
units: venv
	pytest -q tests/unit

# Build the collection, install the artifact into a throwaway path and run
# ansible-test sanity there, as a user's install would see it.
.PHONY: build
build: venv
	bed/collection-check.sh

.PHONY: molecule
molecule: venv bed
	$(MAKE) --no-print-directory scenarios

.PHONY: scenarios
scenarios:
	$(MAKE) --no-print-directory -j$(MOLECULE_JOBS) $(addprefix scenario-,$(SCENARIOS))

# One scenario. Its lines are printed as they come, each marked with the
# scenario's name and the time, so a run stopped from outside (a CI timeout)
# still shows how far every scenario got.
scenario-%:
	started=$$(date +%s); \
	molecule test -s $* 2>&1 | while IFS= read -r line; do printf '[%s %(%H:%M:%S)T] %s\n' $* -1 "$$line"; done \
	  || { echo "[molecule] $* FAILED after $$(( $$(date +%s) - started )) s"; exit 1; }; \
	echo "[molecule] $* passed in $$(( $$(date +%s) - started )) s"

# The checks and the bed run side by side (on a fresh machine the bed's image
# builds wait on downloads while lint and the unit tests use the CPU); each
# prints its output in one piece when it is done. Then the scenarios.
.PHONY: test
test:
	$(MAKE) --no-print-directory --output-sync=target -j2 lint units build bed
	$(MAKE) --no-print-directory scenarios

# The venv (downloads) and the bed (mostly emulated image builds) are made
# side by side; each prints its output in one piece when it is done.
.PHONY: demo
demo:
	@echo "[demo] making the venv and the bed side by side (packages, dockerd, node images, Spark archive)"
	$(MAKE) --no-print-directory --output-sync=target -j2 venv bed
	bed/demo.sh up

.PHONY: demo-down
demo-down: venv
	bed/demo.sh down
