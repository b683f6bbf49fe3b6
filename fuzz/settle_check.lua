-- The property fuzz_settle checks: any answer a carrier gives (status, headers, body, or a
-- failure), settled and reshaped for every method, is a result (2xx only) or our error
-- object, never a raw Lua error, and never lets the token into the error.
local groups = require "whatsapp.groups"

local TOKEN = "fuzzqx9token" -- no letter of "[REDACTED]", so redaction cannot rebuild it
local GROUP = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"
local unpack = table.unpack
local answer -- what the transport answers this run
local client = groups.new { token = TOKEN, phone_number_id = "106540352242922", retries = 0,
  transport = function() return unpack(answer, 1, 3) end }

-- Every method, with arguments each accepts.
local ARGS = {
  create = { { subject = "Ops" } }, list_groups = {}, get_group = { GROUP },
  update_group = { GROUP, { subject = "S" } }, delete_group = { GROUP },
  invite_link = { GROUP }, reset_invite_link = { GROUP }, delete_invite_link = { GROUP },
  remove_participants = { GROUP, { "+16505551234" } },
  join_requests = { GROUP }, approve_join_requests = { GROUP, { "j1" } },
  reject_join_requests = { GROUP, { "j1" } },
  send = { GROUP, { type = "text", text = { body = "hi" } } }, send_text = { GROUP, "hi" },
  pin = { GROUP, "wamid.1", 7 }, unpin = { GROUP, "wamid.1" },
  upload_media = { "plain text", { type = "text/plain" } },
}
local methods = {}
for name in pairs(ARGS) do methods[#methods + 1] = name end
table.sort(methods)

local function check_error(err, status)
  assert(groups.is_error(err), "not our error: " .. tostring(err))
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
  local method = methods[op % #methods + 1]
  if status == nil then -- a carrier's failure: header is the message, usage how it failed
    answer = { nil, header, ({ "timeout", "not_sent", "failed", "refused" })[#usage % 4 + 1] }
  else
    answer = { status, { ["Retry-After"] = header, ["x-business-use-case-usage"] = usage }, body }
  end
  local ok, result = pcall(client[method], client, unpack(ARGS[method]))
  if ok then
    assert(type(result) == "table" and status and status >= 200 and status < 300,
      "a result for a 2xx")
    return
  end
  check_error(result, status)
end
