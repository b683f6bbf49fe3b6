--- The client's methods written in Lua: Meta's answers normalised to one documented
-- shape, paging iterators, and short forms of `send`. The C core checks every argument
-- before any I/O; these functions only reshape tables.
-- @classmod whatsapp.groups.Client

local core = require "whatsapp.groups.core"
local resty = require "whatsapp.groups.resty"

local methods = core.methods

-- The transport function of each client made with one; the others use libcurl, in C.
local transports = setmetatable({}, { __mode = "k" })
-- The pacer of each client made with one (whatsapp.groups.pacer).
local pacers = setmetatable({}, { __mode = "k" })

-- A failure: returned as nil, err where safe is true and err is ours, else raised.
local function failure(safe, err)
  if safe and core.is_error(err) then return nil, err end
  error(err, 0)
end

-- A failure of a call of client self.
local function failed(self, err)
  return failure(core.is_safe(self), err)
end

-- Waits between attempts without blocking nginx's worker when inside nginx.
local function sleep(seconds)
  if resty.inside_nginx() then return resty.sleep(seconds) end
  return core.sleep(seconds)
end

-- Runs one operation. With a transport, C prepares the request, the transport carries it
-- and C settles the answer, exactly as its own libcurl transport would; when settle says a
-- retry may help, it names the wait. Inside nginx the transport yields, and LuaJIT cannot
-- yield across a C function: that is why the choice is made here, in Lua, and not in C.
local function invoke(c_method, self, name, ...)
  local carry = transports[self]
  if carry == nil then return c_method(self, ...) end
  local ok, request = pcall(core.prepare, self, name, ...)
  if not ok then return failed(self, request) end
  request.attempts = 1
  local pacer = pacers[self]
  while true do
    -- Pacing: before each attempt, wait out (or fail on) throttling any worker sharing the
    -- pacer's store met; after it, tell the pacer what Graph answered.
    local held = pacer and pacer:admit(request, sleep)
    if held then return failed(self, held) end
    local status, headers, body = carry(request)
    if status == nil and core.is_error(headers) then return failed(self, headers) end
    local result, err, delay = core.settle(self, request, status, headers, body)
    if pacer then pacer:record(request, result, err) end
    if result ~= nil then return result end
    if delay == nil then return failed(self, err) end
    sleep(delay)
    request.attempts = request.attempts + 1
  end
end

local raw = {}
for _, name in ipairs(core.OPERATIONS) do
  local c_method = methods[name]
  raw[name] = function(self, ...) return invoke(c_method, self, name, ...) end
end

local Client = {}

-- Graph sends some numbers as strings (reference §11.5): read both.
local function number_field(t, key)
  if t[key] ~= nil then t[key] = tonumber(t[key]) or t[key] end
end

local function each_item(list, fn)
  if list == nil then return end
  for _, item in ipairs(list) do fn(item) end
end

local function code_as_number(e) number_field(e, "code") end
local function created_at_as_number(g) number_field(g, "created_at") end
local function creation_timestamp_as_number(j) number_field(j, "creation_timestamp") end

-- Error items of partial results, with their code as a number.
local function error_items(list)
  list = list or {}
  each_item(list, code_as_number)
  return list
end

local function failed_item_errors(f) each_item(f.errors, code_as_number) end

-- What an absent paging table reads as; never written to.
local NONE = {}

-- A page: the items, and the cursors to go on with.
local function page(result, key, items)
  local paging = result.paging or NONE
  local cursors = paging.cursors or NONE
  result[key] = items or {}
  result.after = cursors.after
  result.before = cursors.before
  result.has_next = paging.next ~= nil
  return result
end

-- Acknowledgements (update, delete, remove, delete link) come as success true or "true",
-- a request_id, or nothing; a 206 carries Graph's 131201 "partially succeeded".
local function acknowledgement(result)
  if result.error ~= nil then
    result.partial = true
    result.errors = error_items({ result.error })
    result.error = nil
  end
  result.success = not result.partial and result.success ~= false and result.success ~= "false"
  return result
end

-- Approve and reject: the lists are always there, and success says whether all went.
local function join_request_outcome(done_key)
  return function(result)
    result[done_key] = result[done_key] or {}
    result.failed_join_requests = result.failed_join_requests or {}
    each_item(result.failed_join_requests, failed_item_errors)
    result.errors = error_items(result.errors)
    result.success = #result.failed_join_requests == 0 and #result.errors == 0
    return result
  end
end

-- A validation error made here: raised, or returned by safe clients.
local function fail(self, operation, what, field, reason)
  return failed(self, core.validation_error(operation, what, field, reason))
end

-- By operation name, the reshaping of Graph's answer each method applies and the key under
-- which a bare list argument goes: for the methods here and for the pump
-- (whatsapp.groups.async).
local reshape, list_key = {}, {}

-- An operation with its result reshaped; nil, err (from safe clients) passed through.
local function reshaped(name, shape)
  local method = raw[name]
  reshape[name] = shape
  return function(...)
    local result, err = method(...)
    if result == nil then return nil, err end
    return shape(result)
  end
end

