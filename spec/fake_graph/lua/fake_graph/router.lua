-- Graph routes: /{version}/{path}, dispatched on method and a Lua pattern over the path after the
-- version. Add endpoints to ROUTES; a handler gets the pattern's captures and returns an answer
-- { status, body, headers? }. The first route that matches wins: the number's edges come before
-- the group node, whose id may be any segment.
local errors = require "fake_graph.errors"
local group_info = require "fake_graph.group_info"
local group_settings = require "fake_graph.group_settings"
local groups = require "fake_graph.groups"
local invite_link = require "fake_graph.invite_link"
local join_requests = require "fake_graph.join_requests"
local media = require "fake_graph.media"
local messages = require "fake_graph.messages"
local participants = require "fake_graph.participants"

local ROUTES = {
  { method = "POST", pattern = "^/(%d+)/groups$", handler = groups.create },
  { method = "GET", pattern = "^/(%d+)/groups$", handler = groups.list },
  { method = "POST", pattern = "^/(%d+)/messages$", handler = messages.send },
  { method = "POST", pattern = "^/(%d+)/media$", handler = media.upload },
  { method = "GET", pattern = "^/([^/]+)/invite_link$", handler = invite_link.get },
  { method = "POST", pattern = "^/([^/]+)/invite_link$", handler = invite_link.reset },
  { method = "DELETE", pattern = "^/([^/]+)/invite_link$", handler = invite_link.delete },
  { method = "DELETE", pattern = "^/([^/]+)/participants$", handler = participants.remove },
  { method = "GET", pattern = "^/([^/]+)/join_requests$", handler = join_requests.list },
  { method = "POST", pattern = "^/([^/]+)/join_requests$", handler = join_requests.approve },
  { method = "DELETE", pattern = "^/([^/]+)/join_requests$", handler = join_requests.reject },
  { method = "GET", pattern = "^/([^/]+)$", handler = group_info.get },
  { method = "POST", pattern = "^/([^/]+)$", handler = group_settings.update },
  { method = "DELETE", pattern = "^/([^/]+)$", handler = groups.delete },
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
