-- What users and WhatsApp do outside the API, simulated through the control API: a user taps the
-- invite link (joins, or asks to join) or leaves; WhatsApp suspends a group or lifts it. Each
-- function takes the control request's body and returns { status, body }; refusals are 4xx with
-- {"error": "..."}.
local ids = require "fake_graph.ids"
local membership = require "fake_graph.membership"
local store = require "fake_graph.store"
local webhooks = require "fake_graph.webhooks"

local M = {}

local function answer(status, body)
  return { status = status, body = body }
end

local function refuse(status, message)
  return answer(status, { error = message })
end

-- The group the body names, or nil and the refusal.
local function group_of(body)
  if type(body) ~= "table" or type(body.group_id) ~= "string" then
    return nil, refuse(400, "group_id: must be a string")
  end
  local group = store.get_group(body.group_id)
  if not group then return nil, refuse(404, "unknown group") end
  return group
end

local function check_wa_id(body)
  if type(body.wa_id) ~= "string" or not body.wa_id:match("^%d+$") then
    return refuse(400, "wa_id: must be a string of digits")
  end
end

local function store_failed()
  return refuse(500, "shared dict full")
end

-- {group_id, wa_id, user_id?}: the user taps the invite link.
function M.join(body)
  local group, refused = group_of(body)
  if not group then return refused end
  refused = check_wa_id(body)
  if refused then return refused end
  if body.user_id ~= nil and type(body.user_id) ~= "string" then
    return refuse(400, "user_id: must be a string")
  end
  local wa_id = body.wa_id
  if group.suspended then return refuse(409, "group suspended") end
  if not group.invite_link then return refuse(409, "invite link deleted") end
  if membership.find(group, wa_id) then return refuse(409, "already a participant") end
  if membership.was_removed(group, wa_id) then
    return refuse(409, "removed by the business: the invite link no longer admits this user")
  end
  if membership.is_full(group) then return refuse(409, "group full") end
  local user_id = body.user_id or ids.user_id()

  if group.join_approval_mode == "approval_required" then
    for _, pending in ipairs(group.join_requests) do
      if pending.wa_id == wa_id then return answer(200, { join_request_id = pending.join_request_id }) end
    end
    local join_request = {
      join_request_id = ids.join_request_id(wa_id), wa_id = wa_id, user_id = user_id,
      creation_timestamp = ngx.time(), position = store.next("join_request"),
    }
    group.join_requests[#group.join_requests + 1] = join_request
    if not store.put_group(group) then return store_failed() end
    webhooks.group_event(group, "group_participants_update", {
      type = "group_join_request_created", join_request_id = join_request.join_request_id, wa_id = wa_id,
    })
    return answer(200, { join_request_id = join_request.join_request_id })
  end

  membership.add(group, wa_id, user_id)
  if not store.put_group(group) then return store_failed() end
  webhooks.group_event(group, "group_participants_update", {
    type = "group_participants_add", reason = "invite_link", added_participants = { { wa_id = wa_id } },
  })
  return answer(200, { participant = true })
end

-- {group_id, wa_id}: the participant leaves the group.
function M.leave(body)
  local group, refused = group_of(body)
  if not group then return refused end
  refused = check_wa_id(body)
  if refused then return refused end
  local index = membership.find(group, body.wa_id)
  if not index then return refuse(409, "not a participant") end
  membership.remove(group, { [index] = true })
  if not store.put_group(group) then return store_failed() end
  webhooks.group_event(group, "group_participants_update", {
    type = "group_participants_remove", initiated_by = "participant",
    removed_participants = { { wa_id = body.wa_id } },
  })
  return answer(200, { left = true })
end

-- {group_id, suspended}: WhatsApp suspends the group, or lifts the suspension. A webhook reports
-- each change of state.
function M.suspend(body)
  local group, refused = group_of(body)
  if not group then return refused end
  if type(body.suspended) ~= "boolean" then return refuse(400, "suspended: must be a boolean") end
  if group.suspended ~= body.suspended then
    group.suspended = body.suspended
    if not store.put_group(group) then return store_failed() end
    webhooks.group_event(group, "group_status_update", {
      type = body.suspended and "group_suspend" or "group_suspend_cleared",
    })
  end
  return answer(200, { suspended = group.suspended })
end

return M
