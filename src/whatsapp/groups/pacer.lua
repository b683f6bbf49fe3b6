--- Shared pacing: when Graph throttles one worker or host, the calls of the same kind
-- from every worker and host sharing the pacer's store wait it out (or fail at once,
-- retryable, with `retry_after`) instead of each finding out with a request of its own.
--
--     local pacer = require("whatsapp.groups.pacer").new{ store = store.shared(ngx.shared.whatsapp) }
--     local client = groups.new{ token = TOKEN, phone_number_id = PHONE, pacer = pacer }
--
-- The client consults the pacer before each attempt and tells it every answer. What
-- counts as throttling: Graph's codes 4 (app) and 80007 (WABA), which hold back every
-- call, and 130429, 131056 and 131208, which hold back calls of the same operation; and
-- a usage header (`X-Business-Use-Case-Usage`) at 100 % with
-- `estimated_time_to_regain_access`, which holds back every call. The hold lasts what
-- `Retry-After` (or the usage header) said, else `wait` seconds; it is a key with that
-- TTL in the store, so hosts whose clocks differ agree on it.
-- @classmod whatsapp.groups.Pacer

local core = require "whatsapp.groups.core"
local failure = require "whatsapp.groups.failure"
-- The core's JSON instance: a caller's cjson settings never change what we store.
local json = { encode = core.json_encode, decode = core.json_decode }

local Pacer = { __name = "whatsapp.groups.Pacer" }
Pacer.__index = Pacer

function Pacer.__tostring(self)
  return Pacer.__name .. " (" .. self.address .. ")"
end

-- Codes that hold back every call, and those that hold back calls of one operation.
local EVERY_CALL = { [4] = true, [80007] = true }
local SAME_KIND = { [130429] = true, [131056] = true, [131208] = true }
local ALL = "*"
local OPTIONS = { store = true, mode = true, max_wait = true, wait = true }

local function bad(what, field, reason)
  error(core.validation_error("pacer.new", what, field, reason), 0)
end

local function seconds(name, value)
  if type(value) ~= "number" or not (value > 0 and value < math.huge) then
    bad("option", name, "must be a number of seconds above 0")
  end
  return value
end

--- Makes a pacer.
-- @tparam table options `store` (required: a store of `whatsapp.groups.store`; share it
--   between the workers and hosts that should pace together), `mode` (`"wait"`, the
--   default: a held call waits, with `ngx.sleep` inside nginx; `"fail"`: it fails at once
--   with a retryable `api` error carrying `retry_after` and `paced = true`), `max_wait`
--   (seconds a call may wait, default 60; a longer hold fails it as `"fail"` does),
--   `wait` (seconds to hold when Graph throttled without saying how long, default 10)
-- @raise a validation error naming a wrong or unknown option
function Pacer.new(options)
  if type(options) ~= "table" then bad("argument", "options", "table expected, got " .. type(options)) end
  for key in pairs(options) do
    if not OPTIONS[key] then bad("option", tostring(key), "unknown name") end
  end
  local s = options.store
  if type(s) ~= "table" or type(s.ttl) ~= "function" then
    bad("option", "store", "a store from whatsapp.groups.store expected")
  end
  local mode = options.mode or "wait"
  if mode ~= "wait" and mode ~= "fail" then bad("option", "mode", "\"wait\" or \"fail\" expected") end
  local self = { store = s, mode = mode, max_wait = seconds("max_wait", options.max_wait or 60),
                 wait = seconds("wait", options.wait or 10) }
  self.address = tostring(self):match "0x%x+" or tostring(self):gsub("^table: ", "")
  return setmetatable(self, Pacer)
end

-- What a hold key says: the code Graph gave (type-checked: the store is not ours).
local function hold_code(text)
  local t = text and json.decode(text)
  return type(t) == "table" and type(t.code) == "number" and t.code or nil
end

