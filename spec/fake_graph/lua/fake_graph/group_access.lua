-- Finding the group a Graph request names, with Graph's refusals: 131041 for a group that does
-- not exist (or was deleted), 131207 (HTTP 403) for any write to a suspended group.
local errors = require "fake_graph.errors"
local store = require "fake_graph.store"

local M = {}

-- The group, or nil and the error answer. With phone_number_id, a group of another number is
-- unknown too (the number is not a member).
function M.readable(group_id, phone_number_id)
  local group = store.get_group(group_id)
  if not group or (phone_number_id and group.phone_number_id ~= phone_number_id) then
    return nil, errors.graph(131041,
      "group " .. group_id .. " does not exist or the business is not a member")
  end
  return group
end

function M.writable(group_id, phone_number_id)
  local group, err = M.readable(group_id, phone_number_id)
  if group and group.suspended then
    return nil, errors.graph(131207, "the group is suspended; no changes or messages are accepted")
  end
  return group, err
end

return M
