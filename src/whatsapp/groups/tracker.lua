--- The webhook tracker (`webhook.tracker{...}`): matches the `request_id` an operation
-- returned with the webhook event that completes it, keeps each outcome readable by every
-- worker and host sharing its store, hands each event on once however often Meta delivers
-- it, and says when an expectation expired.
--
-- Callbacks cannot cross workers or hosts, so handlers are registered by name in every
-- one (`tracker:on(name, fn)`), and an expectation names its handler and carries plain
-- data. A handler runs once, in whichever worker or host completes the expectation:
-- the one the webhook reached, or the one calling `expect` when the webhook came first.
-- @classmod whatsapp.groups.Tracker

local core = require "whatsapp.groups.core"
local resty = require "whatsapp.groups.resty"
local store = require "whatsapp.groups.store"
-- A private instance: a caller's cjson settings never change what we store. Not the
-- core's: events may hold numbers JSON cannot write (1e999 reads as inf), which this one
-- writes as null, while the core refuses them in what it sends.
local json = require("cjson.safe").new()
json.encode_invalid_numbers "null" -- a hostile 1e999 in an event must not stop its outcome

local Tracker = { __name = "whatsapp.groups.webhook.Tracker" }
Tracker.__index = Tracker

function Tracker.__tostring(self)
  return Tracker.__name .. " (" .. self.address .. ")"
end

local OPTIONS = { store = true, ttl = true, keep = true, dedupe_ttl = true, clock = true,
                  on_expire = true }
local EXPECT_OPTIONS = { handler = true, on_expire = true, data = true, ttl = true }
local STATES = { pending = true, created = true, completed = true, failed = true, expired = true }
-- Ids and de-duplication keys longer than this are not stored (no Graph id comes near).
local MAX_KEY = 512
-- Expiry buckets: one list per second of deadline, swept once that second is over. A
-- sweep looks this many seconds behind where the last one stopped (the clocks of hosts
-- sharing a store differ a little) and at most MAX_SPAN seconds in one go.
local LOOKBACK, MAX_SPAN = 2, 3600

local function bad(operation, what, field, reason)
  error(core.validation_error(operation, what, field, reason), 0)
end

local function seconds(operation, name, value)
  if type(value) ~= "number" or not (value > 0 and value < math.huge) then
    bad(operation, "option", name, "must be a number of seconds above 0")
  end
  return value
end

local function check_table(operation, what, value, known)
  if value == nil then return {} end
  if type(value) ~= "table" then bad(operation, "argument", what, "table expected, got " .. type(value)) end
  for key in pairs(value) do
    if not known[key] then bad(operation, "option", tostring(key), "unknown name") end
  end
  return value
end

--- Makes a tracker.
-- @tparam[opt] table options `store` (default `store.memory{}`: this Lua state only; see
--   `whatsapp.groups.store`), `ttl` (seconds an expectation waits for its webhook,
--   default 86400), `keep` (seconds an outcome stays readable after it is known, default
--   86400), `dedupe_ttl` (seconds a delivered event is remembered to drop repeats,
--   default 604800: Meta retries deliveries for up to 7 days), `clock` (a function
--   returning seconds, default `store.default_clock()`), `on_expire` (the name of the
--   handler for expectations that name none)
-- @raise a validation error naming a wrong or unknown option
function Tracker.new(options)
  local op = "webhook.tracker"
  options = check_table(op, "options", options, OPTIONS)
  local clock = options.clock or store.default_clock()
  if type(clock) ~= "function" then bad(op, "option", "clock", "function expected, got " .. type(clock)) end
  local self = {
    store = options.store or store.memory { clock = clock },
    ttl = seconds(op, "ttl", options.ttl or 86400),
    keep = seconds(op, "keep", options.keep or 86400),
    dedupe_ttl = seconds(op, "dedupe_ttl", options.dedupe_ttl or 604800),
    clock = clock,
    on_expire = options.on_expire,
    handlers = {},
  }
  if type(self.store) ~= "table" or type(self.store.add) ~= "function" then
    bad(op, "option", "store", "a store from whatsapp.groups.store expected")
  end
  if self.on_expire ~= nil and type(self.on_expire) ~= "string" then
    bad(op, "option", "on_expire", "a handler name (string) expected")
  end
  self.address = tostring(self):match "0x%x+" or tostring(self):gsub("^table: ", "")
  return setmetatable(self, Tracker)
