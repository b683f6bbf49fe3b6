--- What it measures: the same create request with LuaSocket's `socket.http` and
-- lua-cjson, as many Lua scripts do it. socket.http sends `Connection: close`, so every
-- call opens a new TCP connection: that is part of what is measured.
-- Usage: lua luasocket_create.lua BASE_URL CALLS [WARMUP]
local bench = require "benchlib"
local cjson = require "cjson"
local http = require "socket.http"
local ltn12 = require "ltn12"

local base_url, calls, warmup = bench.args()
local url = bench.create_url(base_url)

bench.run(calls, warmup, function()
  local body, out = cjson.encode(bench.create_body_table()), {}
  local ok, status = http.request {
    url = url,
    method = "POST",
    headers = {
      authorization = "Bearer " .. bench.TOKEN, accept = "application/json",
      ["content-type"] = "application/json", ["content-length"] = tostring(#body),
      ["user-agent"] = "lua-whatsapp-groups/0.1.0",
    },
    source = ltn12.source.string(body),
    sink = ltn12.sink.table(out),
  }
  if not ok or status ~= 200 then error("HTTP " .. tostring(status)) end
  bench.check(cjson.decode(table.concat(out)), "LuaSocket")
end)
