--- The same API as `whatsapp.groups`, returning `nil, err` instead of raising.
-- Errors that are not this library's (bugs, out of memory) still raise.
-- @module whatsapp.groups.safe

local core = require "whatsapp.groups.core"
local groups = require "whatsapp.groups"
local client = require "whatsapp.groups.client"

local safe = {}
for key, value in pairs(groups) do
  safe[key] = type(value) == "function" and client.protect(value) or value
end
safe.is_error = groups.is_error
safe.env_options = groups.env_options
-- The shared client's methods raise; module functions here wrap them instead.
safe.default_client = nil

--- Makes a client whose methods return `nil, err` instead of raising.
-- @tparam table options as for `whatsapp.groups.new`
-- @return the client, or nil and a validation error
safe.new = client.protect(function(options)
  if type(options) == "table" then options = groups.env_options(options) end
  return client.new(core.new_safe, options)
end)

return safe
