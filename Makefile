# lua-whatsapp-groups: build, test, demo and install.
# Every knob is ?= and uses LuaRocks' names, so `luarocks make` and packagers can set them.

LUA ?= lua5.4
# LuaRocks passes the interpreter's path (/usr/bin/lua5.4); what follows needs its name.
LUA_NAME := $(notdir $(LUA))
ifeq ($(LUA_NAME),luajit)
LUA_INCDIR ?= /usr/include/luajit-2.1
LUA_ABI ?= 5.1
else
LUA_INCDIR ?= /usr/include/$(LUA_NAME)
LUA_ABI ?= $(patsubst lua%,%,$(LUA_NAME))
endif

PREFIX ?= /usr/local
INST_LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_ABI)
INST_LUADIR ?= $(PREFIX)/share/lua/$(LUA_ABI)
# The nginx snippet (whatsapp_graph.conf, to include in the location the subrequests go
# to) and the examples; a rock puts them in its own conf/ and examples/.
INST_CONFDIR ?= $(PREFIX)/share/lua-whatsapp-groups
INST_EXAMPLEDIR ?= $(INST_CONFDIR)/examples
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WARNFLAGS ?= -std=c99 -Wall -Wextra -Werror -pedantic
CURL_CFLAGS ?= $(shell pkg-config --cflags libcurl)
CURL_LIBS ?= $(shell pkg-config --libs libcurl)
CRYPTO_CFLAGS ?= $(shell pkg-config --cflags libssl libcrypto)
CRYPTO_LIBS ?= $(shell pkg-config --libs libssl libcrypto)
LIBFLAG ?= -shared
SANFLAGS ?=