-- The arguments of an operation taking (group_id, list): the list may be given bare or as
-- {key = list}.
local function wrap_list(key, list)
  if type(list) == "table" and list[key] == nil then return { [key] = list } end
  return list
end

-- Methods taking (group_id, list).
local function with_list(name, key, shape)
  list_key[name] = key
  local call = reshaped(name, shape)
  return function(self, group_id, list, ...)
    return call(self, group_id, wrap_list(key, list), ...)
  end
end

--- One page of the business number's active groups.
-- @tparam[opt] table args `limit` (1-1024), `after` or `before` (cursors of an earlier page)
-- @treturn table `groups` (each `id`, `subject`, `created_at` as a number), `after`,
--   `before`, `has_next`, and `paging` as Graph sent it
-- @raise a validation error before any I/O, or the error the exchange came to
Client.list_groups = reshaped("list_groups", function(r)
  local groups = r.data and r.data.groups or {}
  each_item(groups, created_at_as_number)
  return page(r, "groups", groups)
end)

--- A group's details.
-- @string group_id
-- @tparam[opt] table args `fields`: a list of field names (default: all documented ones)
-- @treturn table `id`, `subject`, `description`, `join_approval_mode`, `suspended`,
--   `creation_timestamp` (a number), `participants`, `total_participant_count`
Client.get_group = reshaped("get_group", function(r)
  number_field(r, "creation_timestamp")
  number_field(r, "total_participant_count")
  return r
end)

--- Changes a group's `subject`, `description` and/or `picture` (JPEG bytes or a path:
-- square, at least 192x192, at most 5 MB).
-- @string group_id
-- @tparam table args at least one of the three
-- @treturn table `success`, and `request_id` when Graph gave one (the
--   group_settings_update webhook carries it)
Client.update_group = reshaped("update_group", acknowledgement)

--- Deletes a group, removing every participant.
-- @string group_id
-- @treturn table `success`, and `request_id` when Graph gave one
Client.delete_group = reshaped("delete_group", acknowledgement)

--- Deletes the group's invite link; `reset_invite_link` makes a new one.
-- @string group_id
-- @treturn table `success`
Client.delete_invite_link = reshaped("delete_invite_link", acknowledgement)

--- Removes participants: 1 to 8 phone numbers, WhatsApp ids or business-scoped ids.
-- @string group_id
-- @tparam table participants a list of strings
-- @treturn table `success` (false when only some went: then `partial` and `errors`), and
--   `request_id` when Graph gave one
Client.remove_participants = with_list("remove_participants", "participants", acknowledgement)

--- One page of a group's pending join requests.
-- @string group_id
-- @tparam[opt] table args `limit`, `after`, `before`
-- @treturn table `join_requests` (each `join_request_id`, `wa_id`, `creation_timestamp`
--   as a number), `after`, `before`, `has_next`
Client.join_requests = reshaped("join_requests", function(r)
  each_item(r.data, creation_timestamp_as_number)
  return page(r, "join_requests", r.data)
end)

--- Approves join requests; those that fail come back in the result, not as an error.
-- @string group_id
-- @tparam table ids a list of join request ids
-- @treturn table `approved_join_requests`, `failed_join_requests` (each with `errors`),
--   `errors`, and `success` (true when every one was approved)
Client.approve_join_requests = with_list("approve_join_requests", "join_requests",
  join_request_outcome "approved_join_requests")

--- Rejects join requests (no webhook follows).
-- @string group_id
-- @tparam table ids a list of join request ids
-- @treturn table `rejected_join_requests`, `failed_join_requests`, `errors`, `success`
Client.reject_join_requests = with_list("reject_join_requests", "join_requests",
  join_request_outcome "rejected_join_requests")

--- Sends a message to a group: text, media (image, audio, video, document, sticker; by
-- `id` or `link`), a template, or a pin. Other types are refused before any I/O.
-- @string group_id
-- @tparam table message e.g. `{type = "text", text = {body = "hi"}}`
-- @treturn table `message_id` (the wamid), plus `messages` and `contacts` as Graph sent them
Client.send = reshaped("send", function(r)
  r.message_id = r.messages and r.messages[1] and r.messages[1].id
  return r
end)

-- The message send_text sends, or nil and what is wrong with the options (what, field,
-- reason), for the caller to raise or return.
local function text_message(body, options)
  options = options or {}
  if type(options) ~= "table" then
    return nil, "argument", "options", "table expected, got " .. type(options)
  end
  for key in pairs(options) do
    if key ~= "preview_url" and key ~= "reply_to" then
      return nil, "option", tostring(key), "unknown name"
    end
  end
  return {
    type = "text",
    text = { body = body, preview_url = options.preview_url },
    context = options.reply_to and { message_id = options.reply_to },
  }
end

--- Sends a text message to a group.
-- @string group_id
-- @string body at most 4096 characters
-- @tparam[opt] table options `preview_url` (boolean), `reply_to` (a message id)
-- @treturn table as `send`
function Client:send_text(group_id, body, options)
  local message, what, field, reason = text_message(body, options)
  if message == nil then return fail(self, "send_text", what, field, reason) end
  return self:send(group_id, message)
end

