--- The pump: many calls in flight at once, for game loops and event loops, on libcurl's
-- multi interface. `client:async{...}` makes one; each operation is a method taking the
-- blocking method's arguments (call options included) and a callback, which gets the
-- same reshaped result as the blocking method returns, or `nil` and the same error
-- object. Nothing runs in the background: `poll` drives the transfers and runs the
-- callbacks.
--
--     local a = client:async{ max_in_flight = 64 }
--     a:create({ subject = "Ops" }, function(result, err) ... end)
--     while a:poll(10) > 0 do end
--
-- Each call runs the one attempt loop (`whatsapp.groups.call`) in a coroutine of its own,
-- whose carrier hands the attempt to libcurl and yields until `poll` has its answer.
-- Inside a coroutine, a call without a callback suspends the coroutine until `poll` has
-- its answer, and then returns what the blocking method would (or raises its error).
-- @classmod whatsapp.groups.Async

local core = require "whatsapp.groups.core"
local client = require "whatsapp.groups.client"
local engine = require "whatsapp.groups.call"

local Async, SafeAsync = core.async_methods, core.safe_async_methods
local prepare, run, finish = core.prepare, engine.run, client.finish
local pump_start, pump_poll, pump_finish = core.pump_start, core.pump_poll, core.pump_finish
local unpack = table.unpack or unpack -- luacheck: ignore 143

-- By call: {co, name, callback, async} while the pump carries it.
local pending = {}

-- Per Async object: suspend and wakeup (scheduler hooks), safe.
local settings = setmetatable({}, { __mode = "k" })

-- The pump's carrier: waits `delay` in libcurl's queue, then yields until poll has the
-- answer; a closed pump answers at once.
local function carry(call, delay, async)
  if pump_start(async, call, delay) then coroutine.yield() end
end

-- By call: when its pacer's hold ends (core.now()), for calls held back before an attempt.
local held = {}
local now = core.now

-- The pump's wait for a pacer's hold: poll resumes the call once it is over.
local function holder(call)
  return function(seconds)
    held[call] = now() + seconds
    coroutine.yield()
  end
end

local function run_in_pump(async, call, name, pacer)
  return pcall(finish, call, name, run(call, carry, async, pacer, pacer and holder(call)))
end

-- Starts call (operation name) on async; callback(result, err) runs from poll.
local function start(async, call, name, callback, pacer)
  local co = coroutine.create(run_in_pump)
  pending[call] = { co = co, callback = callback, async = async }
  local ok, fine, err = coroutine.resume(co, async, call, name, pacer)
  if coroutine.status(co) == "dead" then -- never handed to libcurl: the pump was closed
    pending[call] = nil
    error(ok and not fine and err or call:protocol_error(tostring(fine)), 0)
  end
end

-- The arguments, with the callback taken off the end when the last one given is a
-- function (no operation takes a function as an argument).
local function split(...)
  local n, args = select("#", ...), { ... }
  while n > 0 and args[n] == nil do n = n - 1 end
  if n > 0 and type(args[n]) == "function" then
    local callback = args[n]
    args[n] = nil
    return args, n - 1, callback
  end
  return args, n, nil
end

local function yield() coroutine.yield() end

local function resume(co)
  if coroutine.status(co) ~= "suspended" then return end
  local ok, err = coroutine.resume(co)
  if not ok then error(err, 0) end
end

-- No callback: inside a coroutine, submit, suspend it until poll has the answer, and
-- return as the blocking method does: raising its error, or for a safe pump returning
-- nil, err (without pcall, which Lua 5.1 cannot yield across).
-- Whether a pcall stands between here and the coroutine's start, on Lua 5.1 (not LuaJIT),
-- which cannot yield across it: a call awaited there would be sent and never be waited for.
local function under_pcall()
  if _VERSION ~= "Lua 5.1" or rawget(_G, "jit") then return false end
  for level = 3, 200 do
    local info = debug.getinfo(level, "f")
    if info == nil then return false end
    if info.func == pcall or info.func == xpcall then return true end
  end
  return false
end

