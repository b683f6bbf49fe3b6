--- Receiving the WhatsApp Groups webhooks: check the signature, answer Meta's GET
-- handshake, turn a POST body into flat events, and match each `request_id` an operation
-- returned with the event that completes it.
--
--     local webhook = require "whatsapp.groups.webhook"
--     if not webhook.verify_signature(app_secret, body, headers["x-hub-signature-256"]) then
--       return 403
--     end
--     for _, event in ipairs(webhook.parse(body)) do print(event.type, event.group_id) end
--
-- Functions raise the library's error object (see `whatsapp.groups.is_error`): kind
-- `validation` for a wrong argument, kind `protocol` for a body `parse` cannot read.
-- `whatsapp.groups.safe` does not wrap this module; use `pcall` around `parse`.
-- @module whatsapp.groups.webhook

local core = require "whatsapp.groups.core"
local failure = require "whatsapp.groups.failure"
local Tracker = require "whatsapp.groups.tracker"
-- The core's JSON instance: a caller's cjson settings never change how we read webhooks.
local decode, null = core.json_decode, core.json_null


local webhook = {
  --- The request header that carries the signature (Meta sends it; compare names without case).
  SIGNATURE_HEADER = "X-Hub-Signature-256",
}

local FIELD_ALIASES = { group_participant_update = "group_participants_update" }
local TYPE_ALIASES = {
  group_add_participants = "group_participants_add",
  group_remove_participants = "group_participants_remove",
}
local SETTING_OUTCOMES = { "profile_picture", "group_subject", "group_description" }

local function bad(operation, what, field, reason)
  error(core.validation_error(operation, what, field, reason), 0)
end

local function check_type(operation, what, field, value, expected)
  if type(value) ~= expected then
    bad(operation, what, field, expected .. " expected, got " .. type(value))
  end
end

--- Checks the `X-Hub-Signature-256` header of a webhook POST: `sha256=` followed by the
-- hex HMAC-SHA256 of the exact raw body, keyed with the app secret. The hex may be upper
-- or lower case; the digests are compared in constant time. Check before parsing.
-- @tparam string app_secret the Meta app's secret
-- @tparam string raw_body the request body exactly as received (not re-encoded)
-- @param header_value the header's value; anything but a string gives false
-- @treturn boolean true only for a well-formed header that matches; false for a mismatch
--   and for anything malformed (missing prefix, wrong length, non-hex, empty secret)
-- @raise a validation error (field `app_secret` or `raw_body`) when either is not a
--   string; the secret never appears in it
function webhook.verify_signature(app_secret, raw_body, header_value)
  return core.webhook_verify(app_secret, raw_body, header_value)
end

