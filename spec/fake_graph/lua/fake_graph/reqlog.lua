-- Log of Graph requests for tests: a count of arrivals and the last MAX entries.
-- An entry is written when the request arrives and completed with its status just before the
-- answer is sent, so a client that has its answer always finds it logged.
local cjson = require "cjson.safe"
local store = require "fake_graph.store"

local dict = store.dict
local MAX = 1000

local M = {}

-- Records an arriving request; returns the handle finish() needs.
-- connection and protocol let tests see keep-alive reuse and HTTP/2; scheme, whether a
-- request came in clear.
function M.arrive(method, path, query)
  local entry = {
    method = method, path = path, query = query,
    connection = tonumber(ngx.var.connection),
    protocol = ngx.var.server_protocol,
    scheme = ngx.var.scheme,
    user_agent = ngx.var.http_user_agent,
    at = ngx.now(),
  }
  local n = store.append("request", cjson.encode(entry), MAX)
  return { n = n, entry = entry, generation = store.generation() }
end

function M.finish(handle, status)
  if store.generation() ~= handle.generation then return end -- reset since: not ours to log
  handle.entry.status = status
  dict:set("request:" .. handle.n, cjson.encode(handle.entry))
end

-- Total count since the last reset, and the retained entries oldest first.
function M.snapshot()
  return store.recent("request", MAX, {})
end

return M