local function await(async, call, name, safe, pacer)
  local co, main = coroutine.running()
  if co == nil or main then
    return client.failure(safe, core.validation_error(name, "argument", "callback",
      "function expected (or call it inside a coroutine, without one)"))
  end
  if under_pcall() then
    return client.failure(safe, core.validation_error(name, "argument", "callback",
      "function expected: Lua 5.1 cannot wait for a call inside pcall"))
  end
  local s = settings[async] or {}
  local wakeup, suspend = s.wakeup or resume, s.suspend or yield
  local answer
  start(async, call, name, function(result, e)
    answer = { result, e }
    wakeup(co)
  end, pacer)
  while answer == nil do suspend(co) end
  if answer[1] == nil then return client.failure(safe, answer[2]) end
  return answer[1]
end

local function prepared(async, name, make_args, ...)
  local c = core.pump_client(async)
  if c == nil then
    error(core.validation_error(name, "argument", nil, "the pump is closed"), 0)
  end
  local args, n = make_args(...)
  return prepare(c, client.op_index[name], unpack(args, 1, n))
end

-- A pump method for operation name: make_args(...) turns the method's arguments (its
-- callback taken off) into the operation's. The safe twin returns nil, err for our
-- errors; both raise others.
local function method(name, make_args, safe)
  return function(self, ...)
    local args, n, callback = split(...)
    local ok, call, _, pacer = pcall(prepared, self, name, make_args, unpack(args, 1, n))
    if not ok then return client.failure(safe, call) end
    if callback == nil then return await(self, call, name, safe, pacer) end
    local started, err = pcall(start, self, call, name, callback, pacer)
    if not started then return client.failure(safe, err) end
    return true
  end
end

local function as_given(...) return { ... }, select("#", ...) end

local methods = {}