-- The longest hold on calls of operation: seconds left and the code, or nil.
local function held(self, operation)
  local longest, key
  for _, k in ipairs { "p:" .. ALL, "p:" .. operation } do
    local left = self.store:ttl(k)
    if left ~= nil and left > 0 and (longest == nil or left > longest) then longest, key = left, k end
  end
  if longest == nil then return nil end
  return longest, hold_code(self.store:get(key))
end

-- The error a call held back fails with: nothing was sent, and it may be sent later.
local function hold_error(request, left, code)
  local message = string.format("held back for %.1f s: Graph throttled a call of this kind%s",
    left, code and " (code " .. code .. ")" or "")
  return failure.new("api", request.operation, {
    message = message, code = code, retryable = true, retry_after = math.ceil(left), paced = true,
    method = request.method, attempts = (request.attempts or 1) - 1,
  })
end

--- Before an attempt: waits while a hold applies to the request's operation (`sleep` is
-- the client's wait, non-blocking inside nginx). Called by the client.
-- @tparam table request the prepared request (`operation`, `method`, `attempts`)
-- @tparam function sleep `sleep(seconds)`
-- @treturn ?table nil when the call may go; else the error to fail it with (held in
--   `"fail"` mode or beyond `max_wait`, or the store failed)
function Pacer:admit(request, sleep)
  local waited = 0
  while true do
    local ok, left, code = pcall(held, self, request.operation)
    if not ok then return left end
    if left == nil then return nil end
    if self.mode == "fail" or waited + left > self.max_wait then return hold_error(request, left, code) end
    sleep(left)
    waited = waited + left
  end
end

-- Whether a business use case report has one of its counts at 100 %.
local function at_limit(report)
  for _, count in ipairs { "call_count", "total_cputime", "total_time" } do
    if (tonumber(report[count]) or 0) >= 100 then return true end
  end
  return false
end

-- The longest estimated_time_to_regain_access (minutes) of the business use case reports
-- at their limit, in seconds; nil when none is.
local function usage_wait(usage)
  local reports = type(usage) == "table" and usage.business_use_case
  if type(reports) ~= "table" then return nil end
  local longest
  for _, list in pairs(reports) do
    for _, report in ipairs(type(list) == "table" and list or {}) do
      local eta = type(report) == "table" and tonumber(report.estimated_time_to_regain_access)
      if eta and eta > 0 and at_limit(report) and (longest == nil or eta * 60 > longest) then
        longest = eta * 60
      end
    end
  end
  return longest
end

-- The hold an answer asks for: the key's kind, its seconds and the code; nil for none.
local function hold_of(self, operation, result, err)
  local usage = usage_wait((err or result or {}).usage)
  local code = err and type(err.code) == "number" and err.code
  if code and (EVERY_CALL[code] or SAME_KIND[code]) then
    local wait = type(err.retry_after) == "number" and err.retry_after > 0 and err.retry_after
    return EVERY_CALL[code] and ALL or operation, wait or usage or self.wait, code
  end
  if usage then return ALL, usage, nil end
end

local function record(self, operation, result, err)
  local kind, wait, code = hold_of(self, operation, result, err)
  if kind == nil then return end
  local key = "p:" .. kind
  local left = self.store:ttl(key)
  if left ~= nil and left >= wait then return end -- a longer hold stands
  self.store:set(key, json.encode { code = code }, wait)
end

--- After an attempt: tells the pacer what came of it, so that a throttling answer holds
-- back the calls of every worker and host sharing the store. Called by the client. A
-- store that fails here leaves the others to find the throttling themselves; the call's
-- own result stands.
-- @tparam table request the prepared request
-- @param result what `core.settle` returned (a result, or nil)
-- @param err the error it returned, or nil
function Pacer:record(request, result, err)
  pcall(record, self, request.operation, result, err)
end

--- Seconds left of the hold on calls of an operation, or nil when none.
-- @string operation e.g. `"create"`
-- @treturn ?number
-- @raise a `store` error
function Pacer:held(operation)
  return (held(self, operation))
end

return Pacer
