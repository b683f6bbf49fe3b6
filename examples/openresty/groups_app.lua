-- The handlers of examples/openresty/nginx.conf: a webhook endpoint (Meta's GET handshake,
-- then signed POSTs, verified on the raw body, parsed into events) and an admin endpoint
-- that creates a group and tells what its group_create webhook said. Calls to Graph go
-- through nginx subrequests, so a worker never waits on Graph.
--
-- It runs as deployed: several workers, and Meta's webhooks reach whichever one accepts
-- the connection. So the tracker (outcomes, repeated deliveries, expiry) and the pacer
-- (throttling) keep their state in the lua_shared_dict every worker sees; handlers are
-- registered by name in each worker. On several hosts, give both a Redis store instead
-- (see the README).
local cjson = require "cjson.safe"
local groups = require "whatsapp.groups"
local pacer = require "whatsapp.groups.pacer"
local safe = require "whatsapp.groups.safe"
local store = require "whatsapp.groups.store"
local webhook = require "whatsapp.groups.webhook"

local app = {}

-- nginx.conf passes these through with `env`.
local APP_SECRET = os.getenv "WHATSAPP_APP_SECRET"
local VERIFY_TOKEN = os.getenv "WHATSAPP_VERIFY_TOKEN"
local dict = ngx.shared.whatsapp
local shared = store.shared(dict)

-- A create whose webhook has not come within an hour reaches create_expired.
local tracker = webhook.tracker { store = shared, ttl = 3600, on_expire = "create_expired" }

-- The handlers, in every worker: whichever worker completes an expectation runs its handler.
-- Each counts its runs for GET /admin/groups to show: once, however often Meta delivered
-- and however many workers swept.
local function count_run(outcome)
  dict:incr("handled:" .. outcome.request_id, 1, 0, 3600)
end
tracker:on("group_created", function(outcome, data)
  ngx.log(ngx.NOTICE, "group ", tostring(outcome.group_id), " (", tostring(data.subject), "): ",
    outcome.state)
  count_run(outcome)
end)
tracker:on("create_expired", function(outcome, data)
  ngx.log(ngx.WARN, "no group_create webhook for request ", outcome.request_id, " (", tostring(data.subject),
    "): reconcile with list_groups")
  count_run(outcome)
end)

-- One client per worker, made from WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID and
-- WHATSAPP_BASE_URL; throttling any worker meets holds back the others' calls too.
local options = groups.env_options()
options.pacer = pacer.new { store = shared }
local client = assert(safe.new(options))

local function reply(status, t)
  t.served_by = ngx.worker.id()
  ngx.status = status
  ngx.header.content_type = "application/json"
  ngx.say(cjson.encode(t))
  return ngx.exit(status)
end

-- Expectations are expired by sweeping; each worker sweeps every second.
function app.init_worker()
  assert(ngx.timer.every(1, function(premature)
    if premature then return end
    local ok, err = pcall(tracker.sweep, tracker)
    if not ok then ngx.log(ngx.ERR, "tracker sweep: ", tostring(err)) end
  end))
end

-- GET: Meta checks that the endpoint is ours before it sends anything.
local function handshake()
  local echo = webhook.challenge(ngx.req.get_uri_args(), VERIFY_TOKEN)
  if echo == nil then return ngx.exit(ngx.HTTP_FORBIDDEN) end
  ngx.header.content_type = "text/plain"
  ngx.print(echo)
end

-- POST: the signature covers the body exactly as sent, so check it before parsing. Only
-- the events no worker saw before come back from handle (Meta delivers at least once).
local function deliver()
  ngx.req.read_body()
  local body = ngx.req.get_body_data() -- nil if the body went to a file: see nginx.conf
  local signature = ngx.req.get_headers()[webhook.SIGNATURE_HEADER]
  if body == nil or not webhook.verify_signature(APP_SECRET, body, signature) then
    return ngx.exit(ngx.HTTP_FORBIDDEN)
  end
  local ok, events = pcall(webhook.parse, body)
  if not ok then return ngx.exit(ngx.HTTP_BAD_REQUEST) end
  local handled, fresh = pcall(tracker.handle, tracker, events)
  if not handled then
    ngx.log(ngx.ERR, "webhook: ", tostring(fresh))
    -- The store failed: Meta delivers it again. A handler that raised will not run again
    -- for a repeat (the event is marked seen), so that is acknowledged.
    if type(fresh) == "table" and fresh.kind == "store" then
      return ngx.exit(ngx.HTTP_INTERNAL_SERVER_ERROR)
    end
    return ngx.say "ok"
  end
  for _, event in ipairs(fresh) do
    -- Which worker the delivery reached, for GET /admin/groups to show.
    if event.request_id then dict:set("delivered_to:" .. event.request_id, ngx.worker.id(), 3600) end
  end
  ngx.say "ok"
end

function app.webhook()
  if ngx.req.get_method() == "GET" then return handshake() end
  return deliver()
end

-- GET ?request_id=...[&wait=seconds]: the outcome (pending, created with group_id and
-- invite_link, failed with errors, expired), as any worker reads it from the shared dict;
-- with wait, once it is no longer pending (ngx.sleep polling: the worker serves others).
local function outcome()
  local id, wait = ngx.var.arg_request_id, tonumber(ngx.var.arg_wait)
  local o
  if wait then o = tracker:wait(id, math.min(wait, 30)) else o = tracker:outcome(id) end
  if o == nil then return reply(404, { error = "unknown request_id" }) end
  return reply(200, { request_id = o.request_id, state = o.state, group_id = o.group_id,
                      invite_link = o.invite_link, errors = o.errors,
                      delivered_to = dict:get("delivered_to:" .. tostring(id)),
                      handled = dict:get("handled:" .. tostring(id)) })
end

-- POST {"subject": ..., "description": ..., "join_approval_mode": ...}[?ttl=seconds] makes
-- a group and answers its request_id; its webhook is waited for ttl seconds (default the
-- tracker's hour).
local function create()
  ngx.req.read_body()
  local args = cjson.decode(ngx.req.get_body_data() or "")
  if type(args) ~= "table" then return reply(400, { error = "a JSON object expected" }) end
  local result, err = client:create(args)
  if result == nil then
    if err.paced then ngx.header["Retry-After"] = err.retry_after end
    return reply(err.kind == "validation" and 400 or err.paced and 429 or 502, { error = err.message })
  end
  tracker:expect(result, { handler = "group_created", data = { subject = args.subject },
                           ttl = tonumber(ngx.var.arg_ttl) })
  return reply(202, { request_id = result.request_id })
end

function app.admin()
  if ngx.req.get_method() == "GET" then return outcome() end
  return create()
end

-- GET /admin/pacing: seconds left of the hold on creates (null: none), for operators.
function app.pacing()
  return reply(200, { create_held = options.pacer:held("create") })
end

return app
