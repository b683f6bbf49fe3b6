-- Manages one group: finds it by subject (creating it if needed), reads its details,
-- renames it, gets and rotates its invite link. Configured from WHATSAPP_* variables;
-- `lua examples/manage_group.lua "Ops team"`.
local groups = require "whatsapp.groups"

local subject = arg[1] or "Ops team"
local client = groups.new(groups.env_options())

local function find(wanted)
  for group in client:each_group() do
    if group.subject == wanted then return group.id end
  end
end

local id = find(subject)
if not id then
  client:create { subject = subject }
  id = find(subject) -- Meta also sends the id in the group_create webhook
end
assert(id, "the new group is not listed yet; its group_create webhook has the id")

local info = client:get_group(id)
print(("%s: %q, %d participant(s), approval: %s"):format(id, info.subject,
  info.total_participant_count or 0, info.join_approval_mode))

client:update_group(id, { subject = subject .. " (managed)", description = "Managed from Lua" })
print("invite link: " .. client:invite_link(id).invite_link)
print("rotated to:  " .. client:reset_invite_link(id).invite_link)
client:close()
