std = "max"
-- Table-driven specs keep one case a line.
files["spec"] = { std = "+busted", max_line_length = 130 }
-- The fake Graph server runs inside nginx, where `ngx` is a global.
files["spec/fake_graph"] = { read_globals = { "ngx" } }
max_line_length = 110
-- The nginx transport, its spec's handlers and the OpenResty example run inside nginx too.
files["src/whatsapp/groups/resty.lua"] = { std = "+ngx_lua" }
files["spec/openresty"] = { std = "+ngx_lua" }
files["examples/openresty"] = { std = "+ngx_lua" }
