# loader/loader.mk -- dlpg-load, the bulk loader (C on libpq, zlib, libarchive).
# Included by the Makefile after PGXS, so that `make`, `make install`, `make uninstall` and
# `make clean` cover it too; it does not use PGXS's flags (it is a client, not a module).
#   build:   loader/dlpg-load, -Wall -Wextra (and -Werror with WERROR=1, as `make test` does)
#   install: $(pg_config --bindir)/dlpg-load, plus the symlink /usr/local/bin/dlpg-load when
#            that folder exists and is writable (and DESTDIR is not set)
# Needs libpq-dev, zlib1g-dev and libarchive-dev (tools/install-deps.sh).

LOADER = loader/dlpg-load
LOADER_OBJS = loader/dlpg_load.o loader/walk.o loader/readers.o loader/session.o loader/progress.o loader/jobs.o \
              loader/mlperf.o loader/json_syntax.o
LOADER_CC = $(CC)
LOADER_PG_CONFIG = $(if $(PG_CONFIG),$(PG_CONFIG),pg_config)
LOADER_INCLUDEDIR := $(shell $(LOADER_PG_CONFIG) --includedir 2>/dev/null)
LOADER_LIBDIR := $(shell $(LOADER_PG_CONFIG) --libdir 2>/dev/null)
LOADER_BINDIR := $(shell $(LOADER_PG_CONFIG) --bindir 2>/dev/null)
LOADER_CFLAGS = -std=gnu11 -O2 -g -Wall -Wextra $(if $(WERROR),-Werror)
LOADER_CPPFLAGS = $(if $(LOADER_INCLUDEDIR),-I$(LOADER_INCLUDEDIR)) -D_FILE_OFFSET_BITS=64 \
                  $(if $(EXTVERSION),-DDLPG_LOAD_VERSION='"$(EXTVERSION)"')
LOADER_LDLIBS = $(if $(LOADER_LIBDIR),-L$(LOADER_LIBDIR)) -lpq -larchive -lz
LOADER_SYMLINK_DIR = /usr/local/bin

all: $(LOADER)

$(LOADER): $(LOADER_OBJS)
	$(LOADER_CC) $(LOADER_CFLAGS) -o $@ $(LOADER_OBJS) $(LOADER_LDLIBS)

loader/%.o: loader/%.c loader/dlpg_load.h
	$(LOADER_CC) $(LOADER_CPPFLAGS) $(LOADER_CFLAGS) -c -o $@ $<

# the extension's JSON reader (plain C): judges whether a system description is JSON
loader/mlperf.o: src/core/json_syntax.h
loader/json_syntax.o: src/core/json_syntax.c src/core/json_syntax.h
	$(LOADER_CC) $(LOADER_CPPFLAGS) $(LOADER_CFLAGS) -c -o $@ $<

.PHONY: loader install-loader uninstall-loader clean-loader
loader: $(LOADER)

install: install-loader
install-loader: $(LOADER)
	@if [ -z "$(LOADER_BINDIR)" ]; then echo "pg_config --bindir found nothing" >&2; exit 2; fi
	install -d '$(DESTDIR)$(LOADER_BINDIR)'
	install -m 0755 $(LOADER) '$(DESTDIR)$(LOADER_BINDIR)/dlpg-load'
	@if [ -z "$(DESTDIR)" ] && [ -d $(LOADER_SYMLINK_DIR) ] && [ -w $(LOADER_SYMLINK_DIR) ]; then \
		ln -sfn '$(LOADER_BINDIR)/dlpg-load' $(LOADER_SYMLINK_DIR)/dlpg-load && \
		echo "ln -sfn $(LOADER_BINDIR)/dlpg-load $(LOADER_SYMLINK_DIR)/dlpg-load"; \
	fi

uninstall: uninstall-loader
uninstall-loader:
	rm -f '$(DESTDIR)$(LOADER_BINDIR)/dlpg-load'
	@if [ -z "$(DESTDIR)" ] && [ -L $(LOADER_SYMLINK_DIR)/dlpg-load ] && \
	    [ "$$(readlink $(LOADER_SYMLINK_DIR)/dlpg-load)" = '$(LOADER_BINDIR)/dlpg-load' ]; then \
		rm -f $(LOADER_SYMLINK_DIR)/dlpg-load; \
	fi

clean: clean-loader
clean-loader:
	rm -f $(LOADER) $(LOADER_OBJS)
