-- Creates a WhatsApp group and prints the request_id that the group_create webhook will
-- carry (with the group's id and invite link). Configured from the environment:
--   WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, and optionally WHATSAPP_API_VERSION and
--   WHATSAPP_BASE_URL. `make demo` runs it against the bundled fake Graph server.
local groups = require "whatsapp.groups"

local client = groups.new(groups.env_options())
local ok, result = pcall(client.create, client, {
  subject = "Ops team",
  description = "Night shift",
  join_approval_mode = "approval_required",
})
client:close()

if not ok then
  io.stderr:write(tostring(result), "\n")
  os.exit(1)
end
print("messaging_product: " .. result.messaging_product)
print("request_id: " .. result.request_id)
