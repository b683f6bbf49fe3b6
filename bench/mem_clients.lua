--- What it measures: the size of one client. Makes IDLE clients (default 1000) kept
-- open, then CONNECTED more that each made one create (so each holds a connection and
-- libcurl's buffers), and reads the Lua heap (collectgarbage "count", after a full
-- collection: the userdata and its tables) and the resident set size (VmRSS: that plus
-- the C side, libcurl's easy handle and our transport state) before and after each batch.
-- Usage: lua5.4 mem_clients.lua BASE_URL [IDLE [CONNECTED]]
-- Prints `what<TAB>clients<TAB>heap_kb_per_1000<TAB>rss_kb_per_1000` lines.
local bench = require "benchlib"

local base_url = assert(arg[1], "usage: mem_clients.lua BASE_URL [IDLE [CONNECTED]]")
local idle, connected = tonumber(arg[2] or "1000"), tonumber(arg[3] or "200")

local rss_kb = bench.rss_kb

local function sample()
  collectgarbage "collect"
  collectgarbage "collect"
  return collectgarbage "count", rss_kb()
end

-- One warm client first, so libcurl's and OpenSSL's one-time setup is not counted.
local kept = { bench.client(base_url) }
bench.check(kept[1]:create(bench.create_args()), "lua-whatsapp-groups")

local function batch(what, n, call)
  local heap0, rss0 = sample()
  for _ = 1, n do
    local c = bench.client(base_url)
    if call then bench.check(c:create(bench.create_args()), "lua-whatsapp-groups") end
    kept[#kept + 1] = c
  end
  local heap1, rss1 = sample()
  io.write(string.format("%s\t%d\t%.1f\t%.1f\n", what, n, (heap1 - heap0) * 1000 / n,
                         (rss1 - rss0) * 1000 / n))
end

batch("idle", idle, false)
batch("connected", connected, true)
for _, c in ipairs(kept) do c:close() end
