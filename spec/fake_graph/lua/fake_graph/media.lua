-- POST /{v}/{phone_number_id}/media: Meta's Upload Media. A multipart/form-data body with
-- `messaging_product` ("whatsapp"), `type` (the file's MIME type) and the `file` part; the
-- type must be one Meta lists as supported and the file within that type's size limit.
-- Answers {"id": "<media id>"}; GET /__control/media lists what was uploaded.
local crypto = require "fake_graph.crypto"
local errors = require "fake_graph.errors"
local ids = require "fake_graph.ids"
local json = require "fake_graph.json"
local multipart = require "fake_graph.multipart"
local request = require "fake_graph.request"
local store = require "fake_graph.store"
local validate = require "fake_graph.validate"

local M = {}

local KB, MB = 1024, 1024 * 1024

-- Meta's supported media types ("Supported media types" of the Cloud API's media
-- reference) and their largest files, in bytes. A sticker (image/webp) may be 500 KB when
-- animated and 100 KB when static: STICKER below.
local LIMITS = {
  ["audio/aac"] = 16 * MB, ["audio/amr"] = 16 * MB, ["audio/mpeg"] = 16 * MB,
  ["audio/mp4"] = 16 * MB, ["audio/ogg"] = 16 * MB, -- OGG with OPUS only, Meta says
  ["text/plain"] = 100 * MB,
  ["application/pdf"] = 100 * MB,
  ["application/vnd.ms-excel"] = 100 * MB,
  ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = 100 * MB,
  ["application/msword"] = 100 * MB,
  ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = 100 * MB,
  ["application/vnd.ms-powerpoint"] = 100 * MB,
  ["application/vnd.openxmlformats-officedocument.presentationml.presentation"] = 100 * MB,
  ["image/jpeg"] = 5 * MB, ["image/png"] = 5 * MB,
  ["image/webp"] = 500 * KB,
  ["video/3gp"] = 16 * MB, ["video/mp4"] = 16 * MB, -- H.264 video and AAC audio only
}

local STICKER = { animated = 500 * KB, static = 100 * KB }

local TYPES = {}
for name in pairs(LIMITS) do TYPES[#TYPES + 1] = name end
table.sort(TYPES)

local UPLOAD = {
  validate.MESSAGING_PRODUCT,
  { name = "type", kind = "choice", choices = TYPES, required = true },
}

local function shown(bytes)
  if bytes % MB == 0 then return bytes / MB .. " MB" end
  return bytes / KB .. " KB"
end

-- Whether a WebP file is animated (its VP8X chunk's animation flag), or nil when the data
-- is no WebP file at all.
local function animated_webp(data)
  if data:sub(1, 4) ~= "RIFF" or data:sub(9, 12) ~= "WEBP" then return nil end
  if data:sub(13, 16) ~= "VP8X" then return false end
  local flags = data:byte(21) or 0
  return math.floor(flags / 2) % 2 == 1
end

-- The largest file of that type, or nil and why the file cannot be one.
local function limit(mime, data)
  if mime ~= "image/webp" then return LIMITS[mime] end
  local animated = animated_webp(data)
  if animated == nil then return nil, "file: an image/webp file must be a WebP image" end
  return animated and STICKER.animated or STICKER.static, animated and " (animated)" or " (static)"
end

-- The answer refusing the file, or nil when Meta's rules allow it.
local function refuse_file(mime, data)
  if data == nil or data == "" then return errors.invalid_parameter("file: is required") end
  local max, kind = limit(mime, data)
  if not max then return errors.invalid_parameter(kind) end
  if #data > max then
    return errors.invalid_parameter(string.format("file: a %s file%s must be at most %s; this one is %d bytes",
      mime, kind or "", shown(max), #data))
  end
end

function M.upload(phone_number_id)
  if not multipart.is_form(ngx.var.content_type) then
    return errors.invalid_parameter("request body: must be multipart/form-data")
  end
  local fields, file = multipart.form(request.raw_body(), ngx.var.content_type)
  if not fields then return errors.invalid_parameter(file) end
  local values, details = validate.object(fields, UPLOAD)
  if not values then return errors.invalid_parameter(details) end
  local refused = refuse_file(values.type, file)
  if refused then return refused end
  local id = ids.media_id()
  store.append("media", json.encode({
    id = id, phone_number_id = phone_number_id, type = values.type, bytes = #file,
    sha256 = crypto.sha256_hex(file),
  }), 1000)
  return { status = 200, body = { id = id } }
end

-- The uploads since the last reset: the count, and the last 1000 oldest first.
function M.log()
  return store.recent("media", 1000, {})
end

return M
