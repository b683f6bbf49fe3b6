--- The library's one error object, for the errors made in Lua that are not validation
-- errors (those come from `core.validation_error`): a webhook body `parse` cannot read,
-- a store that failed, a call the pacer holds back.
-- @module whatsapp.groups.failure

local core = require "whatsapp.groups.core"

local failure = {}

--- A new error object of `kind` for `operation`, with `fields` copied in; nothing was
-- sent and it is not retryable unless `fields` say otherwise.
-- @string kind `protocol`, `store`, `api`, ...
-- @string operation what failed, e.g. `webhook.parse`
-- @tparam table fields at least `message`
-- @treturn table the error (its metatable is `core.Error`)
function failure.new(kind, operation, fields)
  local err = { kind = kind, operation = operation, attempts = 0, retryable = false,
                outcome = "not_sent" }
  for k, v in pairs(fields) do err[k] = v end
  return setmetatable(err, core.Error)
end

--- Raises `failure.new(...)`.
function failure.raise(kind, operation, fields)
  error(failure.new(kind, operation, fields), 0)
end

return failure