-- Each operation of the core: (the blocking method's arguments, [call options], callback).
for _, name in ipairs(core.OPERATIONS) do
  local list_key = client.list_keys[name]
  methods[name] = { name, list_key and function(group_id, list, ...)
    return { group_id, client.wrap_list(list_key, list), ... }, select("#", ...) + 2
  end or as_given }
end

--- Sends a text message to a group, as `client:send_text`: (group_id, body, [options],
-- [call_options], [callback]); without a callback, inside a coroutine, waits.
methods.send_text = { "send", function(group_id, body, options, call_options)
  return { group_id, client.text_message(body, options), call_options }, 3
end }

--- Pins a group message for 1 to 30 days, as `client:pin`.
methods.pin = { "send", function(group_id, message_id, days, call_options)
  return { group_id, client.pin_message(message_id, days), call_options }, 3
end }

--- Uploads a file, as `client:upload_media`.
methods.upload_media = { "upload_media", function(file, options, call_options)
  return { client.media_args(file, options), call_options }, 2
end }

--- Unpins a group message, as `client:unpin`.
methods.unpin = { "send", function(group_id, message_id, call_options)
  return { group_id, client.unpin_message(message_id), call_options }, 3
end }

for name, m in pairs(methods) do
  Async[name] = method(m[1], m[2], false)
  SafeAsync[name] = method(m[1], m[2], true)
end

-- Appends what a hook raised during a call to the poll's errors.
local function add_hook_errors(errors, value)
  local raised = type(value) == "table" and rawget(value, "hook_errors")
  if raised then
    for _, e in ipairs(raised) do errors[#errors + 1] = e end
  end
end

-- Resumes the coroutine of each call whose attempt has its answer; returns the callbacks
-- of the calls that ended, with their values, to run once every answer is settled.
local function settle(calls)
  local ended = {}
  for _, call in ipairs(calls) do
    local p = pending[call]
    if p ~= nil then -- nil: cancelled by a close meanwhile
      local ok, fine, result, err = coroutine.resume(p.co)
      -- A hook may have closed the pump meanwhile: then close gave the callback its error.
      if coroutine.status(p.co) == "dead" and pending[call] == p then
        pending[call] = nil
        pump_finish(call)
        if not ok then result, err = nil, call:protocol_error(tostring(fine))
        elseif not fine then result, err = nil, result end
        ended[#ended + 1] = { p.callback, result, err }
      end
    end
  end
  return ended
end

local function run_callbacks(ended, errors)
  for _, e in ipairs(ended) do
    add_hook_errors(errors, e[2] or e[3])
    local ok, raised = pcall(e[1], e[2], e[3])
    if not ok then errors[#errors + 1] = raised == nil and "(error object is a nil value)" or raised end
  end
end

-- The milliseconds until the first hold ends, at most ms.
local function until_hold_ends(ms)
  local t = now()
  for _, at in pairs(held) do
    if (at - t) * 1000 < ms then ms = math.max(0, (at - t) * 1000) end
  end
  return ms
end

-- Appends to calls those whose hold is over, which are held no more.
local function take_due(calls)
  local t = now()
  for call, at in pairs(held) do
    if at <= t then calls[#calls + 1] = call end
  end
  for i = 1, #calls do held[calls[i]] = nil end
  return calls
end

local function step(self, ms, errors)
  run_callbacks(settle(take_due(pump_poll(self, until_hold_ends(ms)))), errors)
end

-- The calls in flight: queued, running or waiting in libcurl, or held back by a pacer.
local function in_flight(self)
  local n = core.pump_in_flight(self)
  for call in pairs(held) do
    if pending[call] and pending[call].async == self then n = n + 1 end
  end
  return n
end

--- Drives the transfers for up to `timeout_ms` (0: not at all) and runs the callbacks of
-- the calls that ended.
-- @number[opt=0] timeout_ms
-- @treturn int the calls still in flight
-- @treturn ?table what callbacks and hooks raised, or nil
function Async:poll(timeout_ms)
  local errors = {}
  step(self, timeout_ms or 0, errors)
  return in_flight(self), errors[1] ~= nil and errors or nil
end

--- Polls until nothing is in flight.
-- @treturn ?table what callbacks and hooks raised, or nil
function Async:wait()
  local errors = {}
  if core.pump_client(self) == nil then
    error(core.validation_error("wait", "argument", nil, "the pump is closed"), 0)
  end
  while in_flight(self) > 0 do step(self, 1000, errors) end
  return errors[1] ~= nil and errors or nil
end

--- Closes the pump: pending callbacks get a network error saying the pump closed, and
-- new calls are refused. Safe to call again.
-- @treturn ?table what the callbacks raised, or nil
function Async:close()
  local cancelled, ended = core.pump_close(self), {}
  for i = 1, #cancelled, 2 do
    local call, err = cancelled[i], cancelled[i + 1]
    local p = pending[call]
    if p ~= nil then
      pending[call] = nil
      ended[#ended + 1] = { p.callback, nil, err }
    end
  end
  for call in pairs(held) do
    local p = pending[call]
    if p ~= nil and p.async == self then
      held[call], pending[call] = nil, nil
      pump_finish(call)
      ended[#ended + 1] = { p.callback, nil, call:closed "pump" }
    end
  end
  local errors = {}
  run_callbacks(ended, errors)
  return errors[1] ~= nil and errors or nil
end

--- The calls in flight (queued, running, waiting for a retry or for a pacer's hold).
-- @treturn int
Async.in_flight = in_flight

--- The pump's client, or nil once the pump is closed.
Async.client = core.pump_client

for _, name in ipairs { "poll", "wait", "close", "in_flight", "client" } do
  SafeAsync[name] = Async[name]
end

local M = {}

local SCHEDULER = { suspend = true, wakeup = true }

--- Makes a pump for a client (what `client:async(options)` calls).
-- @param c the client
-- @tparam[opt] table options `max_in_flight` (1-1024, default 32), `max_streams` (HTTP/2
--   streams per connection, default 100), `max_host_connections`
--   (default: chosen by the pump), `pump` (another Async object whose pump, connections and
--   limits to share), `suspend(co)` and `wakeup(co)` (how a coroutine waiting without a
--   callback is suspended and woken; default `coroutine.yield` and `coroutine.resume`)
-- @treturn whatsapp.groups.Async
function M.new(c, options)
  local s, rest = {}, options
  if type(options) == "table" then
    rest = {}
    for key, value in pairs(options) do
      if SCHEDULER[key] then
        if type(value) ~= "function" then
          error(core.validation_error("async", "option", key,
            "function expected, got " .. type(value)), 0)
        end
        s[key] = value
      else
        rest[key] = value
      end
    end
    -- A scheduler's primitive that is nil (copas.pauseforever on copas 1.1) looks like
    -- one not given: the two must come together.
    if (s.suspend == nil) ~= (s.wakeup == nil) then
      error(core.validation_error("async", "option", s.suspend and "wakeup" or "suspend",
        "give suspend and wakeup together"), 0)
    end
  end
  local a = core.async(c, rest)
  settings[a] = s
  local mt = getmetatable(a)
  mt.__close = mt.__close or Async.close -- Lua 5.4's <close>: as :close()
  return a
end

core.client_methods.async = M.new
core.safe_client_methods.async = client.protect(M.new)

return M
