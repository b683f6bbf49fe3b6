-- Fault injection: queued faults, each applied to the next `count` Graph requests it matches.
-- Stored in the shared dict as "fault:<id>" (JSON) plus "fault_left:<id>" (uses left), so that
-- workers consume uses atomically with incr.
local cjson = require "cjson.safe"
local errors = require "fake_graph.errors"
local store = require "fake_graph.store"

local dict = store.dict

local M = {}

-- Expected type of every field of a fault; any other field is refused (catches typos in tests).
local FAULT_FIELDS = {
  status = "number", graph_error = "table", headers = "table", delay = "number",
  reset = "boolean", body = "string", content_type = "string", truncate = "boolean",
  drip = "number", large = "number", chunked = "number",
}

local function check_fields(t, fields, what)
  if type(t) ~= "table" then return what .. " must be an object" end
  for k, v in pairs(t) do
    if not fields[k] then return what .. ": unknown field " .. tostring(k) end
    if type(v) ~= fields[k] then return what .. "." .. k .. " must be a " .. fields[k] end
  end
end

-- Error message for an invalid fault request, or nil.
local function check(spec)
  local err = check_fields(spec, { match = "table", count = "number", fault = "table" }, "request")
    or check_fields(spec.match or {}, { method = "string", path = "string" }, "match")
    or check_fields(spec.fault, FAULT_FIELDS, "fault")
  if err then return err end
  local f = spec.fault
  if spec.match and spec.match.path and not pcall(string.find, "", spec.match.path) then
    return "match.path is not a valid Lua pattern"
  end
  if spec.count and (spec.count < 0 or spec.count % 1 ~= 0) then
    return "count must be a non-negative integer"
  end
  if f.status and (f.status < 100 or f.status > 599 or f.status % 1 ~= 0) then
    return "fault.status must be an HTTP status"
  end
  if f.delay and f.delay < 0 then return "fault.delay must be >= 0" end
  if f.graph_error and f.graph_error.code and type(f.graph_error.code) ~= "number" then
    return "fault.graph_error.code must be a number"
  end
  for name, value in pairs(f.headers or {}) do
    if type(value) ~= "string" and type(value) ~= "number" then
      return "fault.headers." .. name .. " must be a string"
    end
  end
end

-- Queues a fault from the control request body; returns its id, or nil and an error message.
function M.add(spec)
  local err = check(spec)
  if err then return nil, err end
  local match = spec.match or {}
  if match.method then match.method = match.method:upper() end
  local id = store.next("fault")
  dict:set("fault:" .. id, cjson.encode({ match = match, fault = spec.fault }))
  dict:set("fault_left:" .. id, spec.count and spec.count > 0 and spec.count or 1)
  return id
end

local function matches(match, method, path)
  return (match.method == nil or match.method == method)
    and (match.path == nil or path:find(match.path) ~= nil)
end

-- The first queued fault that matches, with one of its uses consumed; nil if none.
function M.take(method, path)
  for id = 1, dict:get("seq:fault") or 0 do
    local raw = dict:get("fault:" .. id)
    local queued = raw and cjson.decode(raw)
    if queued and matches(queued.match, method, path) then
      local left = dict:incr("fault_left:" .. id, -1)
      if left == 0 then
        dict:delete("fault:" .. id)
        dict:delete("fault_left:" .. id)
      end
      -- nil or negative: another worker took the last use meanwhile
      if left and left >= 0 then return queued.fault end
    end
  end
end

-- Drops every queued fault, leaving the rest of the state as it is.
function M.clear()
  for id = 1, dict:get("seq:fault") or 0 do
    dict:delete("fault:" .. id)
    dict:delete("fault_left:" .. id)
  end
end

-- The answer a fault imposes instead of the normal one, or nil when it only delays, adds
-- headers, drips or truncates. A status alone gives a Graph error envelope (code 2, transient,
-- for 5xx); large gives a JSON body of that many bytes, chunked the same without its size.
function M.response(fault)
  if fault.large or fault.chunked then
    return { status = fault.status or 200, large = fault.large, chunked = fault.chunked }
  end
  if fault.body then
    return { status = fault.status or 200, body = fault.body, content_type = fault.content_type }
  end
  local graph_error = fault.graph_error
  if not graph_error and fault.status then
    graph_error = fault.status >= 500
      and { code = 2, message = "(#2) Service temporarily unavailable", is_transient = true }
      or { code = 1 }
  end
  if graph_error then
    return { status = fault.status or 400, body = errors.envelope(graph_error) }
  end
end

return M
