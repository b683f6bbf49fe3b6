-- Bearer token check. The token is never echoed, in answers or in logs.
local errors = require "fake_graph.errors"

-- Read once per worker; nginx.conf passes the variable through with `env FAKE_GRAPH_TOKEN;`.
local TOKEN = os.getenv("FAKE_GRAPH_TOKEN")
if TOKEN == nil or TOKEN == "" then TOKEN = "test-token" end

local M = {}

-- nil if the request carries the accepted token, else the Graph error answer.
function M.check()
  local header = ngx.var.http_authorization
  if header == nil then return errors.token_missing() end
  local token = header:match("^[Bb][Ee][Aa][Rr][Ee][Rr]%s+(%S+)%s*$")
  if token ~= TOKEN then return errors.token_invalid() end
end

return M
