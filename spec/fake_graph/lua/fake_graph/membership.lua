-- Who is in a group: the rules shared by the Graph endpoints and the simulated users. A
-- participant is { wa_id, user_id (BSUID) }; the business is never one of them.
local json = require "fake_graph.json"

local M = { MAX_PARTICIPANTS = 8 }

-- Index in group.participants of the participant that user names (its wa_id, "+" and its wa_id,
-- or its BSUID), or nil.
function M.find(group, user)
  for i, participant in ipairs(group.participants) do
    if user == participant.wa_id or user == "+" .. participant.wa_id or user == participant.user_id then
      return i
    end
  end
end

function M.is_full(group)
  return #group.participants >= M.MAX_PARTICIPANTS
end

function M.add(group, wa_id, user_id)
  group.participants[#group.participants + 1] = { wa_id = wa_id, user_id = user_id }
end

-- Removes the participants at the given indexes (a set).
function M.remove(group, indexes)
  local kept = json.array()
  for i, participant in ipairs(group.participants) do
    if not indexes[i] then kept[#kept + 1] = participant end
  end
  group.participants = kept
end

-- Whether the business removed this user (the invite link no longer admits them).
function M.was_removed(group, wa_id)
  for _, removed in ipairs(group.removed) do
    if removed == wa_id then return true end
  end
  return false
end

return M
