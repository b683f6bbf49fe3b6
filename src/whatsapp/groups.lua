--- Client for the WhatsApp Business Cloud API Groups endpoints.
--
-- `groups.new{...}` makes a client; each operation is a method of it, and also a
-- module-level function that uses a client configured from the environment.
-- Every failure raises one structured error object (see `groups.is_error`);
-- `require "whatsapp.groups.safe"` gives the same API returning `nil, err` instead.
--
-- Module-level functions: every method of `whatsapp.groups.Client` but `close` and
-- `async` is also a function of this module (`groups.create{...}`,
-- `groups.list_groups{...}`, ... : the names are in `METHODS`), called on
-- `default_client()`, the client the `WHATSAPP_*` variables configure.
-- @module whatsapp.groups

local core = require "whatsapp.groups.core"
local client = require "whatsapp.groups.client"
require "whatsapp.groups.async" -- adds client:async

local groups = {
  --- The release, as the rockspec and `core.so` say too (the Lua files refuse a `core.so`
  -- of another release).
  _VERSION = require "whatsapp.groups.version",
  --- The Graph API version a client uses when none is given.
  DEFAULT_VERSION = core.DEFAULT_VERSION,
  --- Where a client sends requests when no `base_url` is given.
  DEFAULT_BASE_URL = core.DEFAULT_BASE_URL,
  --- The client methods, each also a module-level function.
  METHODS = client.names,
}

--- Makes a client. `token`, `phone_number_id`, `version` and `base_url` not given are
-- taken from the environment (see `env_options`), so `groups.new{}` makes the client a
-- deployment configures.
-- @tparam table options `token` (required, here or in `WHATSAPP_TOKEN`), `phone_number_id`,
--   `version`, `base_url`, `timeout` and `connect_timeout` (seconds), `user_agent`,
--   `ca_file`, `proxy`, `max_response_size` (bytes), `retries`, `backoff`, `on_retry`,
--   `on_attempt`, `pacer` (a `whatsapp.groups.Pacer`), `transport` (`"blocking"`:
--   libcurl; `"nginx"`: nginx subrequests, the default inside nginx; or a function, see
--   the README) and `nginx_location` (default `"/_whatsapp_graph"`); each is described
--   in the README's table of options
-- @treturn whatsapp.groups.Client the client; close it with `:close()` or let it be collected
-- @raise a validation error naming the option that is wrong
function groups.new(options)
  if type(options) == "table" then options = groups.env_options(options) end
  return client.new(core.new, options)
end

--- Whether a value is one of this library's error objects.
-- @param value anything, typically what `pcall` caught
-- @treturn boolean
groups.is_error = core.is_error

local function env(name)
  local value = os.getenv(name)
  if value == "" then return nil end
  return value
end

-- The options the environment can give, and the variable each comes from.
local ENV_OPTIONS = {
  token = "WHATSAPP_TOKEN",
  phone_number_id = "WHATSAPP_PHONE_NUMBER_ID",
  version = "WHATSAPP_API_VERSION",
  base_url = "WHATSAPP_BASE_URL",
}

--- Options read from `WHATSAPP_TOKEN`, `WHATSAPP_PHONE_NUMBER_ID`, `WHATSAPP_API_VERSION`
-- and `WHATSAPP_BASE_URL` (an empty variable counts as unset).
-- @tparam[opt] table options options to complete: a copy of them is returned, with each of
--   those four taken from the environment only where `options` does not give it
-- @treturn table options for `groups.new` (or `safe.new`)
-- @raise a validation error when `options` is given and is not a table
function groups.env_options(options)
  if options ~= nil and type(options) ~= "table" then
    error(core.validation_error("env_options", "argument", "options",
      "table expected, got " .. type(options)), 0)
  end
  local completed = {}
  for key, value in pairs(options or {}) do completed[key] = value end
  for key, name in pairs(ENV_OPTIONS) do
    if completed[key] == nil then completed[key] = env(name) end
  end
  return completed
end

local default_client

--- The client behind the module-level functions, made from `groups.env_options()` on
-- first use and kept.
-- @treturn whatsapp.groups.Client
-- @raise a validation error when WHATSAPP_TOKEN is not set
function groups.default_client()
  if default_client == nil then
    local options = groups.env_options()
    if options.token == nil then
      error(core.validation_error("new", "option", "token",
        "set WHATSAPP_TOKEN, or make a client with groups.new{token = ...}"), 0)
    end
    default_client = groups.new(options)
  end
  return default_client
end

for _, name in ipairs(client.names) do
  if name ~= "close" then
    groups[name] = function(...)
      local c = groups.default_client()
      return c[name](c, ...)
    end
  end
end

return groups
