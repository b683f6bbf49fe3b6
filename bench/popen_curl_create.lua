--- What it measures: the same create request made by running the curl program once per
-- call through io.popen, as many Lua scripts do, the answer decoded with lua-cjson.
-- CPU time here is the Lua process's plus that of its reaped children (sh and curl,
-- from /proc/self/stat, in clock ticks of 10 ms): the work the script causes.
-- Usage: lua popen_curl_create.lua BASE_URL CALLS [WARMUP]
local bench = require "benchlib"
local cjson = require "cjson"

local base_url, calls, warmup = bench.args()
local url = bench.create_url(base_url)
local TICK = 0.01 -- sysconf(_SC_CLK_TCK) is 100 on Linux

-- cutime + cstime of /proc/self/stat (fields 16 and 17), in seconds.
local function children_cpu()
  local f = assert(io.open "/proc/self/stat")
  local stat = f:read "*l"
  f:close()
  local fields = {}
  for field in stat:gsub("^.*%) ", ""):gmatch "%S+" do fields[#fields + 1] = field end
  -- fields[1] is field 3 of the file (state): field k is fields[k - 2]
  return (tonumber(fields[14]) + tonumber(fields[15])) * TICK
end

local function call()
  local body = cjson.encode(bench.create_body_table())
  local command = "curl -sS -X POST -H 'Authorization: Bearer " .. bench.TOKEN .. "'"
    .. " -H 'Accept: application/json' -H 'Content-Type: application/json'"
    .. " -A 'lua-whatsapp-groups/0.1.0' -w '\\n%{http_code}'"
    .. " --data-binary '" .. body .. "' '" .. url .. "'"
  local p = assert(io.popen(command))
  local out = p:read "*a"
  p:close()
  local answer, status = out:match "^(.*)\n(%d+)$"
  if status ~= "200" then error("curl: " .. out) end
  bench.check(cjson.decode(answer), "curl")
end

bench.run(calls, warmup, call, children_cpu)
