-- The property fuzz_webhook checks: webhook.parse gives a list of well-formed events or
-- raises our protocol error, and the tracker takes whatever parse gave.
local core = require "whatsapp.groups.core"
local store = require "whatsapp.groups.store"
local webhook = require "whatsapp.groups.webhook"

-- A clock that moves a second per input and one-second TTLs: the tracker's memory store
-- stays small however many inputs come.
local now = 0
local function tick() now = now + 1 return now end
local tracker = webhook.tracker { store = store.memory { max_keys = 4096, clock = tick }, clock = tick,
                                  ttl = 1, keep = 1, dedupe_ttl = 1 }

local function check_event(e)
  assert(type(e) == "table", "an event is a table")
  assert(type(e.field) == "string", "field is a string")
  assert(e.ok == true or e.ok == false, "ok is a boolean")
  assert(e.timestamp == nil or type(e.timestamp) == "number", "timestamp is a number")
  if e.field == "messages" then
    assert(e.type == "message" or e.type == "status", "a message or a status")
  else
    assert(e.field:match "^group_", "a group field")
  end
end

return function(body)
  local ok, events = pcall(webhook.parse, body)
  assert(not (ok and body:find("\0", 1, true)), "a body with a NUL byte passed for JSON")
  if not ok then
    local err = events
    assert(core.is_error(err), "not our error: " .. tostring(err))
    assert(err.kind == "protocol", "not a protocol error: " .. tostring(err))
    assert(type(err.message) == "string" and err.operation == "webhook.parse", tostring(err))
    assert(type(tostring(err)) == "string")
    return
  end
  assert(type(events) == "table", "a list of events")
  for _, e in ipairs(events) do check_event(e) end
  tracker:handle(events)
end
