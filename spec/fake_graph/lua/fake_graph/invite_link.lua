-- The invite link of a group (reference sections 1.5 to 1.7): read it, reset it (a new link
-- replaces the old one), delete it (nobody can join until the next reset).
local errors = require "fake_graph.errors"
local group_access = require "fake_graph.group_access"
local ids = require "fake_graph.ids"
local request = require "fake_graph.request"
local store = require "fake_graph.store"
local validate = require "fake_graph.validate"

local M = {}

local BODY = { validate.MESSAGING_PRODUCT }

local function link_answer(group)
  return { status = 200, body = { messaging_product = "whatsapp", invite_link = group.invite_link } }
end

function M.get(group_id)
  local group, refused = group_access.readable(group_id)
  if not group then return refused end
  if not group.invite_link then
    return errors.invalid_parameter("the invite link was deleted; reset it to make a new one")
  end
  return link_answer(group)
end

-- Applies a change to the group when the request may make it; the stored group, or nil and the
-- error answer.
local function change(group_id, apply)
  local group, refused = group_access.writable(group_id)
  if not group then return nil, refused end
  local values
  values, refused = request.validated(BODY)
  if not values then return nil, refused end
  apply(group)
  if not store.put_group(group) then return nil, errors.internal() end
  return group
end

function M.reset(group_id)
  local group, refused = change(group_id, function(g) g.invite_link = ids.invite_link() end)
  if not group then return refused end
  return link_answer(group)
end

function M.delete(group_id)
  local group, refused = change(group_id, function(g) g.invite_link = nil end)
  if not group then return refused end
  -- success is the string "true" in Meta's spec for this endpoint
  return { status = 200, body = { messaging_product = "whatsapp", success = "true" } }
end

return M
