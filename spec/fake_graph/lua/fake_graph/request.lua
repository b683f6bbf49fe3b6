-- Reading the body of the current request.
local cjson = require "cjson.safe"
local errors = require "fake_graph.errors"
local validate = require "fake_graph.validate"

local M = {}

-- The body's bytes ("" when there is none).
function M.raw_body()
  ngx.req.read_body()
  -- Never nil for a non-empty body: nginx.conf keeps bodies in memory (client_body_buffer_size).
  return ngx.req.get_body_data() or ""
end

-- The decoded JSON body ({} when there is none), or nil and a details message. Like Graph, any body
-- that parses is accepted whatever its Content-Type.
function M.json_body()
  local raw = M.raw_body()
  if raw == "" then return {} end
  local body = cjson.decode(raw)
  if body == nil then return nil, "request body is not valid JSON" end
  return body
end

-- The body's values checked against a validate.lua schema, or nil and the 400 answer (code 100).
function M.validated(schema)
  local body, details = M.json_body()
  local values
  if body then values, details = validate.object(body, schema) end
  if not values then return nil, errors.invalid_parameter(details) end
  return values
end

return M