end

--- Registers a handler under a name, in this worker. Register the same names in every
-- worker and host (at start-up: module level, `init_worker_by_lua*`), since any of them
-- may be the one that runs it.
-- @string name
-- @tparam function fn called as `fn(outcome, data)`: the outcome (see `outcome`) and the
--   expectation's data
function Tracker:on(name, fn)
  local op = "webhook.tracker:on"
  if type(name) ~= "string" or name == "" then bad(op, "argument", "name", "a non-empty string expected") end
  if type(fn) ~= "function" then bad(op, "argument", "fn", "function expected, got " .. type(fn)) end
  self.handlers[name] = fn
end

-- Plain data to and from the store. What comes back is hostile: nil unless a table.
local function encode(operation, field, value)
  local text, err = json.encode(value)
  if text == nil then bad(operation, "argument", field, "plain data (JSON) expected: " .. tostring(err)) end
  return text
end

local function decode(text)
  local value = text and json.decode(text)
  return type(value) == "table" and value or nil
end

local function optional(value, kind)
  return type(value) == kind and value or nil
end

-- A stored outcome, each field type-checked; nil when absent or not one.
local function read_outcome(text)
  local t = decode(text)
  if t == nil or not STATES[t.state] then return nil end
  return { state = t.state, request_id = optional(t.request_id, "string"), type = optional(t.type, "string"),
           group_id = optional(t.group_id, "string"), invite_link = optional(t.invite_link, "string"),
           errors = optional(t.errors, "table"), event = optional(t.event, "table") }
end

-- A stored expectation: its handler names and data; nil when absent or not one.
local function read_expectation(text)
  local t = decode(text)
  if t == nil then return nil end
  return { id = optional(t.id, "string"), handler = optional(t.handler, "string"),
           on_expire = optional(t.on_expire, "string"), data = t.data,
           deadline = optional(t.deadline, "number") }
end

local function valid_id(id)
  return type(id) == "string" and id ~= "" and #id <= MAX_KEY
end

local function request_id_of(operation, request)
  local id = request
  if type(request) == "table" then id = request.request_id end
  if not valid_id(id) then
    bad(operation, "argument", "request_id", "a request_id string or a result table carrying one expected")
  end
  return id
end

-- The outcome a completing event gives.
local function outcome_of(event)
  local state = "completed"
  if not event.ok then state = "failed" elseif event.type == "group_create" then state = "created" end
  return { state = state, request_id = event.request_id, type = event.type, group_id = event.group_id,
           invite_link = event.invite_link, errors = event.errors, event = event }
end

-- Runs the handler an outcome calls for, once across every worker and host: the claim in
-- the store decides who. Expiry and completion have a claim each, so a webhook that comes
-- after its expectation expired still reaches the handler.
local function fire(self, id, expectation, outcome)
  local which = outcome.state == "expired" and "expired" or "done"
  local name = expectation.handler
  if which == "expired" then name = expectation.on_expire or self.on_expire end
  if name == nil or not self.store:add("t:fired:" .. which .. ":" .. id, "1", self.keep) then return end
  local fn = self.handlers[name]
  if fn == nil then
    bad("webhook.tracker", "handler", name, "no handler of this name is registered here (tracker:on)")
  end
  fn(outcome, expectation.data)
end

-- Runs fn(...) and keeps the first error it raises in failures, so one failing handler
-- never stops the others.
local function collect(failures, fn, ...)
  local ok, err = pcall(fn, ...)
  if not ok and failures[1] == nil then failures[1] = err end
end

