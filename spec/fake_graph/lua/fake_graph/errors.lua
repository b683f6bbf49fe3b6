-- Graph error envelopes (reference section 8.1), as responses { status, body }.
local ids = require "fake_graph.ids"

local M = {}

-- Completes an error object with what Graph always sends, and wraps it in the envelope.
function M.envelope(fields)
  local err = {}
  for k, v in pairs(fields) do err[k] = v end
  err.code = err.code or 1
  err.type = err.type or "OAuthException"
  err.message = err.message or ("(#" .. err.code .. ") An unknown error occurred")
  if err.is_transient == nil then err.is_transient = false end
  err.fbtrace_id = err.fbtrace_id or ids.fbtrace_id()
  return { error = err }
end

local function response(status, fields, headers)
  return { status = status, body = M.envelope(fields), headers = headers }
end

-- Validation failures: details names the field and the rule broken.
function M.invalid_parameter(details)
  return response(400, {
    code = 100,
    message = "(#100) Invalid parameter",
    error_data = { messaging_product = "whatsapp", details = details },
  })
end

-- Graph repeats the message in WWW-Authenticate on 401 answers.
local function unauthorized(code, reason, message)
  local challenge = string.format('OAuth "Facebook Platform" "%s" "%s"', reason, message)
  return response(401, { code = code, message = message }, { ["WWW-Authenticate"] = challenge })
end

function M.token_missing()
  return unauthorized(104, "invalid_request", "An access token is required to request this resource.")
end

function M.token_invalid()
  return unauthorized(190, "invalid_token", "Invalid OAuth access token - Cannot parse access token")
end

function M.unknown_path(path)
  return response(400, { code = 100, message = "Unknown path components: " .. path })
end

-- What Graph answers for a node or edge it does not know (or a method the node lacks).
function M.unsupported(method, object_id)
  return response(400, {
    code = 100,
    error_subcode = 33,
    type = "GraphMethodException",
    message = string.format("Unsupported %s request. Object with ID '%s' does not exist, cannot be "
      .. "loaded due to missing permissions, or does not support this operation. Please read the "
      .. "Graph API documentation at https://developers.facebook.com/docs/graph-api",
      method:lower(), object_id),
  })
end

-- Groups error codes (reference section 8.3) and the generic ones the groups endpoints use:
-- HTTP status and title.
local CODES = {
  [131020] = { 400, "Bad Group" },
  [131041] = { 400, "Group unknown" },
  [131051] = { 400, "Unsupported message type" },
  [131059] = { 400, "Invalid cursor" },
  [131201] = { 206, "Request partially succeeded" },
  [131202] = { 400, "Duplicate participant" },
  [131204] = { 400, "Participant overlimit" },
  [131207] = { 403, "Group suspended" },
  [131209] = { 400, "Invalid group profile picture aspect ratio" },
  [131210] = { 400, "Image too small" },
  [131212] = { 400, "Participant isn't part of the group" },
  [131213] = { 400, "Group join request doesn't exist" },
}

local function message(code)
  return "(#" .. code .. ") " .. CODES[code][2]
end

-- The answer for one of CODES, details saying what exactly went wrong.
function M.graph(code, details)
  return response(CODES[code][1], {
    code = code,
    message = message(code),
    error_data = { messaging_product = "whatsapp", details = details },
  })
end

-- A partial-result error item (reference section 8.2), as in failed_join_requests and webhooks.
function M.item(code, details)
  return { code = code, message = message(code), title = CODES[code][2], error_data = { details = details } }
end

-- HTTP 206: some of the participant operations of the request failed, the others took effect.
function M.partially_succeeded(request_id, details)
  return { status = 206, body = {
    messaging_product = "whatsapp",
    request_id = request_id,
    error = {
      code = 131201,
      message = message(131201),
      type = "OAuthException",
      error_data = { details = details },
      fbtrace_id = ids.fbtrace_id(),
    },
  } }
end

function M.internal()
  return response(500, { code = 131000, message = "(#131000) Something went wrong", is_transient = true })
end

return M
