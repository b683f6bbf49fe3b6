--- What it measures: one blocking `client:create{...}` of lua-whatsapp-groups per call,
-- over the client's kept-alive connection, on whichever Lua runs this script (the
-- module built for it must be on LUA_CPATH, src/ on LUA_PATH).
-- Usage: lua lib_create.lua BASE_URL CALLS [WARMUP]
local bench = require "benchlib"

local base_url, calls, warmup = bench.args()
local client = bench.client(base_url)

bench.run(calls, warmup, function()
  bench.check(client:create(bench.create_args()), "lua-whatsapp-groups")
end)
client:close()
