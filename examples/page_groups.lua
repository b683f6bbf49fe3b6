-- Pages through every active group of the business number, 100 a page, and prints them.
-- Configured from WHATSAPP_* variables.
local groups = require "whatsapp.groups"

local client = groups.new(groups.env_options())
local count = 0
for group in client:each_group { limit = 100 } do
  count = count + 1
  print(("%s  %s  created %s"):format(group.id, group.subject, os.date("!%Y-%m-%d", group.created_at)))
end
print(count .. " group(s)")
client:close()
