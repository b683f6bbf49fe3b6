--- The client's methods, added to the method tables the core made: one per operation,
-- each running its call through the one attempt loop (`whatsapp.groups.call`), with
-- Meta's answers normalised to one documented shape; paging iterators; short forms of
-- `send`. The core checks every argument before any I/O; these functions only carry and
-- reshape. A safe client's methods are the same functions, each wrapped once here.
-- @classmod whatsapp.groups.Client

local core = require "whatsapp.groups.core"
local release = require "whatsapp.groups.version"

-- The two halves must come from one release: they would disagree on what they pass each
-- other, and fail later in ways that do not say why.
if core.VERSION ~= release then
  error("whatsapp.groups.core is release " .. tostring(core.VERSION) .. " but the Lua files "
    .. "(whatsapp.groups.version) are release " .. tostring(release)
    .. ": install both from one release", 0)
end

local engine = require "whatsapp.groups.call"
local resty = require "whatsapp.groups.resty"

local prepare, run, integer = core.prepare, engine.run, core.integer
local perform, by_transport = core.perform, engine.by_transport
local methods, safe_methods = core.client_methods, core.safe_client_methods

-- A failure: returned as nil, err where safe is true and err is ours, else raised.
local function failure(safe, err)
  if safe and core.is_error(err) then return nil, err end
  error(err, 0)
end

local function settled(ok, ...)
  if ok then return ... end
  return failure(true, (...))
end

--- The safe twin of a raising function: our errors come back as nil, err; others raise.
local function protect(fn)
  return function(...) return settled(pcall(fn, ...)) end
end

-- Every value of Graph's answer is checked for its type before it is used: an answer of
-- another shape raises here, which the call turns into a protocol error.

-- What a field must be: a table (an object or a list), or nil.
local function table_or_nil(v, what)
  if v ~= nil and type(v) ~= "table" then
    error(what .. " is a " .. type(v) .. ", not a table", 0)
  end
  return v
end

-- What a field must be: a string, or nil.
local function string_or_nil(v, what)
  if v ~= nil and type(v) ~= "string" then
    error(what .. " is a " .. type(v) .. ", not a string", 0)
  end
  return v
end

-- Graph sends some numbers as strings (reference §11.5): integers either way.
local function integer_field(t, key)
  local v = t[key]
  if v ~= nil then t[key] = integer(v) or v end
end

-- Calls fn on each item of list (nil: none); every item must be a table.
local function each_item(list, fn, what)
  if table_or_nil(list, what or "a list") == nil then return end
  for _, item in ipairs(list) do fn(table_or_nil(item, (what or "a list") .. "'s item")) end
end

local function code_as_integer(e) integer_field(e, "code") end
local function created_at_as_integer(g) integer_field(g, "created_at") end
local function creation_timestamp_as_integer(j) integer_field(j, "creation_timestamp") end

-- Error items of partial results, with their code as an integer.
local function error_items(list)
  list = list or {}
  each_item(list, code_as_integer, "errors")
  return list
end

local function failed_item_errors(f) each_item(f.errors, code_as_integer, "errors") end

-- What an absent paging table reads as; never written to.
local NONE = {}

-- A page: the items, and the cursors to go on with.
local function page(result, key, items)
  local paging = table_or_nil(result.paging, "paging") or NONE
  local cursors = table_or_nil(paging.cursors, "paging.cursors") or NONE
  result[key] = items or {}
  result.after = string_or_nil(cursors.after, "paging.cursors.after")
  result.before = string_or_nil(cursors.before, "paging.cursors.before")
  result.has_next = paging.next ~= nil
  return result
end

-- Acknowledgements (update, delete, remove, delete link) come as success true or "true",
-- a request_id, or nothing; a 206 carries Graph's 131201 "partially succeeded".
local function acknowledgement(result)
  if result.error ~= nil then
    result.partial = true
    result.errors = error_items({ table_or_nil(result.error, "error") })
    result.error = nil
  end
  result.success = not result.partial and result.success ~= false and result.success ~= "false"
  return result
end

-- Approve and reject: the lists are always there, and success says whether all went.
local function join_request_outcome(done_key)
  return function(result)
    result[done_key] = table_or_nil(result[done_key], done_key) or {}
    result.failed_join_requests = table_or_nil(result.failed_join_requests,
      "failed_join_requests") or {}
    each_item(result.failed_join_requests, failed_item_errors, "failed_join_requests")
    result.errors = error_items(result.errors)
    result.success = #result.failed_join_requests == 0 and #result.errors == 0
    return result
  end
end

