-- POST /{v}/{phone_number_id}/messages to a group (reference sections 2.1 to 3): text, media and
-- template messages, and pins. Each send is answered with a new wamid and followed by a `sent`
-- status webhook. Only group sends are faked.
local errors = require "fake_graph.errors"
local group_access = require "fake_graph.group_access"
local ids = require "fake_graph.ids"
local pins = require "fake_graph.pins"
local request = require "fake_graph.request"
local store = require "fake_graph.store"
local utf8 = require "fake_graph.utf8"
local webhooks = require "fake_graph.webhooks"

local M = {}

local MAX_TEXT = 4096

local function nonempty_string(v)
  return type(v) == "string" and v ~= ""
end

-- For each supported type, what is wrong with the message's content (details), or nil.
local CONTENT = {}

function CONTENT.text(body)
  local text = body.text
  if type(text) ~= "table" then return "text: is required and must be an object" end
  local length = type(text.body) == "string" and utf8.length(text.body)
  if not length or length < 1 or length > MAX_TEXT then
    return "text.body: must be a string of 1 to " .. MAX_TEXT .. " characters"
  end
end

local function media(kind)
  return function(body)
    local object = body[kind]
    if type(object) ~= "table" then return kind .. ": is required and must be an object" end
    if nonempty_string(object.id) == nonempty_string(object.link) then
      return kind .. ": give exactly one of id and link"
    end
  end
end

for _, kind in ipairs({ "image", "audio", "video", "document", "sticker" }) do
  CONTENT[kind] = media(kind)
end

function CONTENT.template(body)
  local template = body.template
  if type(template) ~= "table" then return "template: is required and must be an object" end
  if not nonempty_string(template.name) then return "template.name: must be a non-empty string" end
  if type(template.language) ~= "table" or not nonempty_string(template.language.code) then
    return "template.language.code: must be a non-empty string"
  end
end

function M.send(phone_number_id)
  local body, details = request.json_body()
  if not body then return errors.invalid_parameter(details) end
  if type(body) ~= "table" or #body > 0 then
    return errors.invalid_parameter("request body must be a JSON object")
  end
  if body.messaging_product ~= "whatsapp" then
    return errors.invalid_parameter('messaging_product: must be "whatsapp"')
  end
  if body.recipient_type ~= "group" then
    return errors.invalid_parameter('recipient_type: must be "group" (the fake only sends to groups)')
  end
  if not nonempty_string(body.to) then return errors.invalid_parameter("to: must be a group id") end
  local group, refused = group_access.writable(body.to, phone_number_id)
  if not group then return refused end

  local kind = body.type or "text"
  if kind == "pin" then
    details = pins.check(group, body.pin)
  elseif CONTENT[kind] then
    details = CONTENT[kind](body)
  else
    return errors.graph(131051, "type: " .. tostring(kind) .. " messages cannot be sent to groups")
  end
  if details then return errors.invalid_parameter(details) end
  if #group.participants == 0 then
    return errors.graph(131020, "the group has no participant besides the business")
  end

  local wamid = ids.wamid()
  local stored
  if kind == "pin" then
    pins.apply(group, body.pin)
    stored = store.put_group(group)
  else
    stored = store.add_message(wamid, group.id) -- so that it can be pinned
  end
  if not stored then return errors.internal() end
  webhooks.message_status(group, wamid, "sent")
  return { status = 200, body = {
    messaging_product = "whatsapp",
    contacts = { { input = group.id, wa_id = group.id } },
    messages = { { id = wamid } },
  } }
end

return M
