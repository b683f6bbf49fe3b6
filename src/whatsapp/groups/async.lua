--- The pump: many calls in flight at once, for game loops and event loops, on libcurl's
-- multi interface. `client:async{...}` makes one; each operation is a method taking the
-- blocking method's arguments and a callback, which gets the same reshaped result as the
-- blocking method returns, or `nil` and the same error object. Nothing runs in the
-- background: `poll` drives the transfers and runs the callbacks.
--
--     local a = client:async{ max_in_flight = 64 }
--     a:create({ subject = "Ops" }, function(result, err) ... end)
--     while a:poll(10) > 0 do end
--
-- Inside a coroutine, a call without a callback suspends the coroutine until `poll`
-- has its answer, and then returns what the blocking method would (or raises its error).
-- @classmod whatsapp.groups.Async

local core = require "whatsapp.groups.core"
local client = require "whatsapp.groups.client"

local Async = core.async_methods
local submit = Async.submit
local unpack = table.unpack or unpack -- luacheck: ignore 143

local reshape_of = client.reshape      -- operation name -> its reshaping of Graph's answer
local list_key_of = client.list_keys   -- operation name -> the key of its list argument

-- Per Async object: safe (from a safe client), suspend and wakeup (scheduler hooks).
local settings = setmetatable({}, { __mode = "k" })

-- A validation error made here: raised, or returned by the pumps of safe clients.
local function fail(self, operation, what, field, reason)
  return client.failure(settings[self] and settings[self].safe,
    core.validation_error(operation, what, field, reason))
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

local function deliver(callback, reshape)
  if reshape == nil then return callback end
  return function(result, err)
    if result ~= nil then result = reshape(result) end
    return callback(result, err)
  end
end

local function yield() coroutine.yield() end

local function resume(co)
  if coroutine.status(co) ~= "suspended" then return end
  local ok, err = coroutine.resume(co)
  if not ok then error(err, 0) end
end

-- No callback: inside a coroutine, submit, suspend it until poll has the answer, and
-- return as the blocking method does.
local function await(self, name, args, n, reshape)
  local co, main = coroutine.running()
  if co == nil or main then
    return fail(self, name, "argument", "callback",
      "function expected (or call it inside a coroutine, without one)")
  end
  local s = settings[self] or {}
  local wakeup, suspend = s.wakeup or resume, s.suspend or yield
  local answer
  local ok, err = submit(self, name, function(result, e)
    answer = { result, e }
    wakeup(co)
  end, unpack(args, 1, n))
  if not ok then return nil, err end
  while answer == nil do suspend(co) end
  local result, e = answer[1], answer[2]
  if result == nil then
    if s.safe then return nil, e end
    error(e, 0)
  end
  if reshape then result = reshape(result) end
  return result
end

local function start(self, name, args, n, callback)
  local reshape = reshape_of[name]
  if callback == nil then return await(self, name, args, n, reshape) end
  return submit(self, name, deliver(callback, reshape), unpack(args, 1, n))
end

-- Each operation of the core: (the blocking method's arguments, [call options], callback).
for _, name in ipairs(core.OPERATIONS) do
  local list_key = list_key_of[name]
  Async[name] = function(self, ...)
    local args, n, callback = split(...)
    if list_key then args[2] = client.wrap_list(list_key, args[2]) end
    return start(self, name, args, n, callback)
  end
end

--- Sends a text message to a group, as `client:send_text`.
-- @string group_id
-- @string body
-- @tparam[opt] table options `preview_url`, `reply_to`
-- @func[opt] callback `function(result, err)`; without one, inside a coroutine, waits
-- @treturn boolean true once submitted
function Async:send_text(...)
  local args, _, callback = split(...)
  local message, what, field, reason = client.text_message(args[2], args[3])
  if message == nil then return fail(self, "send_text", what, field, reason) end
  return start(self, "send", { args[1], message }, 2, callback)
end

--- Pins a group message for 1 to 30 days, as `client:pin`.
function Async:pin(...)
  local args, _, callback = split(...)
  return start(self, "send", { args[1], client.pin_message(args[2], args[3]) }, 2, callback)
end

--- Unpins a group message, as `client:unpin`.
function Async:unpin(...)
  local args, _, callback = split(...)
  return start(self, "send", { args[1], client.unpin_message(args[2]) }, 2, callback)
end

local M = {}

--- Makes a pump for a client (what `client:async(options)` calls).
-- @param c the client
-- @tparam[opt] table options `max_in_flight` (1-1024, default 32), `max_host_connections`
--   (default: max_in_flight), `pump` (another Async object whose pump, connections and
--   limits to share), `suspend(co)` and `wakeup(co)` (how a coroutine waiting without a
--   callback is suspended and woken; default `coroutine.yield` and `coroutine.resume`)
-- @treturn whatsapp.groups.Async
function M.new(c, options)
  local s = { safe = core.is_safe(c) }
  local rest = options
  if type(options) == "table" then
    rest = {}
    for key, value in pairs(options) do
      if key == "suspend" or key == "wakeup" then
        if type(value) ~= "function" then
          return client.failure(s.safe, core.validation_error("async", "option", key,
            "function expected, got " .. type(value)))
        end
        s[key] = value
      else
        rest[key] = value
      end
    end
  end
  local ok, a = pcall(core.async, c, rest)
  if not ok then return client.failure(s.safe, a) end
  settings[a] = s
  return a
end

return M