--- By operation name, the reshaping of Graph's answer each method applies (the pump's
-- too); operations not named here return Graph's answer as it came.
local reshape = {
  list_groups = function(r)
    local data = table_or_nil(r.data, "data")
    local groups = data and data.groups or {}
    each_item(groups, created_at_as_integer, "data.groups")
    return page(r, "groups", groups)
  end,
  get_group = function(r)
    integer_field(r, "creation_timestamp")
    integer_field(r, "total_participant_count")
    return r
  end,
  update_group = acknowledgement,
  delete_group = acknowledgement,
  delete_invite_link = acknowledgement,
  remove_participants = acknowledgement,
  join_requests = function(r)
    each_item(r.data, creation_timestamp_as_integer, "data")
    return page(r, "join_requests", r.data)
  end,
  approve_join_requests = join_request_outcome "approved_join_requests",
  reject_join_requests = join_request_outcome "rejected_join_requests",
  upload_media = function(r)
    r.media_id = string_or_nil(r.id, "id")
    if r.media_id == nil then error("no media id", 0) end
    return r
  end,
  send = function(r)
    local first = table_or_nil(table_or_nil(r.messages, "messages") or NONE, "messages")[1]
    r.message_id = string_or_nil(table_or_nil(first, "messages' item") and first.id, "messages[1].id")
    return r
  end,
}

--- By operation name, the key under which a bare list argument goes.
local list_key = {
  remove_participants = "participants",
  approve_join_requests = "join_requests",
  reject_join_requests = "join_requests",
}

--- The arguments of an operation taking (group_id, list): the list may be given bare or
-- as {key = list}.
local function wrap_list(key, list)
  if type(list) == "table" and rawget(list, key) == nil then return { [key] = list } end
  return list
end

--- The result of a call whose attempts ended: reshaped, or the error raised. An answer
-- of a shape the reshaping cannot read is a protocol error, never a raw Lua error.
local function finish(call, name, result, err)
  if result == nil then error(err, 0) end
  local shape = reshape[name]
  if shape == nil then return result end -- create, invite_link, reset_invite_link
  local ok, shaped = pcall(shape, result)
  if not ok then
    error(call:protocol_error("Graph's answer has an unexpected shape: " .. tostring(shaped)), 0)
  end
  return shaped
end

--- By operation name, its place in core.OPERATIONS: what prepare takes fastest.
local op_index = {}
for i, name in ipairs(core.OPERATIONS) do op_index[name] = i end

--- Runs operation `name` of client self with the method's arguments (call options last)
-- through the client's own carrier.
local function call(self, name, ...)
  local c, transport, pacer = prepare(self, op_index[name], ...)
  return finish(c, name, run(c, transport and by_transport or perform, transport, pacer))
end

local Client = {}

for i, name in ipairs(core.OPERATIONS) do
  local key = list_key[name]
  if key then
    Client[name] = function(self, group_id, list, ...)
      return call(self, name, group_id, wrap_list(key, list), ...)
    end
  else
    Client[name] = function(self, ...)
      local c, transport, pacer = prepare(self, i, ...)
      return finish(c, name, run(c, transport and by_transport or perform, transport, pacer))
    end
  end
end

local check_table = core.check_table
local TEXT_OPTIONS = { "preview_url", "reply_to" }

