-- Sends an image to a group from a file: uploads it (client:upload_media, checked against
-- Meta's types and sizes before any I/O), then sends it by the media id Graph gave.
-- Usage: lua examples/send_image.lua GROUP_ID PATH [CAPTION]
-- Configured from the environment: WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, and
-- optionally WHATSAPP_API_VERSION and WHATSAPP_BASE_URL (the fake Graph server of
-- `make fake-graph` takes WHATSAPP_BASE_URL=http://127.0.0.1:8089).
local groups = require "whatsapp.groups"

local group_id, path, caption = arg[1], arg[2], arg[3]
if group_id == nil or path == nil then
  io.stderr:write("usage: lua examples/send_image.lua GROUP_ID PATH [CAPTION]\n")
  os.exit(2)
end

-- The MIME type from the file name: the two image types Meta takes.
local type = path:lower():match "%.png$" and "image/png" or "image/jpeg"

local client = groups.new {}
local ok, err = pcall(function()
  local media = client:upload_media(path, { type = type })
  print("uploaded " .. path .. " as media " .. media.media_id)
  local sent = client:send(group_id, { type = "image", image = { id = media.media_id, caption = caption } })
  print("sent " .. sent.message_id .. " to " .. group_id)
end)
client:close()
if not ok then
  io.stderr:write(tostring(err), "\n")
  os.exit(1)
end
