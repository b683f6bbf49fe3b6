-- Sending an answer: { status, body = table (sent as JSON) or string, content_type?, headers? }.
-- luacheck: globals ngx (ngx.var, ngx.status and ngx.header are writable)
local json = require "fake_graph.json"

local M = {}

local JSON = "application/json; charset=UTF-8" -- what Graph sends

-- Closes the connection without any answer (HTTP/2: resets the stream).
function M.close()
  return ngx.exit(444)
end

-- With truncate, Content-Length announces the whole body but only its first half is sent before
-- the connection is closed (the client sees a partial answer).
function M.send(res, truncate)
  local body = res.body or ""
  if type(body) == "table" then body = json.encode(body) end
  ngx.status = res.status
  ngx.header["Content-Type"] = res.content_type or JSON
  ngx.header["Content-Length"] = #body
  for name, value in pairs(res.headers or {}) do
    ngx.header[name] = value
  end
  if truncate then
    ngx.print(body:sub(1, math.floor(#body / 2)))
    ngx.flush(true)
    return M.close()
  end
  ngx.print(body)
  return ngx.exit(ngx.HTTP_OK)
end

return M
