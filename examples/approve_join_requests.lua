-- Approves every pending join request of a group, 50 per call, and reports the ones Meta
-- refused (for example a full group, code 131204). `lua examples/approve_join_requests.lua
-- GROUP_ID`, configured from WHATSAPP_* variables.
local groups = require "whatsapp.groups"
local unpack = table.unpack or unpack -- luacheck: ignore 143

local group_id = assert(arg[1], "usage: approve_join_requests.lua GROUP_ID")
local client = groups.new(groups.env_options())

local pending = {}
for request in client:each_join_request(group_id) do
  pending[#pending + 1] = request.join_request_id
end

local approved = 0
for first = 1, #pending, 50 do
  local batch = { unpack(pending, first, math.min(first + 49, #pending)) }
  local result = client:approve_join_requests(group_id, batch)
  approved = approved + #result.approved_join_requests
  for _, failed in ipairs(result.failed_join_requests) do
    local e = failed.errors[1] or {}
    print(("not approved %s: %s (%s)"):format(failed.join_request_id, e.message, e.code))
  end
end
print(("approved %d of %d join request(s)"):format(approved, #pending))
client:close()