--- The message send_text sends (the pump's too); raises a validation error for bad
-- options.
local function text_message(body, options)
  check_table("send_text", "options", options, TEXT_OPTIONS)
  options = options or NONE
  return {
    type = "text",
    text = { body = body, preview_url = rawget(options, "preview_url") },
    context = rawget(options, "reply_to") and { message_id = rawget(options, "reply_to") },
  }
end

local MEDIA_OPTIONS = { "type" }

--- The arguments of upload_media (the pump's too): {file, type}, the options checked.
local function media_args(file, options)
  check_table("upload_media", "options", options, MEDIA_OPTIONS)
  return { file = file, type = options and rawget(options, "type") }
end

--- The messages pin and unpin send (the pump's too).
local function pin_message(message_id, days)
  return { type = "pin", pin = { type = "pin", message_id = message_id, expiration_days = days } }
end

local function unpin_message(message_id)
  return { type = "pin", pin = { type = "unpin", message_id = message_id } }
end

--- Sends a text message to a group.
-- @string group_id
-- @string body at most 4096 characters
-- @tparam[opt] table options `preview_url` (boolean), `reply_to` (a message id)
-- @tparam[opt] table call_options `retries`, `backoff`
-- @treturn table as `send`
function Client:send_text(group_id, body, options, call_options)
  return call(self, "send", group_id, text_message(body, options), call_options)
end

--- Uploads a file for `send` to send by its id (`POST /{phone}/media`, multipart).
-- @string file the path of a readable file, or else the file's bytes
-- @tparam table options `type`: the file's MIME type, one Meta supports (checked, with its
--   size limit, before any I/O)
-- @tparam[opt] table call_options
-- @treturn table `media_id` (what `send` takes as `{image = {id = ...}}`), and `id`
function Client:upload_media(file, options, call_options)
  return call(self, "upload_media", media_args(file, options), call_options)
end

--- Pins a group message for 1 to 30 days (at most 3 are pinned; a 4th unpins the oldest).
-- @string group_id
-- @string message_id the wamid of a message in the group
-- @int days
-- @tparam[opt] table call_options
-- @treturn table as `send`
function Client:pin(group_id, message_id, days, call_options)
  return call(self, "send", group_id, pin_message(message_id, days), call_options)
end

--- Unpins a group message.
-- @tparam[opt] table call_options
-- @treturn table as `send`
function Client:unpin(group_id, message_id, call_options)
  return call(self, "send", group_id, unpin_message(message_id), call_options)
end

local PAGE_OPTIONS = { "limit", "max_empty_pages" }
local MAX_EMPTY_PAGES = 10

-- Every item of every page; a failure mid-way raises the error object (also for safe
-- clients: a for loop has no other way to say it). A server that answers page after page
-- without an item, each with a next one, would keep the loop going for ever: after
-- max_empty_pages of them the iterator raises a protocol error.
local function pages(operation, args, fetch, key)
  local max_empty = args and rawget(args, "max_empty_pages") or MAX_EMPTY_PAGES
  if type(max_empty) ~= "number" or max_empty < 1 or max_empty % 1 ~= 0 then
    error(core.validation_error(operation, "field", "max_empty_pages",
      "must be a whole number of at least 1"), 0)
  end
  local items, i, after, done, empty = {}, 0, nil, false, 0
  return function()
    while i >= #items do
      if done then return nil end
      if empty >= max_empty then
        error(core.error("protocol", operation, "Graph answered " .. empty .. " pages in a "
          .. "row without an item, each with a next page: stopped (max_empty_pages)"), 0)
      end
      local result = fetch(after)
      items, i, after = result[key], 0, result.after
      empty = #items == 0 and empty + 1 or 0
      done = not result.has_next or after == nil
    end
    i = i + 1
    return items[i]
  end
end

--- Iterates over all the number's groups: `for group in client:each_group() do ... end`.
-- @tparam[opt] table args `limit`: the page size; `max_empty_pages` (10): pages in a row
--   without an item after which the iterator raises a protocol error
-- @tparam[opt] table call_options for each page's call
-- @return an iterator of group tables
-- @raise the error object when a page fails (131059: the cursor expired, start again)
function Client:each_group(args, call_options)
  check_table("each_group", "args", args, PAGE_OPTIONS)
  local limit = args and rawget(args, "limit")
  return pages("each_group", args, function(after)
    return call(self, "list_groups", { limit = limit, after = after }, call_options)
  end, "groups")
end

--- Iterates over all of a group's pending join requests.
-- @string group_id
-- @tparam[opt] table args `limit`: the page size; `max_empty_pages` (10): pages in a row
--   without an item after which the iterator raises a protocol error
-- @tparam[opt] table call_options for each page's call
-- @return an iterator of join request tables
function Client:each_join_request(group_id, args, call_options)
  check_table("each_join_request", "args", args, PAGE_OPTIONS)
  local limit = args and rawget(args, "limit")
  return pages("each_join_request", args, function(after)
    return call(self, "join_requests", group_id, { limit = limit, after = after }, call_options)
  end, "join_requests")
end

-- The iterators raise for safe clients too: a for loop cannot take nil, err.
local RAISING = { each_group = true, each_join_request = true }

for name, fn in pairs(Client) do
  methods[name] = fn
  safe_methods[name] = RAISING[name] and fn or protect(fn)
end
safe_methods.close = methods.close

--- Every method name, for the module-level functions.
local names = {}
for name in pairs(Client) do names[#names + 1] = name end
table.sort(names)

-- The options for the core's constructor: `transport = "nginx"` (the default inside
-- nginx) becomes the nginx transport function, with its `nginx_location`; the carrier is
-- then a field of the C client like any other option.
local function core_options(options)
  local transport, location = options.transport, options.nginx_location
  local function bad(field, reason)
    error(core.validation_error("new", "option", field, reason), 0)
  end
  if location ~= nil and (type(location) ~= "string" or not location:match "^/") then
    bad("nginx_location", "an nginx location path (\"/...\") expected")
  end
  if location == nil and transport ~= "nginx" and (transport ~= nil or not resty.inside_nginx()) then
    return options
  end
  local copy = {}
  for key, value in pairs(options) do copy[key] = value end
  copy.nginx_location = nil
  if transport == "nginx" or (transport == nil and resty.inside_nginx()) then
    copy.transport = resty.transport(location, options.max_response_size)
  end
  return copy
end

--- Makes a client with `construct` (`core.new` or `core.new_safe`).
local function new(construct, options)
  if type(options) ~= "table" then return construct(options) end
  return construct(core_options(options))
end

return { failure = failure, new = new, op_index = op_index, protect = protect, names = names,
         list_keys = list_key, wrap_list = wrap_list, finish = finish,
         text_message = text_message, pin_message = pin_message, unpin_message = unpin_message,
         media_args = media_args }
