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
groups from Lua 5.1 to 5.4 and LuaJIT, with structured errors and a safe twin that
returns nil, err.]],
  license = "MIT",
  labels = { "whatsapp", "http", "api" },
}
dependencies = {
  "lua >= 5.1, < 5.5",
  "lua-cjson >= 2.1",
}
external_dependencies = {
  CURL = { header = "curl/curl.h", library = "curl" },
  OPENSSL = { header = "openssl/ssl.h" },
}
build = {
  type = "builtin",
  modules = {
    ["whatsapp.groups"] = "src/whatsapp/groups.lua",
    ["whatsapp.groups.async"] = "src/whatsapp/groups/async.lua",
    ["whatsapp.groups.client"] = "src/whatsapp/groups/client.lua",
    ["whatsapp.groups.resty"] = "src/whatsapp/groups/resty.lua",
    ["whatsapp.groups.safe"] = "src/whatsapp/groups/safe.lua",
    ["whatsapp.groups.webhook"] = "src/whatsapp/groups/webhook.lua",
    ["whatsapp.groups.core"] = {
      sources = {
        "src/core/wa_buf.c", "src/core/wa_clock.c", "src/core/wa_codes.c",
        "src/core/wa_field.c", "src/core/wa_hmac.c", "src/core/wa_http.c",
        "src/core/wa_ident.c", "src/core/wa_jpeg.c", "src/core/wa_multi.c",
        "src/core/wa_multipart.c", "src/core/wa_ops.c",
        "src/core/wa_retry.c", "src/core/wa_tls.c", "src/core/wa_url.c", "src/core/wa_utf8.c",
        "src/core/wa_verdict.c", "src/core/wa_verr.c", "src/core/wa_watch.c",
        "src/lua/lwa_args.c", "src/lua/lwa_async.c", "src/lua/lwa_call.c",
        "src/lua/lwa_client.c",
        "src/lua/lwa_compat.c", "src/lua/lwa_core.c", "src/lua/lwa_error.c",
        "src/lua/lwa_fields.c", "src/lua/lwa_json.c", "src/lua/lwa_message.c",
        "src/lua/lwa_picture.c", "src/lua/lwa_request.c", "src/lua/lwa_response.c",
        "src/lua/lwa_retry.c", "src/lua/lwa_transport.c", "src/lua/lwa_webhook.c",
      },
      defines = { "_POSIX_C_SOURCE=200809L" },
      incdirs = { "src/core", "src/lua", "$(CURL_INCDIR)", "$(OPENSSL_INCDIR)" },
      libdirs = { "$(CURL_LIBDIR)", "$(OPENSSL_LIBDIR)" },
      libraries = { "curl", "ssl", "crypto" },
    },
  },
}
test = {
  type = "command",
  command = "make test",
}
