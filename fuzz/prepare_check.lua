-- The property fuzz_prepare checks: a call accepts exactly what the C side judged valid,
-- and an accepted request, as its transport gets it, carries the value, JSON-escaped, and
-- nothing else.
local cjson = require "cjson"
local groups = require "whatsapp.groups"

local PHONE = "106540352242922"
local GROUP = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"
local carried -- the request the transport got last
local client = groups.new { token = "fuzztoken1", phone_number_id = PHONE, retries = 0,
  transport = function(request)
    carried = request
    return 200, {}, '{"request_id":"1","messages":[{"id":"wamid.1"}]}'
  end }
local ROOT = groups.DEFAULT_BASE_URL .. "/" .. groups.DEFAULT_VERSION .. "/" .. PHONE

local function keys(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- The request a call carried, or nil after checking it refused with a validation error
-- and carried nothing.
local function prepare(method, ...)
  carried = nil
  local ok, err = pcall(client[method], client, ...)
  if ok then return assert(carried, "a call succeeded without a request") end
  assert(groups.is_error(err), "not our error: " .. tostring(err))
  assert(err.kind == "validation", "not a validation error: " .. tostring(err))
  assert(carried == nil, "a refused call was carried")
  return nil, err
end

local function check_create(subject, description, trimmed)
  local request, err = prepare("create", { subject = subject, description = description })
  if trimmed == nil then
    assert(request == nil, "an invalid subject or description was accepted")
    assert(err.field == "subject" or err.field == "description", tostring(err))
    return
  end
  assert(request, "a valid subject was refused: " .. tostring(err))
  assert(request.method == "POST" and request.url == ROOT .. "/groups", "method and URL")
  local body = cjson.decode(request.body)
  assert(body.subject == trimmed, "the subject, trimmed")
  assert(body.description == description, "the description as given")
  assert(body.messaging_product == "whatsapp", "messaging_product")
  assert(keys(body) == (description and 3 or 2), "nothing else")
end

local function check_text(text, valid)
  local request, err = prepare("send", GROUP, { type = "text", text = { body = text } })
  if not valid then
    assert(request == nil and err.field == "text.body", "an invalid text was accepted")
    return
  end
  assert(request, "a valid text was refused: " .. tostring(err))
  assert(request.url == ROOT .. "/messages", "URL")
  local body = cjson.decode(request.body)
  assert(body.text.body == text and keys(body.text) == 1, "the text as given")
  assert(body.to == GROUP and body.type == "text" and keys(body) == 5, "nothing else")
end

return function(subject, description, trimmed, text_valid)
  check_create(subject, description, trimmed)
  check_text(subject, text_valid)
end
