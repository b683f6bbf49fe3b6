--- What it measures: whether a long-running Lua process that makes create calls grows.
-- One client makes CALLS creates (default 100000) against the fake Graph server; the
-- resident set size (VmRSS of /proc/self/status) and the Lua heap
-- (collectgarbage "count") are read after a full collection at 1k, 10k, 25k, 50k and
-- the last call. The fake's state is reset (POST /__control/reset) every RESET_EVERY calls
-- so that its 64 MB shared dict never fills up.
-- Usage: lua5.4 mem_calls.lua BASE_URL [CALLS [RESET_EVERY]]
-- Prints `calls<TAB>rss_kb<TAB>heap_kb` lines.
local bench = require "benchlib"

local base_url = assert(arg[1], "usage: mem_calls.lua BASE_URL [CALLS [RESET_EVERY]]")
local calls, reset_every = tonumber(arg[2] or "100000"), tonumber(arg[3] or "5000")
local marks = { [1000] = true, [10000] = true, [25000] = true, [50000] = true, [calls] = true }

local rss_kb = bench.rss_kb

local function reset()
  bench.control(base_url, "reset")
end

local client = bench.client(base_url)
reset()
for i = 1, calls do
  bench.check(client:create(bench.create_args()), "lua-whatsapp-groups")
  if marks[i] then
    collectgarbage "collect"
    io.write(string.format("%d\t%d\t%.1f\n", i, rss_kb(), collectgarbage "count"))
    io.flush()
  end
  if i % reset_every == 0 then reset() end
end
client:close()