--- Expects the event that completes a request.
-- @tparam string|table request the `request_id`, or the result an operation returned
-- @tparam[opt] table options `handler` (a registered name: runs with the outcome when the
--   event comes), `on_expire` (a registered name: runs when no event came within `ttl`;
--   default the tracker's), `data` (plain data handed to them), `ttl` (seconds, default
--   the tracker's)
-- @treturn boolean true when the event had already come (the webhook can beat the API's
--   answer): then the handler has run, here; false when it now waits
-- @raise a validation error for a missing `request_id`, an unknown option or handler
--   name, or data that is not plain; a `store` error; whatever the handler raises here
function Tracker:expect(request, options)
  local op = "webhook.tracker:expect"
  local id = request_id_of(op, request)
  options = check_table(op, "options", options, EXPECT_OPTIONS)
  for _, key in ipairs { "handler", "on_expire" } do
    local name = options[key]
    if name ~= nil and (type(name) ~= "string" or self.handlers[name] == nil) then
      bad(op, "option", key, "the name of a handler registered with tracker:on expected")
    end
  end
  local ttl = options.ttl == nil and self.ttl or seconds(op, "ttl", options.ttl)
  local now = self.clock()
  local expectation = { id = id, handler = options.handler, on_expire = options.on_expire,
                        data = options.data, deadline = now + ttl }
  local text = encode(op, "data", expectation)
  local s = self.store
  s:add("t:cursor", tostring(math.floor(now) - 1), ttl + self.keep)
  s:set("t:expect:" .. id, text, ttl + self.keep)
  s:push("t:due:" .. math.floor(now + ttl), text, ttl + self.keep)
  self:sweep()
  local outcome = read_outcome(s:get("t:done:" .. id))
  if outcome == nil or outcome.state == "expired" then return false end
  fire(self, id, expectation, outcome)
  return true
end

-- Records what an event says about its request and runs the waiting handler. A repeat of
-- a request already completed changes nothing; an event after expiry replaces "expired".
local function complete(self, id, event)
  local s, key = self.store, "t:done:" .. id
  local outcome = outcome_of(event)
  local text = encode("webhook.tracker:handle", "events", outcome)
  if not s:add(key, text, self.keep) then
    local before = read_outcome(s:get(key))
    if before ~= nil and before.state ~= "expired" then return end
    s:set(key, text, self.keep)
  end
  local expectation = read_expectation(s:get("t:expect:" .. id))
  if expectation ~= nil then fire(self, id, expectation, outcome) end
end

-- A key from parts that must all be there (strings or numbers), each length-prefixed so
-- no two lists of parts make the same key; nil when one is missing or it is too long.
local function key_of(...)
  local parts = { ... }
  for i = 1, select("#", ...) do
    local part = parts[i]
    if type(part) ~= "string" and type(part) ~= "number" then return nil end
    part = tostring(part)
    parts[i] = #part .. ":" .. part
  end
  local key = table.concat(parts)
  return #key <= MAX_KEY and key or nil
end

-- Who an event without a request id or join request id is about: its participants.
local function participants_of(event)
  local list = event.added_participants or event.removed_participants
  if type(list) ~= "table" then return "" end
  local ids = {}
  for i, p in ipairs(list) do
    ids[i] = type(p) == "table" and (optional(p.wa_id, "string") or optional(p.input, "string")
      or optional(p.user_id, "string")) or "?"
  end
  return table.concat(ids, ",")
end

-- The de-duplication key of an event, by kind: a message by its id; a status by message
-- id, status and participant; a group event by type, group, time and what it is about.
local function dedupe_key(event)
  if event.field == "messages" then
    if event.type == "message" then return key_of("message", event.message_id) end
    return key_of("status", event.message_id, event.status, event.recipient_participant_id or "")
  end
  return key_of("group", event.field, event.type, event.group_id, event.timestamp,
    event.request_id or event.join_request_id or participants_of(event))
end

--- Hands the tracker parsed events. An event already handed to any tracker sharing the
-- store within `dedupe_ttl` (Meta delivers at least once) is dropped; each new one with a
-- `request_id` records its outcome and runs the waiting handler. An event lacking what
-- its key needs (a message without id, a group event without group or time) is always
-- new.
-- @tparam table events what `parse` returned, or a single event
-- @treturn {table,...} the events that are new: process these, and only these
-- @raise after handling every event, the first error a handler raised (so one failing
--   handler never loses the others); a validation error when `events` is not a table;
--   a `store` error
function Tracker:handle(events)
  if type(events) ~= "table" then
    bad("webhook.tracker:handle", "argument", "events", "table expected, got " .. type(events))
  end
  if type(events.field) == "string" or events.request_id ~= nil then events = { events } end
  local fresh, failures = {}, {}
  for _, event in ipairs(events) do
    if type(event) == "table" then
      local key = dedupe_key(event)
      if key == nil or self.store:add("t:seen:" .. key, "1", self.dedupe_ttl) then
        fresh[#fresh + 1] = event
        if valid_id(event.request_id) then collect(failures, complete, self, event.request_id, event) end
      end
    end
  end
  collect(failures, self.sweep, self)
  if failures[1] ~= nil then error(failures[1], 0) end
  return fresh
end

-- Expires one expectation from a due bucket, unless an outcome came first (then its
-- handler runs, if that has not happened: the expectation may have been written after
-- the webhook's worker looked for it).
local function expire(self, expectation)
  local id = expectation.id
  if not valid_id(id) then return end
  local s, key = self.store, "t:done:" .. id
  local expired = { state = "expired", request_id = id }
  if s:add(key, encode("webhook.tracker:sweep", "data", expired), self.keep) then
    fire(self, id, expectation, expired)
    return
  end
  local outcome = read_outcome(s:get(key))
  if outcome ~= nil then fire(self, id, expectation, outcome) end
end

--- Expires what waited longer than its `ttl`: each reaches its `on_expire` handler once,
-- and its outcome says `expired`. `expect` and `handle` sweep too; call it yourself
-- where neither runs often (every second from an `ngx.timer.every`, or a game's loop).
-- An expectation is expired within a second of its deadline.
-- @treturn integer how many expectations were looked at
-- @raise after sweeping, the first error a handler raised; a `store` error
function Tracker:sweep()
  local s = self.store
  local last = math.floor(self.clock()) - 1
  local cursor = tonumber(s:get("t:cursor")) or last
  local first = math.max(math.min(cursor, last) + 1 - LOOKBACK, last - MAX_SPAN)
  local looked, failures = 0, {}
  for second = first, last do
    for text in function() return s:pop("t:due:" .. second) end do
      local expectation = read_expectation(text)
      if expectation ~= nil then
        looked = looked + 1
        collect(failures, expire, self, expectation)
      end
    end
  end
  -- The cursor outlives every due list written before it moved.
  if last > cursor then s:set("t:cursor", tostring(last), self.ttl + self.keep) end
  if failures[1] ~= nil then error(failures[1], 0) end
  return looked
end

--- What became of a request, as any worker or host sharing the store sees it.
-- @string request_id
-- @treturn ?table nil when nothing is known (never expected, or forgotten after `keep`);
--   else `state`: `pending` (expected, no webhook yet), `created` (a `group_create` that
--   succeeded: `group_id`, `invite_link`), `completed` (another event that succeeded),
--   `failed` (with `errors`), or `expired` (no webhook within `ttl`; a later one still
--   replaces it); with `request_id`, `type` and `event` (the whole event) once it came
-- @raise a `store` error
function Tracker:outcome(request_id)
  if not valid_id(request_id) then return nil end
  local s = self.store
  local outcome = read_outcome(s:get("t:done:" .. request_id))
  if outcome ~= nil then return outcome end
  local expectation = read_expectation(s:get("t:expect:" .. request_id))
  if expectation == nil then return nil end
  -- Past its deadline, not yet swept: expired all the same.
  local late = expectation.deadline ~= nil and expectation.deadline <= self.clock()
  return { state = late and "expired" or "pending", request_id = request_id }
end

local function default_sleep(seconds_)
  if resty.inside_nginx() then return resty.sleep(seconds_) end
  return core.sleep(seconds_)
end

--- Waits until a request is no longer pending, or `timeout` seconds have passed, polling
-- the store (from 10 ms up to every 200 ms).
-- @string request_id
-- @number timeout seconds
-- @tparam[opt] function sleep how to wait between looks, `sleep(seconds)`: default
--   `ngx.sleep` inside nginx (it never blocks the worker) and a plain sleep elsewhere; in
--   a game loop's coroutine pass one that yields to the loop
-- @treturn ?table the outcome, as `outcome` gives it (still `pending` at the timeout)
function Tracker:wait(request_id, timeout, sleep)
  local op = "webhook.tracker:wait"
  if type(timeout) ~= "number" or not (timeout >= 0 and timeout < math.huge) then
    bad(op, "argument", "timeout", "a number of seconds expected")
  end
  if sleep ~= nil and type(sleep) ~= "function" then
    bad(op, "argument", "sleep", "function expected, got " .. type(sleep))
  end
  sleep = sleep or default_sleep
  local deadline, pause = self.clock() + timeout, 0.01
  while true do
    local outcome = self:outcome(request_id)
    local left = deadline - self.clock()
    if outcome == nil or outcome.state ~= "pending" or left <= 0 then return outcome end
    sleep(math.min(pause, left))
    pause = math.min(pause * 2, 0.2)
  end
end

return Tracker
