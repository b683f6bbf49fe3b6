-- The control API for tests (location /__control/ in nginx.conf); never under /v*.
--   GET  /__control/requests  {"count":N,"requests":[{"method","path","query","status",
--                              "connection","protocol","user_agent"},...]}
--   POST /__control/reset     clears groups, faults and the request log
--   POST /__control/faults    queues a fault (see faults.lua)
--   GET  /__control/groups    [group, ...] in creation order
local cjson = require "cjson.safe"
local faults = require "fake_graph.faults"
local reqlog = require "fake_graph.reqlog"
local respond = require "fake_graph.respond"
local request = require "fake_graph.request"
local store = require "fake_graph.store"

-- cjson (upstream 2.1.0) encodes an empty table as {}: arrays are written by hand.
local function json_array(list)
  if #list == 0 then return "[]" end
  return cjson.encode(list)
end

local function answer(status, json)
  return { status = status, body = json }
end

local ROUTES = {}

ROUTES["GET /__control/requests"] = function()
  local count, list = reqlog.snapshot()
  return answer(200, string.format('{"count":%d,"requests":%s}', count, json_array(list)))
end

ROUTES["POST /__control/reset"] = function()
  store.reset()
  return answer(200, '{"reset":true}')
end

ROUTES["POST /__control/faults"] = function()
  local spec, err = request.json_body()
  local id
  if spec then id, err = faults.add(spec) end
  if not id then return answer(400, cjson.encode({ error = err })) end
  return answer(200, cjson.encode({ id = id }))
end

ROUTES["GET /__control/groups"] = function()
  return answer(200, json_array(store.list_groups()))
end

local M = {}

function M.handle()
  local route = ROUTES[ngx.req.get_method() .. " " .. ngx.var.uri]
  if not route then
    return respond.send(answer(404, '{"error":"unknown control endpoint"}'))
  end
  return respond.send(route())
end

return M
