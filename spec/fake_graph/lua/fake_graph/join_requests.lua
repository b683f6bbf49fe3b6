-- Join requests of an approval_required group (reference sections 1.10 to 1.12): list them,
-- approve them (the users become participants) or reject them. Users ask to join through
-- POST /__control/join (users.lua).
local errors = require "fake_graph.errors"
local group_access = require "fake_graph.group_access"
local json = require "fake_graph.json"
local membership = require "fake_graph.membership"
local paging = require "fake_graph.paging"
local request = require "fake_graph.request"
local store = require "fake_graph.store"
local validate = require "fake_graph.validate"
local webhooks = require "fake_graph.webhooks"

local M = {}

local function id_item(item)
  if type(item) ~= "string" or item == "" then return nil, "must be a non-empty string" end
  return item
end

local DECISION = {
  validate.MESSAGING_PRODUCT,
  { name = "join_requests", kind = "list", required = true, item = id_item },
}

function M.list(group_id)
  local group, refused = group_access.readable(group_id)
  if not group then return refused end
  local query
  query, refused = paging.query("join_requests:" .. group_id)
  if not query then return refused end
  local page, links = paging.page(group.join_requests, query)
  local data = json.array()
  for i, join_request in ipairs(page) do
    data[i] = {
      join_request_id = join_request.join_request_id,
      wa_id = join_request.wa_id,
      creation_timestamp = join_request.creation_timestamp,
    }
  end
  return { status = 200, body = { data = data, paging = links } }
end

local function find(group, join_request_id)
  for i, join_request in ipairs(group.join_requests) do
    if join_request.join_request_id == join_request_id then return i end
  end
end

-- Applies decide(group, join_request) to each join request the body names, in order; decide
-- returns nil, or the error code and details of a failure. Answers with the ids that succeeded
-- under done_key and the failures under failed_join_requests; when none succeeded, with the
-- first failure as a Graph error. Returns that answer, and the group when it changed.
local function decide_each(group_id, done_key, decide)
  local group, refused = group_access.writable(group_id)
  if not group then return refused end
  local values
  values, refused = request.validated(DECISION)
  if not values then return refused end

  local done, failed = json.array(), json.array()
  for _, id in ipairs(values.join_requests) do
    local index = find(group, id)
    local code, details = 131213, "join request " .. id .. " does not exist"
    if index then
      code, details = decide(group, group.join_requests[index])
      if not code then table.remove(group.join_requests, index) end
    end
    if code then
      failed[#failed + 1] = { join_request_id = id, errors = { errors.item(code, details) } }
    else
      done[#done + 1] = id
    end
  end
  if #done == 0 then
    local first = failed[1].errors[1]
    return errors.graph(first.code, "join_requests: " .. first.error_data.details)
  end
  if not store.put_group(group) then return errors.internal() end
  local answer = { messaging_product = "whatsapp", [done_key] = done }
  if #failed > 0 then answer.failed_join_requests = failed end
  return { status = 200, body = answer }, group
end

-- POST: the users join; one group_participants_add webhook names them all.
function M.approve(group_id)
  local added = json.array()
  local answer, group = decide_each(group_id, "approved_join_requests", function(g, join_request)
    if membership.is_full(g) then
      return 131204, "the group already has " .. membership.MAX_PARTICIPANTS .. " participants"
    end
    membership.add(g, join_request.wa_id, join_request.user_id)
    added[#added + 1] = { input = join_request.join_request_id, wa_id = join_request.wa_id }
  end)
  if group then
    webhooks.group_event(group, "group_participants_update", {
      type = "group_participants_add", reason = "invite_link", added_participants = added,
    })
  end
  return answer
end

-- DELETE: the requests disappear; Meta sends no webhook for a rejection.
function M.reject(group_id)
  return (decide_each(group_id, "rejected_join_requests", function() end))
end

return M
