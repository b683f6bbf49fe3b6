# lua-whatsapp-groups: build, test, demo and install.
# Every knob is ?= and uses LuaRocks' names, so `luarocks make` and packagers can set them.

LUA ?= lua5.4
ifeq ($(LUA),luajit)
LUA_INCDIR ?= /usr/include/luajit-2.1
LUA_ABI ?= 5.1
else
LUA_INCDIR ?= /usr/include/$(LUA)
LUA_ABI ?= $(patsubst lua%,%,$(LUA))
endif

PREFIX ?= /usr/local
INST_LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_ABI)
INST_LUADIR ?= $(PREFIX)/share/lua/$(LUA_ABI)
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WARNFLAGS ?= -std=c99 -Wall -Wextra -Werror -pedantic
CURL_CFLAGS ?= $(shell pkg-config --cflags libcurl)
CURL_LIBS ?= $(shell pkg-config --libs libcurl)
CRYPTO_LIBS ?= $(shell pkg-config --libs libssl libcrypto)
LIBFLAG ?= -shared
SANFLAGS ?=

BUILD ?= build/$(LUA)
MODULE := $(BUILD)/whatsapp/groups/core.so
CORE_SRC := $(wildcard src/core/*.c)
LUA_SRC := $(wildcard src/lua/*.c)
HEADERS := $(wildcard src/core/*.h src/lua/*.h)
GROUPS_LUA := $(wildcard src/whatsapp/groups/*.lua)

ALL_CFLAGS = $(WARNFLAGS) -D_POSIX_C_SOURCE=200809L -fPIC -fvisibility=hidden \
             $(CFLAGS) $(SANFLAGS) -Isrc/core -Isrc/lua -I$(LUA_INCDIR) $(CURL_CFLAGS)

# What tests, the demo and examples need to find the module and the fake server.
export FAKE_GRAPH_PORT ?= 8089
export FAKE_GRAPH_TLS_PORT ?= 8443
export FAKE_GRAPH_DIR ?= $(CURDIR)/build/fake-graph
RUN_ENV = LUA=$(LUA) LUA_PATH="$(CURDIR)/src/?.lua;$(CURDIR)/spec/?.lua;;" \
          LUA_CPATH="$(CURDIR)/$(BUILD)/?.so;;"
BUSTED ?= $(LUA) /usr/bin/busted
BUSTED_FLAGS ?=

.PHONY: all bench test test-all test-openresty demo flow install uninstall lint clean deps fake-graph fake-graph-stop check-valgrind check-asan runtimes

all: $(MODULE)

$(MODULE): $(CORE_SRC) $(LUA_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LIBFLAG) -o $@ $(CORE_SRC) $(LUA_SRC) $(CURL_LIBS) $(CRYPTO_LIBS) $(LDFLAGS)

deps:
	bash .ci/deps

fake-graph:
	bash spec/fake_graph/start.sh

fake-graph-stop:
	bash spec/fake_graph/stop.sh

# Starts the fake Graph server, runs the suite, stops the server whatever happened.
test: all
	@bash spec/fake_graph/start.sh >/dev/null
	@$(RUN_ENV) $(BUSTED) $(BUSTED_FLAGS) spec; rc=$$?; bash spec/fake_graph/stop.sh; exit $$rc

RUNTIMES ?= lua5.1 lua5.2 lua5.3 lua5.4 luajit

# The runtimes, for .ci/run.
runtimes:
	@echo $(RUNTIMES)

# The suite on every runtime, one after another (each builds its own module), then inside nginx.
test-all:
	@for lua in $(RUNTIMES); do echo "== $$lua"; $(MAKE) -s test LUA=$$lua || exit 1; done
	@echo "== openresty"; $(MAKE) -s test-openresty

# The client inside nginx (LuaJIT): the fake Graph server, our two nginx (the spec's and
# examples/openresty's, see spec/openresty/start.sh), the spec; all stopped whatever happened.
OPENRESTY_PORT ?= 8090
OPENRESTY_EXAMPLE_PORT ?= 8091
OPENRESTY_ENV = OPENRESTY_PORT=$(OPENRESTY_PORT) OPENRESTY_EXAMPLE_PORT=$(OPENRESTY_EXAMPLE_PORT)
test-openresty:
	@$(MAKE) -s all LUA=luajit
	@bash spec/fake_graph/start.sh >/dev/null
	@$(OPENRESTY_ENV) bash spec/openresty/start.sh && $(OPENRESTY_ENV) LUA=luajit \
	  LUA_PATH="$(CURDIR)/src/?.lua;$(CURDIR)/spec/?.lua;;" LUA_CPATH="$(CURDIR)/build/luajit/?.so;;" \
	  luajit /usr/bin/busted $(BUSTED_FLAGS) spec/20-openresty_spec.lua; \
	  rc=$$?; bash spec/openresty/stop.sh; bash spec/fake_graph/stop.sh; exit $$rc

# The examples' environment: the fake server's token and number, and its address.
EXAMPLE_ENV = WHATSAPP_TOKEN=test-token WHATSAPP_PHONE_NUMBER_ID=106540352242922 \
  WHATSAPP_BASE_URL=http://127.0.0.1:$(FAKE_GRAPH_PORT) $(RUN_ENV)

demo: deps all
	@bash spec/fake_graph/start.sh
	@$(EXAMPLE_ENV) $(LUA) examples/create_group.lua; rc=$$?; \
	  echo "fake server saw: $$(tail -n 1 $(FAKE_GRAPH_DIR)/logs/graph-access.log)"; \
	  bash spec/fake_graph/stop.sh; exit $$rc

# Benchmarks against a fake Graph server of their own (ports 18189/18543): writes
# bench/RESULTS.md, bench/per_call.png, bench/concurrency.png and bench/scale.png; see
# bench/run.sh.
bench: deps
	bash bench/run.sh

# The whole group life cycle with real signed webhooks, against the fake Graph server.
flow: all
	@bash spec/fake_graph/start.sh
	@$(EXAMPLE_ENV) $(LUA) examples/group_flow.lua; rc=$$?; bash spec/fake_graph/stop.sh; exit $$rc

# The suite under valgrind: any leak or memory error in our code fails it.
VALGRIND = valgrind --quiet --error-exitcode=99 --leak-check=full \
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
  --suppressions=.ci/valgrind.supp
check-valgrind:
	@$(MAKE) -s test BUSTED="$(VALGRIND) $(BUSTED)"

# clang-tidy runs one file at a time: in one batch, clang 14's analyzer carries va_list
# state across files and reports a false positive.
lint:
	luacheck src spec examples fuzz bench
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
	  --std=c99 --inline-suppr -Isrc/core -Isrc/lua src/core src/lua
	@for f in $(CORE_SRC) $(LUA_SRC); do \
	  clang-tidy --quiet $$f -- -std=c99 -D_POSIX_C_SOURCE=200809L -Isrc/core -Isrc/lua \
	    -I$(LUA_INCDIR) $(CURL_CFLAGS) || exit 1; done

install: all
	install -d $(DESTDIR)$(INST_LIBDIR)/whatsapp/groups $(DESTDIR)$(INST_LUADIR)/whatsapp/groups
	install -m 0755 $(MODULE) $(DESTDIR)$(INST_LIBDIR)/whatsapp/groups/core.so
	install -m 0644 src/whatsapp/groups.lua $(DESTDIR)$(INST_LUADIR)/whatsapp/groups.lua
	install -m 0644 $(GROUPS_LUA) $(DESTDIR)$(INST_LUADIR)/whatsapp/groups/

uninstall:
	rm -f $(DESTDIR)$(INST_LIBDIR)/whatsapp/groups/core.so $(DESTDIR)$(INST_LUADIR)/whatsapp/groups.lua \
	  $(addprefix $(DESTDIR)$(INST_LUADIR)/whatsapp/groups/,$(notdir $(GROUPS_LUA)))

clean:
	rm -rf build

# The suite against an ASan + UBSan build of the module (the interpreter is not
# instrumented, so the runtime is preloaded). Any report fails the run.
ASAN_BUILD = build/asan-$(LUA)
check-asan:
	@$(MAKE) -s test BUILD=$(ASAN_BUILD) CC=gcc CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  BUSTED="env LD_PRELOAD='$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)' \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUSTED)"

# The suite with the garbage collector running all the time (spec/gc_stress.lua, as in
# luv's CI), on Lua 5.4 and LuaJIT: a C function that keeps using a Lua value it no longer
# anchors fails here, not in production.
GC_RUNTIMES ?= lua5.4 luajit
.PHONY: check-gc
check-gc:
	@for lua in $(GC_RUNTIMES); do echo "== $$lua"; $(MAKE) -s test LUA=$$lua \
	  BUSTED="$$lua -e 'dofile \"$(CURDIR)/spec/gc_stress.lua\"' /usr/bin/busted" || exit 1; done

# libFuzzer targets (clang): `make fuzz FUZZ_SECONDS=30`; see fuzz/fuzz.mk.
include fuzz/fuzz.mk
