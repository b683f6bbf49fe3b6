-- The handlers of examples/openresty/nginx.conf: a webhook endpoint (Meta's GET handshake,
-- then signed POSTs, verified on the raw body, parsed into events) and an admin endpoint
-- that creates a group and tells when its group_create webhook came. Calls to Graph go
-- through nginx subrequests, so a worker never waits on Graph.
local cjson = require "cjson.safe"
local safe = require "whatsapp.groups.safe"
local webhook = require "whatsapp.groups.webhook"

local app = {}

-- nginx.conf passes these through with `env`; the client reads WHATSAPP_TOKEN,
-- WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_BASE_URL itself.
local APP_SECRET = os.getenv "WHATSAPP_APP_SECRET"
local VERIFY_TOKEN = os.getenv "WHATSAPP_VERIFY_TOKEN"

-- Per worker: the requests this worker made and what their webhooks said. One worker
-- (worker_processes 1) sees every webhook; with more, keep this in a lua_shared_dict.
local tracker = webhook.tracker { ttl = 3600, clock = ngx.now }
local created = {}

local function reply(status, t)
  ngx.status = status
  ngx.header.content_type = "application/json"
  ngx.say(cjson.encode(t))
  return ngx.exit(status)
end

-- GET: Meta checks that the endpoint is ours before it sends anything.
local function handshake()
  local echo = webhook.challenge(ngx.req.get_uri_args(), VERIFY_TOKEN)
  if echo == nil then return ngx.exit(ngx.HTTP_FORBIDDEN) end
  ngx.header.content_type = "text/plain"
  ngx.print(echo)
end

-- POST: the signature covers the body exactly as sent, so check it before parsing.
local function deliver()
  ngx.req.read_body()
  local body = ngx.req.get_body_data() -- nil if the body went to a file: see nginx.conf
  local signature = ngx.req.get_headers()[webhook.SIGNATURE_HEADER]
  if body == nil or not webhook.verify_signature(APP_SECRET, body, signature) then
    return ngx.exit(ngx.HTTP_FORBIDDEN)
  end
  local ok, events = pcall(webhook.parse, body)
  if not ok then return ngx.exit(ngx.HTTP_BAD_REQUEST) end
  tracker:handle(events)
  ngx.say "ok"
end

function app.webhook()
  if ngx.req.get_method() == "GET" then return handshake() end
  return deliver()
end

local function group_created(event)
  created[event.request_id] = { ok = event.ok, group_id = event.group_id,
                                invite_link = event.invite_link }
end

-- POST {"subject": ..., "description": ..., "join_approval_mode": ...} makes a group;
-- GET ?request_id= tells whether its group_create webhook came, and what it said.
function app.admin()
  if ngx.req.get_method() == "GET" then
    return reply(200, created[ngx.var.arg_request_id] or { pending = true })
  end
  ngx.req.read_body()
  local args = cjson.decode(ngx.req.get_body_data() or "")
  if type(args) ~= "table" then return reply(400, { error = "a JSON object expected" }) end
  local result, err = safe.create(args)
  if result == nil then
    return reply(err.kind == "validation" and 400 or 502, { error = err.message })
  end
  tracker:expect(result, group_created)
  return reply(202, { request_id = result.request_id })
end

return app
