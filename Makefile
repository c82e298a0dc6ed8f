# dlpg: PGXS build of the extension, plus the project's own entry points.
#   make            build the extension
#   make install    install it into the PostgreSQL found by $(PG_CONFIG)
#   make installcheck  pg_regress: every sql/<name>.sql against expected/<name>.out, in a running
#                   server that has dlpg installed (never installs packages)
#   make test       install missing Debian packages (tools/install-deps.sh), build, install,
#                   start a private cluster, run every test (layout: tools/run-tests.sh), stop it
#   make bench      the benchmarks (bench/): ingestion (DLBS, MLPerf), series, dlpg-load, charts, compare, web, Citus;
#                   figures as ratios to a baseline measured in the same run
#   make bench-citus  bench/citus_bench.sh alone: dlpg.series on a 3-node Citus cluster of its own against one
#                   node (private tree, like make test-citus; SKIPPED without Citus)
#   make demo       the main job: load the bundled logs, print the Guide's tables, write charts
#   make guide      the Guide as a web page (web/, docs/web.md): private cluster with the demo data,
#                   the app on http://127.0.0.1:8080/ (DLPG_WEB_PORT; DLPG_WEB_DSN: an existing
#                   database instead), stopped with Ctrl-C; nothing goes into the system's PostgreSQL
#   make test-private  the same as make test, installing into a private tree instead of the system
#   make test-citus  the Citus suite alone (tools/run-tests-citus.sh): dlpg on a coordinator and two
#                   workers; Citus built once from ../shared/vendor/citus-13.2.2.tar.gz into a cache
#   make test-asan  the whole test suite with dlpg.so and dlpg-load built under ASan + UBSan
#   make test-valgrind [VALGRIND_TESTS="test/a.sql ..."]  pg_regress + pgTAP, server under memcheck
#   make fuzz       libFuzzer harnesses (fuzz/fuzz.mk): each for FUZZ_SECONDS (60) or FUZZ_RUNS
#   make fuzz-regress  replay fuzz/regressions/ and the seed corpora once each (fast)
#   make test-sqlsmith  random SQL: a bounded SQLsmith campaign (tools/run-sqlsmith.sh)

EXTENSION = dlpg
EXTVERSION = 0.4.0
MODULE_big = dlpg
# src/core/: the plain-C cores (no PostgreSQL headers), also built into the fuzz harnesses (fuzz/)
# src/dlbs/: the DLBS input formats (sources, src/source.h), its log parser and key derivation
OBJS = src/dlpg.o src/source.o src/ingest.o src/store.o src/measures.o src/axes.o src/aggregates.o \
       src/history.o src/compare.o src/state_text.o \
       src/configs.o src/series.o src/chart.o \
       src/dlbs/log_source.o src/dlbs/json_source.o src/dlbs/log_parser.o src/dlbs/derive.o \
       src/mlperf/mllog.o src/mlperf/system.o src/mlperf/training_source.o src/mlperf/inference_source.o \
       src/core/log_lines.o src/core/json_syntax.o src/core/trial_wire.o src/core/config_wire.o src/core/state_hex.o \
       src/core/mann_whitney.o src/core/summary_lines.o
PGFILEDESC = "dlpg - deep-learning benchmark results in PostgreSQL"

# Install script and update scripts: sql/install/dlpg--<version>.sql and
# sql/install/dlpg--<from>--<to>.sql, installed by their base names into the extension directory
DATA = $(sort $(wildcard sql/install/$(EXTENSION)--*.sql))

# pg_regress tests (exact output): every sql/<name>.sql, compared with expected/<name>.out.
# pg_regress makes one database (contrib_regression) with dlpg created in it and runs the tests in
# it in name order; each test leaves dlpg as it found it (created, empty tables), so the order
# does not matter. Run from the project root: tests read data/ files through psql backticks.
REGRESS = $(sort $(patsubst sql/%.sql,%,$(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

PG_CPPFLAGS = -I$(srcdir)/src -I$(srcdir)/src/core
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifdef WERROR
PG_CFLAGS += -Werror
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifeq ($(PGXS),)
# No server headers yet: only the targets that install them can run.
all install installcheck:
	@echo "pg_config --pgxs found nothing: run 'make test' (installs postgresql-server-dev-15) or tools/install-deps.sh" >&2; exit 2
else
include $(PGXS)
endif

# dlpg-load, the bulk loader (loader/): built, installed and cleaned with the extension
include loader/loader.mk

# libFuzzer harnesses (fuzz/): make fuzz [FUZZ_SECONDS=60 | FUZZ_RUNS=n], make fuzz-regress
include fuzz/fuzz.mk

$(OBJS): src/agg_context.h src/axes.h src/benchmark.h src/benchmark_columns.h src/clip.h src/series.h src/source.h \
         src/state_text.h src/store.h src/dlbs/derive.h src/dlbs/log_parser.h src/mlperf/mlperf.h \
         src/core/config_wire.h src/core/hex_digit.h src/core/state_hex.h src/core/json_syntax.h src/core/log_lines.h src/core/summary_lines.h src/core/trial_wire.h \
         src/core/mann_whitney.h

.PHONY: test bench deps demo guide
deps:
	tools/install-deps.sh

test:
	@tools/run-tests.sh

demo:
	@tools/demo.sh

guide:
	@tools/guide.sh

bench:
	@bench/ingest_bench.sh
	@BENCH_SKIP_INSTALL=1 bench/mlperf_bench.sh
	@BENCH_SKIP_INSTALL=1 bench/series_bench.sh
	@BENCH_SKIP_INSTALL=1 bench/load_bench.sh
	@BENCH_SKIP_INSTALL=1 bench/chart_bench.sh
	@BENCH_SKIP_INSTALL=1 bench/compare_bench.sh
	@BENCH_SKIP_INSTALL=1 bench/web_bench.sh
	@bench/citus_bench.sh

# Sanitizers and valgrind (README): both install into a private tree, never into the system
.PHONY: test-private test-asan test-valgrind
test-private:
	@tools/run-tests-private.sh

test-asan:
	@tools/run-tests-asan.sh

test-valgrind:
	@tools/run-tests-valgrind.sh $(VALGRIND_TESTS)

# Citus (issue 11): a coordinator and two workers of its own, from a private tree (Citus built
# once into /var/cache/dlpg-citus or ~/.cache/dlpg-citus); also a suite of make test
.PHONY: test-citus
test-citus: all
	@tools/run-tests-citus.sh

# its benchmark (bench/citus_bench.sh runs itself through tools/run-tests-citus.sh)
.PHONY: bench-citus
bench-citus: all
	@bench/citus_bench.sh

# Random SQL (issue 8): a bounded SQLsmith campaign against dlpg in a private cluster and a
# private install tree (tools/run-sqlsmith.sh: SQLSMITH_SEEDS, SQLSMITH_QUERIES, ...)
.PHONY: test-sqlsmith
test-sqlsmith:
	@tools/run-sqlsmith.sh
