-- A minimal webhook receiver (LuaSocket, one connection at a time) showing
-- whatsapp.groups.webhook: it answers Meta's GET handshake with `challenge`, refuses
-- POSTs whose X-Hub-Signature-256 does not verify (403), parses the rest into events,
-- prints one line per new event (a repeated delivery is dropped), and uses a tracker to
-- report when the request_ids given on the command line complete.
--
--   WHATSAPP_APP_SECRET=... WHATSAPP_VERIFY_TOKEN=... \
--     lua examples/webhook_receiver.lua [port|-] [request_id ...]
--   WEBHOOK_REDIS=127.0.0.1:6379 ... : share the tracker's state with other receivers
--
-- Without a port (or with "-") it listens on $WEBHOOK_PORT, else 8080. Try it with a body
-- signed by openssl:
--   body='{"object":"whatsapp_business_account","entry":[]}'
--   sig=$(printf %s "$body" | openssl dgst -sha256 -hmac "$WHATSAPP_APP_SECRET" -r | cut -d' ' -f1)
--   curl -d "$body" -H "X-Hub-Signature-256: sha256=$sig" http://127.0.0.1:8080/
local socket = require "socket"
local store = require "whatsapp.groups.store"
local webhook = require "whatsapp.groups.webhook"

local MAX_BODY = 4 * 1024 * 1024 -- Meta's payloads stay under 3 MB

local app_secret = os.getenv "WHATSAPP_APP_SECRET"
local verify_token = os.getenv "WHATSAPP_VERIFY_TOKEN"
if not app_secret or app_secret == "" or not verify_token or verify_token == "" then
  io.stderr:write "set WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN\n"
  os.exit(2)
end
local port = arg[1] ~= nil and arg[1] ~= "-" and arg[1] or os.getenv "WEBHOOK_PORT" or "8080"
if not tostring(port):match "^%d+$" then
  io.stderr:write("not a port: ", tostring(port), "\n")
  os.exit(2)
end
port = tonumber(port)

local function log(...)
  io.stdout:write(table.concat({ ... }, " "), "\n")
  io.stdout:flush()
end

-- Correlation: each request_id on the command line (say, from groups.create) waits for
-- the event that completes it. With WEBHOOK_REDIS=host:port the tracker keeps its state in
-- that Redis (Debian's lua-redis), so several receivers on several hosts behind one load
-- balancer share outcomes and drop each other's repeated deliveries.
local function tracker_store()
  local address = os.getenv "WEBHOOK_REDIS"
  if address == nil or address == "" then return nil end -- the memory store
  local host, redis_port = address:match "^([^:]+):(%d+)$"
  if not host then
    io.stderr:write("WEBHOOK_REDIS: host:port expected, got ", address, "\n")
    os.exit(2)
  end
  return store.redis(require("redis").connect(host, tonumber(redis_port)))
end

local tracker = webhook.tracker { store = tracker_store(), ttl = 86400, on_expire = "expired" }
tracker:on("completed", function(outcome)
  log("completed", outcome.request_id, outcome.type, tostring(outcome.group_id), "state=" .. outcome.state)
end)
tracker:on("expired", function(outcome) log("expired", outcome.request_id) end)
for i = 2, #arg do tracker:expect(arg[i], { handler = "completed" }) end

local function describe(event)
  local parts = { "event" }
  for _, key in ipairs { "field", "type", "group_id", "request_id", "timestamp", "ok",
                         "message_id", "status", "from" } do
    if event[key] ~= nil then parts[#parts + 1] = key .. "=" .. tostring(event[key]) end
  end
  return table.concat(parts, " ")
end

local REASONS = { [200] = "OK", [400] = "Bad Request", [403] = "Forbidden",
                  [404] = "Not Found", [411] = "Length Required", [413] = "Payload Too Large" }

local function reply(client, status, body)
  body = body or REASONS[status]
  client:send(string.format("HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
    .. "Content-Length: %d\r\nConnection: close\r\n\r\n%s", status, REASONS[status], #body, body))
end

-- Reads one request: method, target, headers (lower-case names), body.
local function read_request(client)
  local line = client:receive "*l"
  if not line then return nil end
  local method, target = line:match "^(%u+) (%S+) HTTP/1%.%d$"
  if not method then return nil end
  local headers = {}
  while true do
    line = client:receive "*l"
    if not line then return nil end
    if line == "" then break end
    local name, value = line:match "^([^:]+):%s*(.-)%s*$"
    if name then headers[name:lower()] = value end
  end
  return method, target, headers
end

local function serve(client)
  local method, target, headers = read_request(client)
  if not method then return end
  local path, query = target:match "^([^?]*)%??(.*)$"
  if method == "GET" then
    local challenge = webhook.challenge(query, verify_token)
    log("handshake", path, challenge and "accepted" or "refused")
    return reply(client, challenge and 200 or 403, challenge)
  elseif method ~= "POST" then
    return reply(client, 404)
  end
  local length = tonumber(headers["content-length"])
  if not length then return reply(client, 411) end
  if length > MAX_BODY then return reply(client, 413) end
  local body = length > 0 and client:receive(length) or ""
  if not body then return end
  -- Verify the raw bytes before anything reads them.
  if not webhook.verify_signature(app_secret, body, headers[webhook.SIGNATURE_HEADER:lower()]) then
    log("refused POST: bad signature")
    return reply(client, 403)
  end
  local ok, events = pcall(webhook.parse, body)
  if not ok then
    log("refused POST:", tostring(events))
    return reply(client, 400)
  end
  -- Answer first, so Meta does not retry a delivery that a slow consumer holds up.
  reply(client, 200)
  -- handle gives back only the events no receiver sharing the store has seen before.
  local handled, fresh = pcall(tracker.handle, tracker, events)
  if not handled then return log("handler failed:", tostring(fresh)) end
  for _, event in ipairs(fresh) do log(describe(event)) end
end

local server = assert(socket.bind("127.0.0.1", port))
log("listening on http://127.0.0.1:" .. port .. "/ waiting for " .. (#arg - 1) .. " request(s)")
while true do
  local client = server:accept()
  if client then
    client:settimeout(10)
    local ok, err = pcall(serve, client)
    if not ok then log("error:", tostring(err)) end
    client:close()
  end
end
