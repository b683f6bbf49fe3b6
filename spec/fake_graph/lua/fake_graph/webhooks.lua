-- The webhooks the fake sends (reference sections 3, 4 and 6): where to, as set through the
-- control API, and the envelope around each event. delivery.lua sends them.
local delivery = require "fake_graph.delivery"
local http_client = require "fake_graph.http_client"
local json = require "fake_graph.json"
local store = require "fake_graph.store"

local dict = store.dict

-- Read once per worker; nginx.conf passes the variable through with `env FAKE_GRAPH_APP_SECRET;`.
local DEFAULT_SECRET = os.getenv("FAKE_GRAPH_APP_SECRET")
if DEFAULT_SECRET == nil or DEFAULT_SECRET == "" then DEFAULT_SECRET = "test-app-secret" end

-- The business account and number the events claim to come from.
local WABA_ID = "102290129340398"
local DISPLAY_PHONE_NUMBER = "15550001111"

local M = {}

-- Sends events to url from now on, signed with secret (nil: the default), each POSTed
-- copies times (nil: once); a nil url stops sending. Returns true, or nil and what is wrong
-- with the url.
function M.configure(url, secret, copies)
  if url == nil then
    dict:delete("webhook:url")
    return true
  end
  local target, err = http_client.target(url)
  if not target then return nil, "url: " .. err end
  dict:set("webhook:url", url)
  dict:set("webhook:secret", secret or DEFAULT_SECRET)
  dict:set("webhook:copies", copies or 1)
  return true
end

function M.url()
  return dict:get("webhook:url")
end

-- Queues one POST of the change value (its list of events already in) for the number's WABA.
local function send(phone_number_id, field, kind, value)
  local url = M.url()
  if not url then return end
  value.messaging_product = "whatsapp"
  value.metadata = { display_phone_number = DISPLAY_PHONE_NUMBER, phone_number_id = phone_number_id }
  local body = json.encode({
    object = "whatsapp_business_account",
    entry = { { id = WABA_ID, changes = { { field = field, value = value } } } },
  })
  for _ = 1, dict:get("webhook:copies") or 1 do
    delivery.enqueue({
      target = http_client.target(url), secret = dict:get("webhook:secret"), body = body,
      field = field, type = kind,
    })
  end
end

-- An event of one of the group_* fields: event has its type and the type's own fields;
-- timestamp (a string, as in Meta's samples) and group_id are added.
function M.group_event(group, field, event)
  event.timestamp = tostring(ngx.time())
  event.group_id = group.id
  send(group.phone_number_id, field, event.type, { groups = { event } })
end

-- The status webhook (field "messages") of a message sent to a group.
function M.message_status(group, wamid, status)
  send(group.phone_number_id, "messages", status, { statuses = { {
    id = wamid, status = status, timestamp = tostring(ngx.time()),
    recipient_id = group.id, recipient_type = "group",
  } } })
end

return M
