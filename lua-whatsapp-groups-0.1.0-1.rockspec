rockspec_format = "3.0"
package = "lua-whatsapp-groups"
version = "0.1.0-1"
source = {
  url = "git+https://github.com/lua-whatsapp-groups/lua-whatsapp-groups.git",
  tag = "v0.1.0",
}
description = {
  summary = "Client for the WhatsApp Business Cloud API Groups endpoints",
  detailed = [[
A C core (validation, libcurl) with a thin Lua binding: create and manage WhatsApp
groups from Lua 5.1 to 5.4, LuaJIT and OpenResty, with structured errors, a safe twin
that returns nil, err, webhook verification and parsing, and a pump for game loops.
Needs libcurl 7.80 or later and OpenSSL.]],
  homepage = "https://github.com/lua-whatsapp-groups/lua-whatsapp-groups",
  license = "MIT",
  labels = { "whatsapp", "http", "api" },
}
dependencies = {
  "lua >= 5.1, < 5.5",
  "lua-cjson >= 2.1",
}
external_dependencies = {
  CURL = { header = "curl/curl.h", library = "curl" },
  OPENSSL = { header = "openssl/ssl.h", library = "ssl" },
}
-- The Makefile builds and installs, as `make && make install` do: one list of sources, the
-- module built straight from them (no objects left in the tree), and the nginx snippet
-- and the examples installed with the modules (into the rock's conf/ and examples/).
build = {
  type = "make",
  build_variables = {
    LUA = "$(LUA)",
    LUA_INCDIR = "$(LUA_INCDIR)",
    CFLAGS = "$(CFLAGS)",
    LIBFLAG = "$(LIBFLAG)",
    CURL_CFLAGS = "-I$(CURL_INCDIR)",
    CURL_LIBS = "-L$(CURL_LIBDIR) -lcurl",
    CRYPTO_CFLAGS = "-I$(OPENSSL_INCDIR)",
    CRYPTO_LIBS = "-L$(OPENSSL_LIBDIR) -lssl -lcrypto",
  },
  install_variables = {
    LUA = "$(LUA)",
    INST_LIBDIR = "$(LIBDIR)",
    INST_LUADIR = "$(LUADIR)",
    INST_CONFDIR = "$(CONFDIR)",
    INST_EXAMPLEDIR = "$(PREFIX)/examples",
  },
}
-- Run by the Lua luarocks was asked for (--lua-version): the suite on that Lua.
test = {
  type = "command",
  script = "spec/luarocks_test.lua",
}
