-- The handlers of spec/openresty/nginx.conf.in: client calls made inside nginx, through
-- the nginx transport or the blocking one, answered as JSON for spec/20-openresty_spec.lua.
local cjson = require "cjson"
local groups = require "whatsapp.groups"
local safe = require "whatsapp.groups.safe"

local handler = {}

local unpack = table.unpack or unpack

-- The fake's base_url for a scheme: https (the default) on its TLS port, http on its
-- plain one.
local function base_url(scheme)
  if scheme == "http" then return "http://127.0.0.1:" .. os.getenv "FAKE_GRAPH_PORT" end
  return "https://localhost:" .. os.getenv "FAKE_GRAPH_TLS_PORT"
end

-- extra: ?scheme= (base_url's) and ?max= (max_response_size), or nothing.
local function options(transport, location, extra)
  local dir = os.getenv "FAKE_GRAPH_DIR"
  extra = extra or {}
  return {
    token = "test-token",
    phone_number_id = "106540352242922",
    base_url = base_url(extra.scheme),
    max_response_size = tonumber(extra.max),
    ca_file = dir .. "/certs/ca.pem", -- the blocking transport's; nginx has its own
    timeout = 5,
    retries = 0, -- each answer seen as it came; a case may pass call options to retry
    transport = transport,
    nginx_location = location,
  }
end

-- One client per worker and kind, kept: its libcurl handle keeps its connection.
local clients = {}
local function client(transport, location, is_safe, extra)
  local key = table.concat({ transport or "auto", location or "", tostring(is_safe),
                             extra.scheme or "", extra.max or "" }, " ")
  if clients[key] == nil then
    clients[key] = (is_safe and safe or groups).new(options(transport, location, extra))
  end
  return clients[key]
end

-- An error object as plain JSON-able fields.
local function plain(err)
  if type(err) ~= "table" then return { message = tostring(err) } end
  local t = {}
  for k, v in pairs(err) do
    if type(v) ~= "table" and type(v) ~= "userdata" then t[k] = v end
  end
  return t
end

local function reply(t)
  ngx.header.content_type = "application/json"
  ngx.say(cjson.encode(t))
end

-- Every item an iterator gives, as a list.
local function collect(iterator)
  local items = {}
  for item in iterator do items[#items + 1] = item end
  return items
end

local function run(c, method, args)
  if method:match "^each_" then return collect(c[method](c, unpack(args))) end
  return c[method](c, unpack(args))
end

function handler.call()
  ngx.req.read_body()
  local body = cjson.decode(ngx.req.get_body_data())
  local q = ngx.req.get_uri_args()
  local c = client(q.transport, q.location, q.safe == "1", { scheme = q.scheme, max = q.max })
  local ok, result, err = pcall(run, c, body.method, body.args or {})
  if not ok then return reply { error = plain(result), raised = true } end
  if result == nil then return reply { error = plain(err), raised = false } end
  reply { result = result }
end

-- spec/attempt_script.lua through the nginx carrier: the on_attempt infos it gave.
function handler.attempts()
  local script = require "attempt_script"
  local infos = {}
  local o = options()
  for k, v in pairs(script.options(function(info) infos[#infos + 1] = script.plain(info) end)) do
    o[k] = v
  end
  local c = groups.new(o)
  local ok, err = pcall(script.run, function(method, ...) return c[method](c, ...) end)
  c:close()
  reply(ok and { infos = infos } or { error = plain(err) })
end

function handler.create()
  local ok, result = pcall(function()
    local c = client(ngx.var.arg_transport, nil, false, {})
    return c:create { subject = "Concurrent" }
  end)
  reply(ok and { result = result } or { error = plain(result) })
end

-- Tries a call in the current phase, and keeps what came of it for outcomes().
function handler.in_phase(phase)
  local ok, err = pcall(function()
    return groups.new(options()):create { subject = "From " .. phase }
  end)
  local outcome = ok and { kind = "none" } or plain(err)
  ngx.shared.outcomes:set(phase, cjson.encode(outcome))
  return ""
end

function handler.timer()
  assert(ngx.timer.at(0, function() handler.in_phase "timer" end))
  reply { started = true }
end

-- What the shared-dict store does, step by step, for spec/20-openresty_spec.lua to hold
-- against the stores' contract (spec/store_contract.lua runs the others'); ends by filling
-- the dict, which must refuse a write rather than evict what it holds.
function handler.store_contract()
  local store = require "whatsapp.groups.store"
  local dict = ngx.shared.contract
  dict:flush_all()
  local s = store.shared(dict)
  local seen = {}
  s:set("a", "1", 60)
  seen.get = s:get("a")
  seen.absent = s:get("b") == nil
  seen.first_add, seen.second_add = s:add("k", "first", 60), s:add("k", "second", 60)
  seen.kept = s:get("k")
  s:set("short", "v", 0.2)
  s:push("list", "x", 0.2)
  s:push("list", "y", 0.2)
  seen.ttl = s:ttl("short")
  seen.popped = s:pop("list")
  ngx.sleep(0.3)
  seen.expired = s:get("short") == nil and s:ttl("short") == nil and s:pop("list") == nil
  s:delete("a")
  seen.deleted = s:get("a") == nil
  local ok, err = pcall(function()
    for i = 1, 100000 do s:set("fill" .. i, string.rep("x", 1000), 60) end
  end)
  seen.full = not ok and err.kind
  seen.still_there = s:get("k")
  reply(seen)
end

function handler.outcomes()
  local t = {}
  for _, key in ipairs(ngx.shared.outcomes:get_keys()) do
    t[key] = cjson.decode(ngx.shared.outcomes:get(key))
  end
  reply(t)
end

return handler
