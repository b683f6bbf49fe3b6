-- Groups endpoints (reference section 1). Handlers return an answer { status, body }.
local errors = require "fake_graph.errors"
local ids = require "fake_graph.ids"
local request = require "fake_graph.request"
local store = require "fake_graph.store"
local validate = require "fake_graph.validate"

local M = {}

local MESSAGING_PRODUCT = { name = "messaging_product", kind = "choice", choices = { "whatsapp" },
  required = true }

local CREATE = {
  MESSAGING_PRODUCT,
  { name = "subject", kind = "text", required = true, trim = true, max = 128 },
  { name = "description", kind = "text", max = 2048 },
  { name = "join_approval_mode", kind = "choice", choices = { "auto_approve", "approval_required" },
    default = "auto_approve" },
}

-- POST /{v}/{phone_number_id}/groups. The group id and invite link reach a real client only by
-- webhook; the fake keeps them for GET /__control/groups.
function M.create(phone_number_id)
  local body, details = request.json_body()
  local values
  if body then values, details = validate.object(body, CREATE) end
  if not values then return errors.invalid_parameter(details) end

  local n = store.next("group")
  local group = {
    id = ids.group_id(phone_number_id, n),
    phone_number_id = phone_number_id,
    subject = values.subject,
    description = values.description,
    join_approval_mode = values.join_approval_mode,
    creation_timestamp = ngx.time(),
    request_id = ids.request_id(),
    invite_link = ids.invite_link(),
  }
  if not store.add_group(group, n) then return errors.internal() end
  return { status = 200, body = { messaging_product = "whatsapp", request_id = group.request_id } }
end

return M
