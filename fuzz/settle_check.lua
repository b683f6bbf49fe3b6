-- The property fuzz_settle checks: core.settle turns any answer into a result (2xx only)
-- or our error object, never raises, and never lets the token into the error.
local core = require "whatsapp.groups.core"

local TOKEN = "fuzzqx9token" -- no letter of "[REDACTED]", so redaction cannot rebuild it
local GROUP = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"
local client = core.new { token = TOKEN, phone_number_id = "106540352242922" }

-- One prepared request per operation, with arguments each accepts.
local ARGS = {
  create = { { subject = "Ops" } }, list_groups = {}, get_group = { GROUP },
  update_group = { GROUP, { subject = "S" } }, delete_group = { GROUP },
  invite_link = { GROUP }, reset_invite_link = { GROUP }, delete_invite_link = { GROUP },
  remove_participants = { GROUP, { participants = { "+16505551234" } } },
  join_requests = { GROUP }, approve_join_requests = { GROUP, { join_requests = { "j1" } } },
  reject_join_requests = { GROUP, { join_requests = { "j1" } } },
  send = { GROUP, { type = "text", text = { body = "hi" } } },
}
local unpack = table.unpack
local requests = {}
for _, name in ipairs(core.OPERATIONS) do
  local args = assert(ARGS[name], "no arguments for " .. name)
  requests[#requests + 1] = core.prepare(client, name, unpack(args))
end

local function check_error(err, status)
  assert(core.is_error(err), "not our error: " .. tostring(err))
  assert(err.kind ~= "validation" and err.kind ~= "ok", "an exchange's kind")
  assert(type(err.message) == "string" and type(err.retryable) == "boolean", "message, retryable")
  assert(err.outcome == "rejected" or err.outcome == "unknown" or err.outcome == "not_sent")
  assert(err.http_status == nil or err.http_status == status, "the status as given")
  assert(err.retry_after == nil or err.retry_after >= 0, "a wait is not negative")
  local text = tostring(err)
  assert(not text:find(TOKEN, 1, true), "the token leaked: " .. text)
  for key, value in pairs(err) do
    assert(type(value) ~= "string" or not value:find(TOKEN, 1, true), "the token leaked in " .. key)
  end
end

return function(op, status, header, usage, body)
  local request = requests[op % #requests + 1]
  local result, err
  if status == nil then -- a carrier's failure: header is the message, usage how it failed
    local how = ({ "timeout", "not_sent", "failed" })[#usage % 3 + 1]
    result, err = core.settle(client, request, nil, header, how)
    assert(result == nil, "a failure gives no result")
    check_error(err, nil)
    return
  end
  local headers = { ["Retry-After"] = header, ["x-business-use-case-usage"] = usage }
  result, err = core.settle(client, request, status, headers, body)
  if result ~= nil then
    assert(type(result) == "table" and status >= 200 and status < 300, "a result for a 2xx")
    return
  end
  check_error(err, status)
end
