-- Graph routes: /{version}/{path}, dispatched on method and a Lua pattern over the path after the
-- version. Add endpoints to ROUTES; a handler gets the pattern's captures and returns an answer
-- { status, body, headers? }.
local errors = require "fake_graph.errors"
local groups = require "fake_graph.groups"

local ROUTES = {
  { method = "POST", pattern = "^/(%d+)/groups$", handler = groups.create },
}

local M = {}

function M.dispatch(method, path)
  local rest = path:match("^/v%d+%.%d+(/.*)$")
  if not rest then return errors.unknown_path(path) end
  for _, route in ipairs(ROUTES) do
    if route.method == method then
      local captures = { rest:match(route.pattern) }
      if captures[1] then return route.handler(unpack(captures)) end
    end
  end
  -- Graph treats the first component as a node id it cannot find or that lacks this edge.
  return errors.unsupported(method, rest:match("^/([^/]*)"))
end

return M
