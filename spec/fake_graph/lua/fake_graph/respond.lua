-- Sending an answer: { status, body = table (sent as JSON) or string, content_type?, headers? }.
-- luacheck: globals ngx (ngx.var, ngx.status and ngx.header are writable)
local json = require "fake_graph.json"

local M = {}

local JSON = "application/json; charset=UTF-8" -- what Graph sends

-- Closes the connection without any answer (HTTP/2: resets the stream).
function M.close()
  return ngx.exit(444)
end

-- A JSON body of exactly size bytes ({"pad":"xxx..."}), streamed so that nginx never holds it;
-- announced by Content-Length, or (unannounced) sent chunked: a client then learns its size
-- only by reading it.
local function send_large(size, unannounced)
  local chunk = string.rep("x", 65536)
  if not unannounced then ngx.header["Content-Length"] = size end
  ngx.print('{"pad":"')
  local left = size - 10
  while left > 0 do
    local n = math.min(left, #chunk)
    ngx.print(n == #chunk and chunk or chunk:sub(1, n))
    ngx.flush(true)
    left = left - n
  end
  ngx.print('"}')
  return ngx.exit(ngx.HTTP_OK)
end

-- The body a few bytes at a time, with a pause between: a slow but live server.
local function send_drip(body, pause)
  for i = 1, #body, 8 do
    ngx.print(body:sub(i, i + 7))
    ngx.flush(true)
    ngx.sleep(pause)
  end
  return ngx.exit(ngx.HTTP_OK)
end

-- A fault may shape how the answer goes out: truncate (Content-Length announces the whole
-- body but only its first half is sent before the connection is closed), drip (slowly).
function M.send(res, fault)
  fault = fault or {}
  local body = res.body or ""
  if type(body) == "table" then body = json.encode(body) end
  ngx.status = res.status
  ngx.header["Content-Type"] = res.content_type or JSON
  -- What Graph puts on every answer: the version that served it, and a trace id.
  ngx.header["facebook-api-version"] = ngx.var.uri:match "^/(v%d+%.%d+)/"
  ngx.header["x-fb-trace-id"] = string.format("Fb%08x", math.random(0, 0x7fffffff))
  for name, value in pairs(res.headers or {}) do
    ngx.header[name] = value
  end
  if res.large then return send_large(res.large) end
  if res.chunked then return send_large(res.chunked, true) end
  ngx.header["Content-Length"] = #body
  if fault.truncate then
    ngx.print(body:sub(1, math.floor(#body / 2)))
    ngx.flush(true)
    return M.close()
  end
  if fault.drip then return send_drip(body, fault.drip) end
  ngx.print(body)
  return ngx.exit(ngx.HTTP_OK)
end

return M
