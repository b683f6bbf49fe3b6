-- GET /{v}/{group_id}?fields=a,b (reference section 1.3): the group as a flat object with only
-- the fields asked for; without fields, only messaging_product and id.
local errors = require "fake_graph.errors"
local group_access = require "fake_graph.group_access"
local json = require "fake_graph.json"

local M = {}

-- How each known field is read from the group record.
local FIELDS = {
  subject = function(group) return group.subject end,
  -- present only when set
  description = function(group) return group.description ~= "" and group.description or nil end,
  join_approval_mode = function(group) return group.join_approval_mode end,
  suspended = function(group) return group.suspended end,
  creation_timestamp = function(group) return group.creation_timestamp end,
  participants = function(group)
    local list = json.array()
    for i, participant in ipairs(group.participants) do list[i] = { wa_id = participant.wa_id } end
    return list
  end,
  -- the business is not counted
  total_participant_count = function(group) return #group.participants end,
}

function M.get(group_id)
  local group, err = group_access.readable(group_id)
  if not group then return err end
  local fields = ngx.req.get_uri_args().fields
  if fields ~= nil and type(fields) ~= "string" then
    return errors.invalid_parameter("fields: must be given once, as a comma-separated list")
  end
  local answer = { messaging_product = "whatsapp", id = group.id }
  for name in (fields or ""):gmatch("[^,]+") do
    if not FIELDS[name] then
      return errors.invalid_parameter("fields: unknown field '" .. name .. "'")
    end
    answer[name] = FIELDS[name](group)
  end
  return { status = 200, body = answer }
end

return M
