-- DELETE /{v}/{group_id}/participants (reference section 1.8): the business removes participants,
-- named by phone number ("+16505551234"), WhatsApp id or BSUID ("US.1349..."). Removed users can
-- no longer join through the invite link.
local errors = require "fake_graph.errors"
local group_access = require "fake_graph.group_access"
local ids = require "fake_graph.ids"
local json = require "fake_graph.json"
local membership = require "fake_graph.membership"
local request = require "fake_graph.request"
local store = require "fake_graph.store"
local validate = require "fake_graph.validate"
local webhooks = require "fake_graph.webhooks"

local M = {}

local function user_item(item)
  if type(item) ~= "table" or #item > 0 then return nil, "must be an object" end
  for name in pairs(item) do
    if name ~= "user" then return nil, "unknown parameter", "." .. tostring(name) end
  end
  local user = item.user
  if type(user) ~= "string" then return nil, "must be a string", ".user" end
  if not (user:match("^%+?%d+$") or user:match("^%u%u%.[%w.]+$")) then
    return nil, "must be a phone number, a WhatsApp ID or a BSUID", ".user"
  end
  return user
end

local REMOVE = {
  validate.MESSAGING_PRODUCT,
  { name = "participants", kind = "list", required = true, max = membership.MAX_PARTICIPANTS,
    item = user_item },
}

function M.remove(group_id)
  local group, refused = group_access.writable(group_id)
  if not group then return refused end
  local values
  values, refused = request.validated(REMOVE)
  if not values then return refused end

  -- Two inputs naming the same participant are duplicates, whatever forms they use.
  local seen, indexes, removed, failed = {}, {}, json.array(), json.array()
  for _, user in ipairs(values.participants) do
    local index = membership.find(group, user)
    local key = index and group.participants[index].wa_id or user
    if seen[key] then
      return errors.graph(131202, "participants: " .. user .. " is given more than once")
    end
    seen[key] = true
    if index then
      indexes[index] = true
      removed[#removed + 1] = { input = user }
      group.removed[#group.removed + 1] = group.participants[index].wa_id
    else
      failed[#failed + 1] = { input = user, errors = {
        errors.item(131212, user .. " is not a participant of the group"),
      } }
    end
  end
  if #removed == 0 then
    return errors.graph(131212, "participants: none of them is a participant of the group")
  end
  membership.remove(group, indexes)
  if not store.put_group(group) then return errors.internal() end

  local request_id = ids.request_id()
  local event = {
    type = "group_participants_remove", request_id = request_id, initiated_by = "business",
    removed_participants = removed,
  }
  if #failed > 0 then
    event.failed_participants = failed
    event.errors = { {
      code = 131201,
      title = "Not All Participants Remove Succeeded",
      message = "Failed to remove some participants from the group",
      error_data = { details = "Not all participants were removed" },
    } }
  end
  webhooks.group_event(group, "group_participants_update", event)
  if #failed > 0 then return errors.partially_succeeded(request_id, "Not all participants were removed") end
  return { status = 200, body = { messaging_product = "whatsapp", request_id = request_id } }
end

return M
