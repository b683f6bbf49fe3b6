# libFuzzer targets (clang): `make fuzz` builds them into build/fuzz/ and runs each for
# FUZZ_SECONDS from its seed corpus fuzz/corpus/<target>/. New corpus entries and crash
# inputs go to build/fuzz/, never into the committed corpus. Included by the Makefile.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_BUILD ?= build/fuzz
FUZZ_LUA_INCDIR ?= /usr/include/lua5.4
FUZZ_LUA_LIBS ?= -l:liblua5.4-cjson.a -llua5.4 -lm
FUZZ_SAN ?= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS ?= -g -O1 -fno-omit-frame-pointer

# Core-only targets, then those that embed Lua (webhook.lua, prepare, settle).
FUZZ_CORE_TARGETS := text url jpeg hmac verdict multipart
FUZZ_LUA_TARGETS := webhook prepare settle
FUZZ_TARGETS := $(FUZZ_CORE_TARGETS) $(FUZZ_LUA_TARGETS)

FUZZ_CORE_OBJ := $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(wildcard src/core/*.c))
FUZZ_BINDING_OBJ := $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(wildcard src/lua/*.c)) \
                    $(FUZZ_BUILD)/obj/fuzz/lua_host.o
FUZZ_BINS := $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_TARGETS))

# The project's sources get the instrumentation but not -Werror (clang may warn where the
# project's gcc build does not; `make lint` judges them); our targets get both.
FUZZ_COMMON = -std=c99 -D_POSIX_C_SOURCE=200809L $(FUZZ_CFLAGS) $(FUZZ_SAN) \
              -Isrc/core -Isrc/lua -Ifuzz -I$(FUZZ_LUA_INCDIR) $(CURL_CFLAGS) \
              -DFUZZ_ROOT='"$(CURDIR)"'

.PHONY: fuzz fuzz-build

fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BUILD)/obj/%.o: src/%.c $(wildcard src/core/*.h src/lua/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_COMMON) -Wall -Wextra -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/obj/fuzz/%.o: fuzz/%.c $(wildcard fuzz/*.h src/core/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_COMMON) -Wall -Wextra -Werror -pedantic -fsanitize=fuzzer-no-link \
	  -c -o $@ $<

$(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_CORE_TARGETS)): $(FUZZ_BUILD)/fuzz_%: \
  $(FUZZ_BUILD)/obj/fuzz/fuzz_%.o $(FUZZ_CORE_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(CURL_LIBS) $(CRYPTO_LIBS)

$(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_LUA_TARGETS)): $(FUZZ_BUILD)/fuzz_%: \
  $(FUZZ_BUILD)/obj/fuzz/fuzz_%.o $(FUZZ_CORE_OBJ) $(FUZZ_BINDING_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LUA_LIBS) \
	  $(CURL_LIBS) $(CRYPTO_LIBS)
