-- The groups of a number (reference sections 1.1, 1.2 and 1.4): create, list, delete.
-- Handlers return an answer { status, body }.
local errors = require "fake_graph.errors"
local group_access = require "fake_graph.group_access"
local ids = require "fake_graph.ids"
local json = require "fake_graph.json"
local paging = require "fake_graph.paging"
local request = require "fake_graph.request"
local store = require "fake_graph.store"
local validate = require "fake_graph.validate"
local webhooks = require "fake_graph.webhooks"

local M = {}

local CREATE = {
  validate.MESSAGING_PRODUCT,
  { name = "subject", kind = "text", required = true, trim = true, max = 128 },
  { name = "description", kind = "text", max = 2048 },
  { name = "join_approval_mode", kind = "choice", choices = { "auto_approve", "approval_required" },
    default = "auto_approve" },
}

-- POST /{v}/{phone_number_id}/groups. The group id and invite link reach the client only by
-- webhook (and the fake keeps them for GET /__control/groups).
function M.create(phone_number_id)
  local values, refused = request.validated(CREATE)
  if not values then return refused end

  local position = store.next("group")
  local group = {
    id = ids.group_id(phone_number_id, position),
    position = position,
    phone_number_id = phone_number_id,
    subject = values.subject,
    description = values.description,
    join_approval_mode = values.join_approval_mode,
    creation_timestamp = ngx.time(),
    request_id = ids.request_id(),
    invite_link = ids.invite_link(),
    suspended = false,
    participants = json.array(),  -- { wa_id, user_id }, never the business
    join_requests = json.array(), -- { join_request_id, wa_id, creation_timestamp, position }
    removed = json.array(),       -- wa_ids the business removed: the invite link no longer admits them
    pins = json.array(),          -- { message_id, expiration_days, pinned_at }, oldest first
  }
  if not store.add_group(group) then return errors.internal() end
  webhooks.group_event(group, "group_lifecycle_update", {
    type = "group_create",
    request_id = group.request_id,
    subject = group.subject,
    description = group.description,
    invite_link = group.invite_link,
    join_approval_mode = group.join_approval_mode,
  })
  return { status = 200, body = { messaging_product = "whatsapp", request_id = group.request_id } }
end

-- GET /{v}/{phone_number_id}/groups?limit&after&before, in creation order.
function M.list(phone_number_id)
  local query, err = paging.query("groups:" .. phone_number_id)
  if not query then return err end
  local mine = {}
  for _, group in ipairs(store.list_groups()) do
    if group.phone_number_id == phone_number_id then mine[#mine + 1] = group end
  end
  local page, links = paging.page(mine, query)
  local listed = json.array()
  for i, group in ipairs(page) do
    -- created_at is a string of UNIX seconds in Meta's spec.
    listed[i] = { id = group.id, subject = group.subject, created_at = tostring(group.creation_timestamp) }
  end
  return { status = 200, body = { data = { groups = listed }, paging = links } }
end

-- DELETE /{v}/{group_id}: takes effect at once; the webhook reports it with a request id.
function M.delete(group_id)
  local group, err = group_access.writable(group_id)
  if not group then return err end
  store.delete_group(group_id)
  webhooks.group_event(group, "group_lifecycle_update", {
    type = "group_delete", request_id = ids.request_id(),
  })
  return { status = 200, body = { success = true } }
end

return M
