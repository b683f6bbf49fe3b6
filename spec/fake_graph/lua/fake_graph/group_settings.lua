-- POST /{v}/{group_id} (reference section 1.9): changes the subject, the description and/or the
-- profile picture. The body is JSON, or multipart/form-data with the picture in a `file` part.
local crypto = require "fake_graph.crypto"
local errors = require "fake_graph.errors"
local group_access = require "fake_graph.group_access"
local ids = require "fake_graph.ids"
local jpeg = require "fake_graph.jpeg"
local multipart = require "fake_graph.multipart"
local request = require "fake_graph.request"
local store = require "fake_graph.store"
local validate = require "fake_graph.validate"
local webhooks = require "fake_graph.webhooks"

local M = {}

local UPDATE = {
  validate.MESSAGING_PRODUCT,
  { name = "subject", kind = "text", nonempty = true, trim = true, max = 128 },
  { name = "description", kind = "text", max = 2048 },
}

local MAX_PICTURE_BYTES = 5 * 1024 * 1024
local MIN_PICTURE_SIDE = 192

-- The form's text fields and the bytes of its file part; or nil, nil and the 400 answer.
local function read_form()
  local fields, file = multipart.form(request.raw_body(), ngx.var.content_type)
  if not fields then return nil, nil, errors.invalid_parameter(file) end
  return fields, file
end

-- The answer refusing the picture, or nil when it follows Meta's rules.
local function refuse_picture(data)
  if #data > MAX_PICTURE_BYTES then return errors.invalid_parameter("file: must be at most 5 MB") end
  local size, why = jpeg.size(data)
  if not size then return errors.invalid_parameter("file: must be a JPEG image (" .. why .. ")") end
  local shown = size.width .. "x" .. size.height
  if size.width ~= size.height then
    return errors.graph(131209, "file: the picture is " .. shown .. "; it must be square")
  end
  if size.width < MIN_PICTURE_SIDE then
    return errors.graph(131210, "file: the picture is " .. shown .. "; it must be at least 192x192")
  end
end

function M.update(group_id)
  local group, refused = group_access.writable(group_id)
  if not group then return refused end
  local values, file
  if multipart.is_form(ngx.var.content_type) then
    local fields, details
    fields, file, refused = read_form()
    if refused then return refused end
    values, details = validate.object(fields, UPDATE)
    if not values then return errors.invalid_parameter(details) end
  else
    values, refused = request.validated(UPDATE)
    if not values then return refused end
  end
  if values.subject == nil and values.description == nil and file == nil then
    return errors.invalid_parameter("subject, description, file: give at least one")
  end
  refused = file and refuse_picture(file)
  if refused then return refused end

  -- The webhook reports each setting of the request, all successful.
  local event = { type = "group_settings_update", request_id = ids.request_id() }
  if file then
    group.profile_picture_sha256 = crypto.sha256_hex(file)
    event.profile_picture = {
      mime_type = "image/jpeg", sha256 = group.profile_picture_sha256, update_successful = true,
    }
  end
  if values.subject then
    group.subject = values.subject
    event.group_subject = { text = values.subject, update_successful = true }
  end
  if values.description then
    group.description = values.description
    event.group_description = { text = values.description, update_successful = true }
  end
  if not store.put_group(group) then return errors.internal() end
  webhooks.group_event(group, "group_settings_update", event)
  return { status = 200, body = { messaging_product = "whatsapp", request_id = event.request_id } }
end

return M