BUILD ?= build/$(LUA_NAME)
MODULE := $(BUILD)/whatsapp/groups/core.so
CORE_SRC := $(wildcard src/core/*.c)
LUA_SRC := $(wildcard src/lua/*.c)
HEADERS := $(wildcard src/core/*.h src/lua/*.h)
GROUPS_LUA := $(wildcard src/whatsapp/groups/*.lua)
EXAMPLES := $(wildcard examples/*.lua)
OPENRESTY_EXAMPLES := $(wildcard examples/openresty/*)
NGINX_SNIPPET := examples/openresty/whatsapp_graph.conf

ALL_CFLAGS = $(WARNFLAGS) -D_POSIX_C_SOURCE=200809L -fPIC -fvisibility=hidden \
             $(CFLAGS) $(SANFLAGS) -Isrc/core -Isrc/lua -I$(LUA_INCDIR) $(CURL_CFLAGS) $(CRYPTO_CFLAGS)

# What tests, the demo and examples need to find the module and the fake server.
export FAKE_GRAPH_PORT ?= 8089
export FAKE_GRAPH_TLS_PORT ?= 8443
export FAKE_GRAPH_DIR ?= $(CURDIR)/build/fake-graph
RUN_ENV = LUA=$(LUA) LUA_PATH="$(CURDIR)/src/?.lua;$(CURDIR)/spec/?.lua;;" \
          LUA_CPATH="$(CURDIR)/$(BUILD)/?.so;;"
BUSTED ?= $(LUA) /usr/bin/busted
BUSTED_FLAGS ?=

.PHONY: all bench test test-all test-openresty test-redis openresty-example openresty-example-stop demo flow install uninstall lint clean deps fake-graph fake-graph-stop check-valgrind check-asan runtimes version check-version docs

all: $(MODULE)

# Built straight from the sources, so no objects are left in the tree (LuaRocks builds
# through this rule too). A core.so and Lua files of two releases refuse each other, so
# each build checks that the release written into them is VERSION's.
$(MODULE): $(CORE_SRC) $(LUA_SRC) $(HEADERS) VERSION
	@bash .ci/version --check
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LIBFLAG) -o $@ $(CORE_SRC) $(LUA_SRC) $(CURL_LIBS) $(CRYPTO_LIBS) $(LDFLAGS)

deps:
	bash .ci/deps

# VERSION is the release's one source: `make version` writes it into the C header, the
# Lua files and the rockspec (renamed); every build checks they agree.
version:
	bash .ci/version

check-version:
	@bash .ci/version --check

fake-graph:
	bash spec/fake_graph/start.sh

fake-graph-stop:
	bash spec/fake_graph/stop.sh

# Starts the fake Graph server, runs the suite, stops the server whatever happened. The
# nginx and Redis specs run only from their own targets, which start what they talk to:
# their ports are taken out of the suite's environment (make exports command-line ones).
test: all
	@bash spec/fake_graph/start.sh >/dev/null
	@env -u OPENRESTY_PORT -u REDIS_PORT $(RUN_ENV) $(BUSTED) $(BUSTED_FLAGS) spec; rc=$$?; \
	  bash spec/fake_graph/stop.sh; exit $$rc

RUNTIMES ?= lua5.1 lua5.2 lua5.3 lua5.4 luajit

# The runtimes, for .ci/run.
runtimes:
	@echo $(RUNTIMES)

# The suite on every runtime, one after another (each builds its own module), then inside
# nginx, then against Redis.
test-all:
	@for lua in $(RUNTIMES); do echo "== $$lua"; $(MAKE) -s test LUA=$$lua || exit 1; done
	@echo "== openresty"; $(MAKE) -s test-openresty
	@echo "== redis"; $(MAKE) -s test-redis

# The client inside nginx (LuaJIT): the fake Graph server, our two nginx (the spec's and
# examples/openresty's, see spec/openresty/start.sh), the spec; all stopped whatever happened.
OPENRESTY_PORT ?= 8090
OPENRESTY_EXAMPLE_PORT ?= 8091
# Given on make's command line they would reach every recipe, and spec/20 would then run in
# `make test` against nginx instances that only test-openresty starts: OPENRESTY_ENV passes
# them where they belong.
unexport OPENRESTY_PORT OPENRESTY_EXAMPLE_PORT
OPENRESTY_ENV = OPENRESTY_PORT=$(OPENRESTY_PORT) OPENRESTY_EXAMPLE_PORT=$(OPENRESTY_EXAMPLE_PORT)
test-openresty:
	@$(MAKE) -s all LUA=luajit
	@bash spec/fake_graph/start.sh >/dev/null
	@$(OPENRESTY_ENV) bash spec/openresty/start.sh && $(OPENRESTY_ENV) LUA=luajit \
	  LUA_PATH="$(CURDIR)/src/?.lua;$(CURDIR)/spec/?.lua;;" LUA_CPATH="$(CURDIR)/build/luajit/?.so;;" \
	  luajit /usr/bin/busted $(BUSTED_FLAGS) spec/20-openresty_spec.lua; \
	  rc=$$?; bash spec/openresty/stop.sh; bash spec/fake_graph/stop.sh; exit $$rc

# examples/openresty as deployed (4 workers sharing a lua_shared_dict) on
# OPENRESTY_EXAMPLE_PORT, against the Graph API at GRAPH_BASE_URL: by default the fake
# server (start it with make fake-graph); see examples/openresty/run.sh for the rest.
GRAPH_BASE_URL ?= https://localhost:$(FAKE_GRAPH_TLS_PORT)
openresty-example:
	@$(MAKE) -s all LUA=luajit
	@GRAPH_BASE_URL=$(GRAPH_BASE_URL) OPENRESTY_EXAMPLE_PORT=$(OPENRESTY_EXAMPLE_PORT) \
	  bash examples/openresty/run.sh start

openresty-example-stop:
	@bash examples/openresty/run.sh stop

# The Redis store against a redis-server of its own on REDIS_PORT (spec/redis.sh), with
# Debian's lua-redis (packaged for Lua 5.1-5.3, so LuaJIT here): spec/31-redis_spec.lua
# starts and stops the server, and this stops it again whatever happened.
REDIS_PORT ?= 6399
REDIS_LUA ?= luajit
test-redis:
	@$(MAKE) -s all LUA=$(REDIS_LUA)
	@bash spec/fake_graph/start.sh >/dev/null
	@REDIS_PORT=$(REDIS_PORT) LUA=$(REDIS_LUA) LUA_PATH="$(CURDIR)/src/?.lua;$(CURDIR)/spec/?.lua;;" \
	  LUA_CPATH="$(CURDIR)/build/$(REDIS_LUA)/?.so;;" $(REDIS_LUA) /usr/bin/busted $(BUSTED_FLAGS) \
	  spec/31-redis_spec.lua; rc=$$?; REDIS_PORT=$(REDIS_PORT) bash spec/redis.sh stop; \
	  bash spec/fake_graph/stop.sh; exit $$rc

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

# The API reference (config.ld: the Lua modules and docs/*.luadoc) into $(DOCS); any LDoc
# warning fails it. LDoc runs on Lua 5.1, where Debian's markdown.lua is.
LDOC ?= lua5.1 /usr/bin/ldoc
DOCS ?= build/docs
docs:
	@mkdir -p $(DOCS)
	@$(LDOC) --fatalwarnings --dir $(DOCS) . >$(DOCS)/ldoc.log 2>&1 || { cat $(DOCS)/ldoc.log; exit 1; }
	@echo "docs: $(DOCS)/index.html, no LDoc warnings"

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
	install -d $(DESTDIR)$(INST_LIBDIR)/whatsapp/groups $(DESTDIR)$(INST_LUADIR)/whatsapp/groups \
	  $(DESTDIR)$(INST_CONFDIR) $(DESTDIR)$(INST_EXAMPLEDIR)/openresty
	install -m 0755 $(MODULE) $(DESTDIR)$(INST_LIBDIR)/whatsapp/groups/core.so
	install -m 0644 src/whatsapp/groups.lua $(DESTDIR)$(INST_LUADIR)/whatsapp/groups.lua
	install -m 0644 $(GROUPS_LUA) $(DESTDIR)$(INST_LUADIR)/whatsapp/groups/
	install -m 0644 $(NGINX_SNIPPET) $(DESTDIR)$(INST_CONFDIR)/
	install -m 0644 $(EXAMPLES) $(DESTDIR)$(INST_EXAMPLEDIR)/
	install -m 0644 $(OPENRESTY_EXAMPLES) $(DESTDIR)$(INST_EXAMPLEDIR)/openresty/

# Removes what install put there, then the directories it made if nothing else is in them
# (never the Lua trees or PREFIX themselves).
uninstall:
	rm -f $(DESTDIR)$(INST_LIBDIR)/whatsapp/groups/core.so $(DESTDIR)$(INST_LUADIR)/whatsapp/groups.lua \
	  $(addprefix $(DESTDIR)$(INST_LUADIR)/whatsapp/groups/,$(notdir $(GROUPS_LUA))) \
	  $(DESTDIR)$(INST_CONFDIR)/$(notdir $(NGINX_SNIPPET)) \
	  $(addprefix $(DESTDIR)$(INST_EXAMPLEDIR)/,$(notdir $(EXAMPLES))) \
	  $(addprefix $(DESTDIR)$(INST_EXAMPLEDIR)/openresty/,$(notdir $(OPENRESTY_EXAMPLES)))
	rmdir $(DESTDIR)$(INST_LIBDIR)/whatsapp/groups $(DESTDIR)$(INST_LIBDIR)/whatsapp \
	  $(DESTDIR)$(INST_LUADIR)/whatsapp/groups $(DESTDIR)$(INST_LUADIR)/whatsapp \
	  $(DESTDIR)$(INST_EXAMPLEDIR)/openresty $(DESTDIR)$(INST_EXAMPLEDIR) $(DESTDIR)$(INST_CONFDIR) \
	  2>/dev/null || true

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