-- The messages pin and unpin send (the pump's too).
local function pin_message(message_id, days)
  return { type = "pin", pin = { type = "pin", message_id = message_id, expiration_days = days } }
end

local function unpin_message(message_id)
  return { type = "pin", pin = { type = "unpin", message_id = message_id } }
end

--- Pins a group message for 1 to 30 days (at most 3 are pinned; a 4th unpins the oldest).
-- @string group_id
-- @string message_id the wamid of a message in the group
-- @int days
-- @treturn table as `send`
function Client:pin(group_id, message_id, days)
  return self:send(group_id, pin_message(message_id, days))
end

--- Unpins a group message.
-- @treturn table as `send`
function Client:unpin(group_id, message_id)
  return self:send(group_id, unpin_message(message_id))
end

-- Iterates over every item of every page; a failure mid-way raises the error object
-- (also for safe clients: a for loop has no other way to say it).
-- The iterators' args: nil or {limit = n}; the page calls check n. Raised even by safe
-- clients, as a failing page is: a for loop cannot take nil, err.
local function page_limit(operation, args)
  if args == nil then return nil end
  if type(args) ~= "table" then
    error(core.validation_error(operation, "argument", "args", "table expected, got " .. type(args)), 0)
  end
  for key in pairs(args) do
    if key ~= "limit" then
      error(core.validation_error(operation, "field", tostring(key), "unknown name"), 0)
    end
  end
  return args.limit
end

local function pages(fetch, key)
  local items, i, after, done = {}, 0, nil, false
  return function()
    while i >= #items do
      if done then return nil end
      local result, err = fetch(after)
      if result == nil then error(err, 0) end
      items, i, after = result[key], 0, result.after
      done = not result.has_next or after == nil
    end
    i = i + 1
    return items[i]
  end
end

--- Iterates over all the number's groups: `for group in client:each_group() do ... end`.
-- @tparam[opt] table args `limit`: the page size
-- @return an iterator of group tables
-- @raise the error object when a page fails (131059: the cursor expired, start again)
function Client:each_group(args)
  local limit = page_limit("each_group", args)
  return pages(function(after)
    return self:list_groups { limit = limit, after = after }
  end, "groups")
end

--- Iterates over all of a group's pending join requests.
-- @string group_id
-- @tparam[opt] table args `limit`: the page size
-- @return an iterator of join request tables
function Client:each_join_request(group_id, args)
  local limit = page_limit("each_join_request", args)
  return pages(function(after)
    return self:join_requests(group_id, { limit = limit, after = after })
  end, "join_requests")
end

Client.create = raw.create
Client.invite_link = raw.invite_link
Client.reset_invite_link = raw.reset_invite_link
Client.close = methods.close

for name, fn in pairs(Client) do methods[name] = fn end

--- Every method name, for the module-level functions.
local names = {}
for name in pairs(Client) do
  if name ~= "close" then names[#names + 1] = name end
end
table.sort(names)

-- The transport the options ask for: a function, or nil for libcurl in C.
local function choose(options)
  local transport, location = options.transport, options.nginx_location
  local function bad(field, reason)
    error(core.validation_error("new", "option", field, reason), 0)
  end
  if location ~= nil and (type(location) ~= "string" or not location:match "^/") then
    bad("nginx_location", "an nginx location path (\"/...\") expected")
  end
  if type(transport) == "function" then return transport end
  if transport == "nginx" or (transport == nil and resty.inside_nginx()) then
    return resty.transport(location)
  end
  if transport ~= nil and transport ~= "blocking" then
    bad("transport", "\"nginx\", \"blocking\" or a function expected")
  end
end

-- The pacer the options give, or nil. It is consulted in invoke's loop, which libcurl's
-- own loop (in C) does not run through: it needs a transport function or nginx.
local function pacer_of(options, carry)
  local pacer = options.pacer
  if pacer == nil then return nil end
  local reason
  if type(pacer) ~= "table" or type(pacer.admit) ~= "function" or type(pacer.record) ~= "function" then
    reason = "a pacer from whatsapp.groups.pacer expected"
  elseif carry == nil then
    reason = "pacing needs transport = \"nginx\" or a function (not blocking libcurl)"
  end
  if reason then error(core.validation_error("new", "option", "pacer", reason), 0) end
  return pacer
end

-- Options read here, in Lua; the others go to C.
local LUA_OPTIONS = { transport = true, nginx_location = true, pacer = true }

--- Makes a client with `construct` (`core.new` or `core.new_safe`): the `transport`,
-- `nginx_location` and `pacer` options are taken here, the others by C.
local function new(construct, options)
  if type(options) ~= "table" then return construct(options) end
  local carry = choose(options)
  local pacer = pacer_of(options, carry)
  local rest = {}
  for key, value in pairs(options) do
    if not LUA_OPTIONS[key] then rest[key] = value end
  end
  local client = construct(rest)
  transports[client] = carry
  pacers[client] = pacer
  return client
end

return { failure = failure, names = names, new = new, reshape = reshape, list_keys = list_key,
         wrap_list = wrap_list, text_message = text_message, pin_message = pin_message,
         unpin_message = unpin_message }