local function percent_decode(s)
  s = s:gsub("+", " ")
  return (s:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

-- "a=1&b=x%20y" -> { a = "1", b = "x y" }. A repeated name gets false: it is ambiguous.
local function query_args(s)
  local args = {}
  for pair in s:gsub("^%?", ""):gmatch "[^&]+" do
    local key, value = pair:match "^([^=]*)=(.*)$"
    if key == nil then key, value = pair, "" end
    key = percent_decode(key)
    if args[key] == nil then args[key] = percent_decode(value) else args[key] = false end
  end
  return args
end

--- Answers Meta's GET verification handshake.
-- @param query the query parameters: a table (`hub.mode`, `hub.verify_token`,
--   `hub.challenge`, as `ngx.req.get_uri_args()` returns) or the raw query string
--   (percent-decoded here; a leading `?` is allowed)
-- @tparam string verify_token the token you entered in the app's webhook settings
-- @treturn ?string `hub.challenge`, to send back as the 200 body, when `hub.mode` is
--   `subscribe` and `hub.verify_token` matches (compared in constant time); nil otherwise
--   (answer 403)
-- @raise a validation error when `query` is neither a table nor a string, or
--   `verify_token` is not a non-empty string
function webhook.challenge(query, verify_token)
  local op = "webhook.challenge"
  check_type(op, "argument", "verify_token", verify_token, "string")
  if verify_token == "" then bad(op, "argument", "verify_token", "must not be empty") end
  local args = query
  if type(query) == "string" then
    args = query_args(query)
  elseif type(query) ~= "table" then
    bad(op, "argument", "query", "table or string expected, got " .. type(query))
  end
  local mode, token, challenge = args["hub.mode"], args["hub.verify_token"], args["hub.challenge"]
  if mode ~= "subscribe" or type(token) ~= "string" or type(challenge) ~= "string"
      or challenge == "" or not core.webhook_equal(verify_token, token) then
    return nil
  end
  return challenge
end

local function present(v)
  if v == nil or v == null or v == "" then return nil end
  return v
end

-- A number from a number or a decimal string, as the client reads Graph's: whole numbers
-- as integers on Lua 5.3+.
local integer = core.integer
local function number(v)
  if type(v) == "number" then return integer(v) or v end
  return integer(v)
end

-- Error items anywhere below t: a numeric `code` (number or string) becomes a number.
local function normalise_codes(t, depth)
  if depth > 64 then return end
  for key, v in pairs(t) do
    if type(v) == "table" then
      if key == "errors" then
        for _, item in ipairs(v) do
          if type(item) == "table" and item.code ~= nil then
            item.code = number(item.code) or item.code
          end
        end
      end
      normalise_codes(v, depth + 1)
    end
  end
end

local function has_items(v)
  return type(v) == "table" and next(v) ~= nil
end

local function failed_setting(outcome)
  return type(outcome) == "table" and (outcome.update_successful == false
    or outcome.update_successful == "false" or has_items(outcome.errors))
end

local function group_ok(event)
  if has_items(event.errors) or has_items(event.failed_participants) then return false end
  for _, key in ipairs(SETTING_OUTCOMES) do
    if failed_setting(event[key]) then return false end
  end
  return true
end

-- A new event: the item's own fields, then what every event carries.
local function new_event(item, field, where)
  local event = {}
  for k, v in pairs(item) do event[k] = v end
  normalise_codes(event, 0)
  event.field = field
  event.timestamp = number(item.timestamp)
  event.waba_id = where.waba_id
  event.phone_number_id = where.phone_number_id
  event.display_phone_number = where.display_phone_number
  return event
end

local function group_event(item, field, where)
  local event = new_event(item, field, where)
  event.type = TYPE_ALIASES[item.type] or present(item.type)
  event.group_id = present(item.group_id)
  event.request_id = present(item.request_id)
  event.ok = group_ok(event)
  return event
end

-- The contact that sent a message: the one whose wa_id is `from`, else the only one.
local function sender(contacts, from)
  if type(contacts) ~= "table" then return nil end
  for _, contact in ipairs(contacts) do
    if type(contact) == "table" and from ~= nil and contact.wa_id == from then return contact end
  end
  if #contacts == 1 and type(contacts[1]) == "table" then return contacts[1] end
  return nil
end

local function message_event(item, where, contacts)
  local event = new_event(item, "messages", where)
  event.type = "message"
  event.message_type = present(item.type)
  event.message_id = present(item.id)
  event.group_id = present(item.group_id)
  event.from = present(item.from)
  event.contact = sender(contacts, event.from)
  event.ok = not has_items(item.errors)
  return event
end

local function status_event(item, where)
  local event = new_event(item, "messages", where)
  event.type = "status"
  event.message_id = present(item.id)
  event.status = present(item.status)
  event.group_id = present(item.group_id) or present(item.recipient_id)
  if present(item.recipient_participant_id) == nil then
    event.recipient_participant_id = present(item.participant_recipient_id)
  end
  event.ok = event.status ~= "failed" and not has_items(item.errors)
  return event
end

local function list(v)
  if type(v) == "table" then return v end
  return {}
end

local function add_change(events, change, where)
  if type(change) ~= "table" or type(change.field) ~= "string" or type(change.value) ~= "table" then
    return
  end
  local field, value = FIELD_ALIASES[change.field] or change.field, change.value
  local metadata = type(value.metadata) == "table" and value.metadata or {}
  where.phone_number_id = present(metadata.phone_number_id)
  where.display_phone_number = present(metadata.display_phone_number)
  if field == "messages" then
    for _, item in ipairs(list(value.messages)) do
      if type(item) == "table" and present(item.group_id) then
        events[#events + 1] = message_event(item, where, value.contacts)
      end
    end
    for _, item in ipairs(list(value.statuses)) do
      if type(item) == "table" and (item.recipient_type == "group" or present(item.group_id)) then
        events[#events + 1] = status_event(item, where)
      end
    end
  elseif field:match "^group_" then
    for _, item in ipairs(list(value.groups)) do
      if type(item) == "table" then events[#events + 1] = group_event(item, field, where) end
    end
  end
end

--- Turns a webhook POST body into a flat list of group events, in payload order.
--
-- One event per item of `value.groups[]` for the group fields (`group_lifecycle_update`,
-- `group_participants_update` (also the singular spelling), `group_settings_update`,
-- `group_status_update`, and any later `group_*` field), one per `messages[]` item with a
-- `group_id` and one per `statuses[]` item with `recipient_type` `"group"` (or a
-- `group_id`) in the `messages` field. Anything else (1:1 messages and statuses, other
-- fields) gives no event.
--
-- Each event keeps the item's own fields as they came (participant lists,
-- `join_request_id`, `wa_id`, `reason`, `initiated_by`, `subject`, `invite_link`,
-- setting outcomes, `errors`, unknown fields; JSON null is `cjson.null`) and adds:
--
-- - `field`: the change's field, plural spelling
-- - `type`: the group event type, `group_add_participants` / `group_remove_participants`
--   read as `group_participants_add` / `group_participants_remove`; `"message"` or
--   `"status"` in the `messages` field (a message's own type is in `message_type`)
-- - `group_id`, `request_id` (nil when absent or empty), `timestamp` (a number)
-- - `waba_id` (`entry.id`), `phone_number_id`, `display_phone_number` (metadata)
-- - `ok`: false when the event has `errors`, `failed_participants`, a setting with
--   `update_successful` false, or status `failed`; true otherwise
-- - messages and statuses: `message_id`, `from` (messages) with `contact` (the sender's
--   entry of `contacts[]`), `status` and `recipient_participant_id` (statuses; also read
--   from the `participant_recipient_id` spelling; a status's `group_id` is its
--   `recipient_id`)
--
-- Every error item's numeric `code` is a number, even when the payload quoted it.
-- @tparam string raw_body the request body (verify its signature first)
-- @treturn {table,...} the events, possibly none
-- @raise a protocol error when the body is not JSON or not a `whatsapp_business_account`
--   envelope with an `entry` array; a validation error when `raw_body` is not a string
function webhook.parse(raw_body)
  check_type("webhook.parse", "argument", "raw_body", raw_body, "string")
  -- lua-cjson stops reading at a NUL byte and ignores the rest; JSON never holds a raw one.
  local doc, why = nil, "a NUL byte in the body"
  if not raw_body:find("\0", 1, true) then doc, why = decode(raw_body) end
  if doc == nil then
    failure.raise("protocol", "webhook.parse", {
      reason = why, message = "webhook body is not JSON: " .. tostring(why) })
  end
  if type(doc) ~= "table" or doc.object ~= "whatsapp_business_account" or type(doc.entry) ~= "table" then
    local reason = "not a whatsapp_business_account envelope with an entry array"
    failure.raise("protocol", "webhook.parse", { reason = reason, message = "webhook body is " .. reason })
  end
  local events = {}
  for _, entry in ipairs(doc.entry) do
    if type(entry) == "table" then
      local waba_id = present(entry.id)
      for _, change in ipairs(list(entry.changes)) do
        add_change(events, change, { waba_id = waba_id })
      end
    end
  end
  return events
end

--- An event of `parse`: the item's own fields as they came, and those `parse` adds
-- (every event has `field`, `type`, `group_id`, `timestamp`, `ok`, `waba_id`,
-- `phone_number_id` and `display_phone_number`). The types, by field, with their own
-- fields:
--
-- - `group_lifecycle_update`: `group_create` (`subject`, `description`, `invite_link`,
--   `join_approval_mode`; `errors` when it failed), `group_delete`
-- - `group_participants_update`: `group_participants_add` (`added_participants`, each
--   `{wa_id}`, and `reason`, e.g. `invite_link`), `group_participants_remove`
--   (`removed_participants`, `failed_participants`, `initiated_by`: `business` or
--   `participant`, `errors`), `group_join_request_created` and
--   `group_join_request_revoked` (`join_request_id`, `wa_id`, `reason`)
-- - `group_settings_update`: `group_settings_update` (`group_subject`,
--   `group_description`, `profile_picture`: each `{update_successful, ...}`; `errors`)
-- - `group_status_update`: `group_suspend`, `group_suspend_cleared`
-- - `messages`: `message` (`message_type`, `message_id`, `from`, `contact`, the message
--   body as Graph sent it: `text`, ...; `errors`) and `status` (`message_id`, `status`:
--   `sent`, `delivered`, `read` or `failed`; `recipient_id`, `recipient_participant_id`,
--   `pricing`, `errors`)
-- @table event
-- @field field the change's field, plural spelling
-- @field type the event type above
-- @field group_id the group (a status's `recipient_id` when Graph gives no `group_id`)
-- @field timestamp a number
-- @field request_id the `request_id` of the call the event completes, when present
-- @field ok false when the event has `errors`, `failed_participants`, a setting with
--   `update_successful` false, or status `failed`
-- @field waba_id the entry's id: the WhatsApp Business Account
-- @field phone_number_id from the change's metadata
-- @field display_phone_number from the change's metadata

--- Makes a tracker: it matches operations' `request_id`s with the webhook events that
-- complete them, de-duplicates deliveries and expires what never came, in a store every
-- worker and host of the bot may share. See `whatsapp.groups.Tracker` for its options
-- and methods.
-- @tparam[opt] table options `store`, `ttl`, `keep`, `dedupe_ttl`, `clock`, `on_expire`
-- @treturn whatsapp.groups.Tracker
-- @raise a validation error naming a wrong or unknown option
webhook.tracker = Tracker.new

return webhook
