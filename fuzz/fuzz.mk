# fuzz/fuzz.mk -- libFuzzer harnesses for the plain-C cores (included by the Makefile).
#   make fuzz           build fuzz/build/<harness> and fuzz each one in turn for FUZZ_SECONDS
#                       (default 60) seconds, or FUZZ_RUNS executions when set; new inputs go
#                       to fuzz/build/corpus/<harness>/, crashing ones to fuzz/crashes/<harness>/
#   make fuzz-regress   replay fuzz/regressions/<harness>/* and the seeds fuzz/corpus/<harness>/*
#                       once each (fast); last line "N passed, M failed" (tools/run-tests.sh)
#   make fuzz-build     only build;  make fuzz-clean  remove fuzz/build/
# Harnesses (see the comment at the top of each): fuzz_log (src/core/log_lines.c, src/core/json_syntax.c),
# fuzz_trial_state (src/core/trial_wire.c), fuzz_config_state (src/core/config_wire.c), fuzz_state_text (src/core/state_hex.c, the states' text form), fuzz_mann_whitney (src/core/mann_whitney.c), fuzz_reader (loader/readers.c: gzip, tar.gz, UTF-8), fuzz_mlperf (loader/mlperf.c: the JSON escaper, MLPerf inputs and paths), fuzz_summary (src/core/summary_lines.c, an MLPerf inference summary's lines).
# Needs clang-14 and libclang-rt-14-dev (libFuzzer), zlib1g-dev and libarchive-dev.
# Seeds: python3 fuzz/make-seeds.py rewrites fuzz/corpus/ from data/dlbs/.

FUZZ_CC ?= $(or $(shell command -v clang-14 2>/dev/null),clang)
FUZZ_SANITIZE ?= -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS ?= $(FUZZ_SANITIZE) -g -O1 -Wall -Wextra -Wno-unused-parameter $(if $(WERROR),-Werror)
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
FUZZ_HARNESSES ?= fuzz_log fuzz_trial_state fuzz_config_state fuzz_state_text fuzz_mann_whitney fuzz_reader fuzz_mlperf fuzz_summary
FUZZ_BUILD = fuzz/build
FUZZ_PG_INCLUDEDIR := $(shell $(or $(PG_CONFIG),pg_config) --includedir 2>/dev/null)

$(FUZZ_BUILD)/fuzz_log: fuzz/fuzz_common.h fuzz/fuzz_log.c src/core/log_lines.c src/core/json_syntax.c src/core/log_lines.h src/core/json_syntax.h
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/core \
		-o $@ fuzz/fuzz_log.c src/core/log_lines.c src/core/json_syntax.c

$(FUZZ_BUILD)/fuzz_trial_state: fuzz/fuzz_common.h fuzz/fuzz_trial_state.c src/core/trial_wire.c src/core/trial_wire.h
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/core -o $@ fuzz/fuzz_trial_state.c src/core/trial_wire.c

$(FUZZ_BUILD)/fuzz_config_state: fuzz/fuzz_common.h fuzz/fuzz_config_state.c src/core/config_wire.c src/core/config_wire.h
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/core -o $@ fuzz/fuzz_config_state.c src/core/config_wire.c

$(FUZZ_BUILD)/fuzz_state_text: fuzz/fuzz_common.h fuzz/fuzz_state_text.c src/core/state_hex.c src/core/state_hex.h src/core/trial_wire.c src/core/config_wire.c
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/core -o $@ fuzz/fuzz_state_text.c src/core/state_hex.c src/core/trial_wire.c src/core/config_wire.c

$(FUZZ_BUILD)/fuzz_mann_whitney: fuzz/fuzz_common.h fuzz/fuzz_mann_whitney.c src/core/mann_whitney.c src/core/mann_whitney.h
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/core -o $@ fuzz/fuzz_mann_whitney.c src/core/mann_whitney.c -lm

$(FUZZ_BUILD)/fuzz_reader: fuzz/fuzz_common.h fuzz/fuzz_reader.c loader/readers.c loader/dlpg_load.h
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iloader $(if $(FUZZ_PG_INCLUDEDIR),-I$(FUZZ_PG_INCLUDEDIR)) -D_FILE_OFFSET_BITS=64 \
		-o $@ fuzz/fuzz_reader.c loader/readers.c -larchive -lz

$(FUZZ_BUILD)/fuzz_mlperf: fuzz/fuzz_common.h fuzz/fuzz_mlperf.c loader/mlperf.c loader/readers.c loader/dlpg_load.h src/core/json_syntax.c src/core/json_syntax.h
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iloader -Isrc/core $(if $(FUZZ_PG_INCLUDEDIR),-I$(FUZZ_PG_INCLUDEDIR)) -D_FILE_OFFSET_BITS=64 \
		-o $@ fuzz/fuzz_mlperf.c loader/mlperf.c loader/readers.c src/core/json_syntax.c -larchive -lz

$(FUZZ_BUILD)/fuzz_summary: fuzz/fuzz_common.h fuzz/fuzz_summary.c src/core/summary_lines.c src/core/summary_lines.h src/core/log_lines.c src/core/log_lines.h
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/core -o $@ fuzz/fuzz_summary.c src/core/summary_lines.c src/core/log_lines.c

.PHONY: fuzz fuzz-build fuzz-regress fuzz-clean
fuzz-build: $(addprefix $(FUZZ_BUILD)/,$(FUZZ_HARNESSES))

fuzz: fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) fuzz/run.sh fuzz $(FUZZ_HARNESSES)

fuzz-regress: fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) fuzz/run.sh regress $(FUZZ_HARNESSES)

fuzz-clean:
	rm -rf $(FUZZ_BUILD)
