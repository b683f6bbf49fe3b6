-- Entry point of every Graph request (location / in nginx.conf): log it, apply any queued fault,
-- else check the token and route.
-- luacheck: globals ngx (ngx.var, ngx.status and ngx.header are writable)
local auth = require "fake_graph.auth"
local faults = require "fake_graph.faults"
local lock = require "fake_graph.lock"
local reqlog = require "fake_graph.reqlog"
local respond = require "fake_graph.respond"
local router = require "fake_graph.router"
local store = require "fake_graph.store"

local M = {}

-- Graph also takes the token as a query parameter: keep it out of logs whatever the client does.
local function redact(query)
  return ((query or ""):gsub("access_token=[^&]*", "access_token=REDACTED"))
end

-- The body is read first: reading may yield, which must not happen while holding the lock.
local function normal_answer(method, path)
  local refused = auth.check()
  if refused then return refused end
  ngx.req.read_body()
  return lock.run(router.dispatch, method, path)
end

function M.handle()
  local method, path, query = ngx.req.get_method(), ngx.var.uri, redact(ngx.var.args)
  if query ~= "" then ngx.var.fg_query = "?" .. query end
  local logged = reqlog.arrive(method, path, query)
  local fault = faults.take(method, path) or {}

  if fault.delay then
    ngx.sleep(fault.delay)
    -- Reset while we slept: this request belongs to an earlier test; leave the new state alone.
    if store.generation() ~= logged.generation then return respond.close() end
  end
  if fault.reset then
    reqlog.finish(logged, 444)
    return respond.close()
  end

  local res = faults.response(fault) or normal_answer(method, path)
  if fault.headers then
    res.headers = res.headers or {}
    for name, value in pairs(fault.headers) do res.headers[name] = value end
  end
  reqlog.finish(logged, res.status)
  return respond.send(res, fault)
end

return M
