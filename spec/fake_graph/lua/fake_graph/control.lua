-- The control API for tests (location /__control/ in nginx.conf); never under /v*.
--   GET  /__control/requests  {"count":N,"requests":[{"method","path","query","status",
--                              "connection","protocol","user_agent","at"},...]} (at: arrival,
--                              seconds since the epoch)
--   POST /__control/reset     clears groups, faults, the request log and the webhook settings
--   POST /__control/faults    queues a fault (see faults.lua)
--   DELETE /__control/faults  drops the queued faults (the rest of the state stays)
--   GET  /__control/groups    [group, ...] in creation order, with participants, join requests,
--                             pins, invite_link (absent once deleted) and removed users
--   POST /__control/webhooks  {"url":"http://127.0.0.1:PORT/path" or null,"app_secret"?,
--                             "copies"?}: where webhooks go from now on (null: nowhere), signed
--                             with app_secret (default: $FAKE_GRAPH_APP_SECRET, else
--                             "test-app-secret"), each POSTed copies times (default 1: Meta
--                             delivers at least once)
--   GET  /__control/webhooks  {"url","count":N,"deliveries":[{"field","type","status","error"}]}
--   POST /__control/join      {"group_id","wa_id","user_id"?}: the user taps the invite link;
--                             answers {"participant":true} or {"join_request_id":"..."}
--   POST /__control/leave     {"group_id","wa_id"}: the participant leaves
--   POST /__control/suspend   {"group_id","suspended":true|false}
--   GET  /__control/media     {"count":N,"media":[{"id","phone_number_id","type","bytes","sha256"}]}:
--                             the files POST /{v}/{phone}/media took
-- Refusals answer 4xx with {"error":"..."}.
local delivery = require "fake_graph.delivery"
local faults = require "fake_graph.faults"
local json = require "fake_graph.json"
local lock = require "fake_graph.lock"
local media = require "fake_graph.media"
local reqlog = require "fake_graph.reqlog"
local request = require "fake_graph.request"
local respond = require "fake_graph.respond"
local store = require "fake_graph.store"
local users = require "fake_graph.users"
local webhooks = require "fake_graph.webhooks"

local function answer(status, body)
  return { status = status, body = body }
end

local function bad_request(message)
  return answer(400, { error = message })
end

-- A handler of a control call with a JSON body gets the decoded body.
local function with_body(handler)
  return function()
    local body, err = request.json_body()
    if not body then return bad_request(err) end
    return handler(body)
  end
end

local ROUTES = {}

ROUTES["GET /__control/requests"] = function()
  local count, list = reqlog.snapshot()
  return answer(200, { count = count, requests = json.array(list) })
end

ROUTES["POST /__control/reset"] = function()
  store.reset()
  return answer(200, { reset = true })
end

ROUTES["POST /__control/faults"] = with_body(function(spec)
  local id, err = faults.add(spec)
  if not id then return bad_request(err) end
  return answer(200, { id = id })
end)

ROUTES["DELETE /__control/faults"] = function()
  faults.clear()
  return answer(200, { cleared = true })
end

ROUTES["GET /__control/groups"] = function()
  return answer(200, json.array(store.list_groups()))
end

ROUTES["POST /__control/webhooks"] = with_body(function(body)
  for name in pairs(body) do
    if name ~= "url" and name ~= "app_secret" and name ~= "copies" then
      return bad_request(tostring(name) .. ": unknown field")
    end
  end
  local copies = body.copies
  if copies ~= nil and (type(copies) ~= "number" or copies < 1 or copies > 10 or copies % 1 ~= 0) then
    return bad_request("copies: must be a whole number from 1 to 10")
  end
  if body.app_secret ~= nil and (type(body.app_secret) ~= "string" or body.app_secret == "") then
    return bad_request("app_secret: must be a non-empty string")
  end
  local url = body.url
  if url == json.null then url = nil end
  local ok, err = webhooks.configure(url, body.app_secret, copies)
  if not ok then return bad_request(err) end
  return answer(200, { url = webhooks.url() or json.null })
end)

ROUTES["GET /__control/webhooks"] = function()
  local count, list = delivery.log()
  return answer(200, { url = webhooks.url() or json.null, count = count, deliveries = list })
end

ROUTES["GET /__control/media"] = function()
  local count, list = media.log()
  return answer(200, { count = count, media = json.array(list) })
end

ROUTES["POST /__control/join"] = with_body(users.join)
ROUTES["POST /__control/leave"] = with_body(users.leave)
ROUTES["POST /__control/suspend"] = with_body(users.suspend)

local M = {}

function M.handle()
  local route = ROUTES[ngx.req.get_method() .. " " .. ngx.var.uri]
  if not route then
    return respond.send(answer(404, { error = "unknown control endpoint" }))
  end
  ngx.req.read_body() -- before the lock: reading may yield
  return respond.send(lock.run(route))
end

return M
