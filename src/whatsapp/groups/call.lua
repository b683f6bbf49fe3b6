--- The one attempt loop. Every call, on every carrier, goes through `run`: the core
-- prepared and checked it (`core.prepare`), a carrier carries each attempt, the core
-- settles the answer (`call:settle()`: the result, the error, or the wait before the next
-- attempt, with the client's hooks told), and the carrier waits. The loop is in Lua
-- because some carriers yield (nginx's subrequests, the pump's coroutines) and LuaJIT
-- cannot yield across a C function.
-- @module whatsapp.groups.call

local core = require "whatsapp.groups.core"
local resty = require "whatsapp.groups.resty"

local settle = core.settle

local M = {}

-- Waits between attempts without blocking nginx's worker when inside nginx.
local function sleep(seconds)
  if resty.inside_nginx() then return resty.sleep(seconds) end
  return core.sleep(seconds)
end

-- A transport function's raise is its failure: the request may have gone.
local function carried(call, ok, ...)
  if ok then return call:record(...) end
  return call:record(nil, "the transport raised: " .. tostring((...)), "failed")
end

--- A carrier is `carry(call, delay, transport)`: it waits `delay` seconds, then carries
-- one attempt and records its answer in the call. A client's own carrier is its libcurl
-- easy handle (`core.perform`, in C) or its transport function (the nginx one inside
-- nginx), carried by this one.
function M.by_transport(call, delay, transport)
  if delay > 0 then sleep(delay) end
  local request = call:request() -- nil when the client was closed meanwhile: call knows why
  if request ~= nil then return carried(call, pcall(transport, request)) end
end

--- Runs a prepared call to its end through `carry` (see `by_transport`): the result, or
-- nil and the error object. With a pacer (`whatsapp.groups.pacer`), each attempt waits
-- first (with `wait`, the carrier's own: `sleep` by default) while Graph's throttling of
-- calls of its kind lasts, as any worker sharing the pacer's store met it, or fails at
-- once as the pacer says; the pacer is told every answer.
function M.run(call, carry, transport, pacer, wait)
  local delay, paced = 0, pacer and call:describe()
  while true do
    if paced then
      local held = pacer:admit(paced, wait or sleep)
      if held then return nil, held end
    end
    carry(call, delay, transport)
    local result, err, again = settle(call)
    if paced then
      pacer:record(paced, result, err)
      paced.attempts = paced.attempts + 1
    end
    if again == nil then return result, err end
    delay = again
  end
end

return M
