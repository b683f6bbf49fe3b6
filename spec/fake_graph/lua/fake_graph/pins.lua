-- Pinned messages of a group (reference section 2.2): a message sent to the group can be pinned
-- for 1 to 30 days; at most 3 at a time, a 4th pin silently unpins the oldest.
local store = require "fake_graph.store"

local M = {}

local MAX_PINS = 3

local function pinned_index(group, message_id)
  for i, pin in ipairs(group.pins) do
    if pin.message_id == message_id then return i end
  end
end

-- The details of what is wrong with the pin object of a send to group, or nil.
function M.check(group, pin)
  if type(pin) ~= "table" then return "pin: is required and must be an object" end
  if pin.type ~= "pin" and pin.type ~= "unpin" then return 'pin.type: must be one of "pin", "unpin"' end
  if type(pin.message_id) ~= "string" then return "message_id: must be a string" end
  if store.message_group(pin.message_id) ~= group.id then return "message_id: unknown message" end
  if pin.type == "unpin" then
    if not pinned_index(group, pin.message_id) then return "message_id: not pinned" end
    return nil
  end
  local days = pin.expiration_days
  if type(days) ~= "number" or days % 1 ~= 0 or days < 1 or days > 30 then
    return "expiration_days: must be an integer from 1 to 30"
  end
end

-- Applies a pin object that passed check(). Pinning a pinned message again renews it.
function M.apply(group, pin)
  local index = pinned_index(group, pin.message_id)
  if index then table.remove(group.pins, index) end
  if pin.type == "unpin" then return end
  group.pins[#group.pins + 1] = {
    message_id = pin.message_id, expiration_days = pin.expiration_days, pinned_at = ngx.time(),
  }
  if #group.pins > MAX_PINS then table.remove(group.pins, 1) end
end

return M
