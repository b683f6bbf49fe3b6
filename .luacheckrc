std = "max"
files["spec"] = { std = "+busted" }
-- The fake Graph server runs inside nginx, where `ngx` is a global.
files["spec/fake_graph"] = { read_globals = { "ngx" } }
max_line_length = 110
