-- Reading the JSON body of the current request.
local cjson = require "cjson.safe"

local M = {}

-- The decoded body ({} when there is none), or nil and a details message. Like Graph, any body
-- that parses is accepted whatever its Content-Type.
function M.json_body()
  ngx.req.read_body()
  -- Never nil for a non-empty body: nginx.conf keeps bodies in memory (client_body_buffer_size).
  local raw = ngx.req.get_body_data()
  if raw == nil then return {} end
  local body = cjson.decode(raw)
  if body == nil then return nil, "request body is not valid JSON" end
  return body
end

return M
