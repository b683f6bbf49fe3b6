--- What it measures: the same create request written by hand with Debian's lua-curl
-- (`require "curl"`, Lua-cURL 0.3: Lua 5.1/5.2 ABI, so LuaJIT and Lua 5.1) and
-- lua-cjson: one easy handle reused (keep-alive), the body encoded and the answer decoded
-- per call, the status read from the status line (this binding has no getinfo).
-- Usage: luajit luacurl_create.lua BASE_URL CALLS [WARMUP]
local bench = require "benchlib"
local cjson = require "cjson"
local curl = require "curl"

local base_url, calls, warmup = bench.args()
local e = curl.easy_init()
local chunks, n, status = {}, 0, nil

e:setopt(curl.OPT_URL, bench.create_url(base_url))
e:setopt(curl.OPT_NOSIGNAL, 1)
e:setopt(curl.OPT_USERAGENT, "lua-whatsapp-groups/0.1.0")
e:setopt(curl.OPT_ACCEPT_ENCODING, "")
e:setopt(curl.OPT_HTTPHEADER, {
  "Authorization: Bearer " .. bench.TOKEN, "Accept: application/json", "Expect:",
  "Content-Type: application/json",
})
e:setopt(curl.OPT_WRITEFUNCTION, function(data, len)
  n = n + 1
  chunks[n] = data
  return len
end)
e:setopt(curl.OPT_HEADERFUNCTION, function(line, len)
  if line:sub(1, 5) == "HTTP/" then status = tonumber(line:match "^%S+ (%d%d%d)") end
  return len
end)

bench.run(calls, warmup, function()
  e:setopt(curl.OPT_POSTFIELDS, cjson.encode(bench.create_body_table()))
  chunks, n = {}, 0
  e:perform()
  if status ~= 200 then error("HTTP " .. tostring(status)) end
  bench.check(cjson.decode(table.concat(chunks)), "Lua-cURL")
end)
