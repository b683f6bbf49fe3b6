--- The errors the Lua modules make that are not validation errors (those come from
-- `core.validation_error`): a webhook body `parse` cannot read, a store that failed, a
-- call the pacer holds back. Made by the core's one error maker, `core.error`.
-- @module whatsapp.groups.failure

local core = require "whatsapp.groups.core"

local failure = {}

--- A new error object of `kind` for `operation`, with `fields` copied in; nothing was
-- sent (`outcome = "not_sent"`) and it is not retryable unless `fields` say otherwise.
-- @string kind `protocol`, `store`, `api`, ...
-- @string operation what failed, e.g. `webhook.parse`
-- @tparam table fields at least `message`
-- @treturn table the error
function failure.new(kind, operation, fields)
  local copy = { outcome = "not_sent" }
  for k, v in pairs(fields) do copy[k] = v end
  return core.error(kind, operation, fields.message, copy)
end

--- Raises `failure.new(...)`.
function failure.raise(kind, operation, fields)
  error(failure.new(kind, operation, fields), 0)
end

return failure
