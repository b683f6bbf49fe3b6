-- The whole group life cycle against the bundled fake Graph server, with real webhooks:
-- create a group, receive and verify its group_create webhook (which carries the invite
-- link), let a user ask to join, approve the request when its webhook arrives, see the
-- participant join, then message the group. The fake server plays Meta and the users;
-- this script plays the business, receiving webhooks on a LuaSocket listener.
--
--   make fake-graph && WHATSAPP_TOKEN=test-token WHATSAPP_PHONE_NUMBER_ID=106540352242922 \
--     WHATSAPP_BASE_URL=http://127.0.0.1:8089 lua examples/group_flow.lua
local groups = require "whatsapp.groups"
local webhook = require "whatsapp.groups.webhook"
local socket = require "socket"
local http = require "socket.http"
local ltn12 = require "ltn12"
local cjson = require "cjson"

local APP_SECRET = os.getenv "WHATSAPP_APP_SECRET" or "flow-app-secret"
local options = groups.env_options()
local client = groups.new(options)

-- The fake server's control API: where to send webhooks, and a user's actions.
local function control(path, body)
  local encoded = cjson.encode(body)
  local ok, status = http.request {
    url = options.base_url .. "/__control/" .. path, method = "POST",
    source = ltn12.source.string(encoded),
    headers = { ["content-type"] = "application/json", ["content-length"] = #encoded },
  }
  assert(ok and status == 200, "control call " .. path .. " failed: " .. tostring(status))
end

-- Receives one webhook POST: answers 200, returns the raw body and its signature header.
local function receive(listener)
  local conn = assert(listener:accept())
  conn:settimeout(5)
  local headers = {}
  assert(conn:receive "*l") -- the request line
  repeat
    local line = assert(conn:receive "*l")
    local name, value = line:match "^([^:]+):%s*(.*)$"
    if name then headers[name:lower()] = value end
  until line == ""
  local body = assert(conn:receive(tonumber(headers["content-length"])))
  conn:send "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
  conn:close()
  return body, headers[webhook.SIGNATURE_HEADER:lower()]
end

-- Waits for the next verified webhook and returns its parsed events.
local function next_events(listener)
  local body, signature = receive(listener)
  assert(webhook.verify_signature(APP_SECRET, body, signature), "webhook signature did not verify")
  return webhook.parse(body)
end

local function wait_for(listener, tracker, event_type)
  for _ = 1, 10 do
    for _, event in ipairs(tracker:handle(next_events(listener))) do
      if event.type == event_type then return event end
    end
  end
  error("no " .. event_type .. " webhook arrived")
end

local listener = assert(socket.bind("127.0.0.1", 0))
listener:settimeout(5)
local _, port = listener:getsockname()
control("webhooks", { url = "http://127.0.0.1:" .. port .. "/webhook", app_secret = APP_SECRET })

-- The tracker runs handlers registered by name (a bot with several workers registers them
-- in each); the expectation names one.
local tracker = webhook.tracker()
local group_id, invite_link
tracker:on("group_created", function(outcome)
  group_id, invite_link = outcome.group_id, outcome.invite_link
end)
local created = client:create { subject = "Flow demo", join_approval_mode = "approval_required" }
tracker:expect(created, { handler = "group_created" })
wait_for(listener, tracker, "group_create")
assert(group_id, "the group_create webhook did not complete the create")
print("created group " .. group_id)
print("invite link: " .. invite_link)

control("join", { group_id = group_id, wa_id = "16505551234" })
local asked = wait_for(listener, tracker, "group_join_request_created")
print("join request " .. asked.join_request_id .. " from " .. asked.wa_id)

local approved = client:approve_join_requests(group_id, { asked.join_request_id })
assert(approved.success, "the approval failed")
local joined = wait_for(listener, tracker, "group_participants_add")
print("participant joined: " .. joined.added_participants[1].wa_id)

local sent = client:send_text(group_id, "Welcome to the group!")
local status = wait_for(listener, tracker, "status")
print("message " .. sent.message_id .. " " .. status.status)

control("webhooks", { url = cjson.null })
listener:close()
client:close()
