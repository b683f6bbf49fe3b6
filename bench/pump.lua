--- What it measures: concurrency through the pump (`client:async{max_in_flight = n}`).
-- The fake Graph server answers every create after DELAY seconds (a queued fault); CALLS
-- creates are submitted at once and `poll` is run until all came back, for each
-- max_in_flight given. The floor is CALLS x DELAY / max_in_flight. The blocking client
-- does BLOCKING_CALLS creates against the same delay, for comparison (its floor is
-- BLOCKING_CALLS x DELAY). Wall time from socket.gettime(), CPU from os.clock().
-- Usage: lua5.4 pump.lua BASE_URL CALLS DELAY BLOCKING_CALLS IN_FLIGHT...
-- Prints `pump|pump_warm|blocking<TAB>in_flight<TAB>calls<TAB>wall s<TAB>cpu s<TAB>failed`
-- lines.
local bench = require "benchlib"
local socket = require "socket"

local base_url, calls, delay, blocking_calls = arg[1], tonumber(arg[2]), tonumber(arg[3]),
  tonumber(arg[4])
assert(base_url and calls and delay and blocking_calls and arg[5],
  "usage: pump.lua BASE_URL CALLS DELAY BLOCKING_CALLS IN_FLIGHT...")

-- Fresh state, and the next n creates answered after the delay.
local function slow_creates(n)
  bench.slow_creates(base_url, n, delay)
end

local client = bench.client(base_url)

local function report(what, in_flight, n, wall, cpu, failed)
  io.write(string.format("%s\t%d\t%d\t%.6f\t%.6f\t%d\n", what, in_flight, n, wall, cpu, failed))
  io.flush()
end

-- Submits `calls` creates at once and polls until every callback ran; reports the round.
local function round(what, pump, in_flight)
  slow_creates(calls)
  local wall, cpu = socket.gettime(), os.clock()
  local failed = bench.pump_round(pump, calls)
  report(what, in_flight, calls, socket.gettime() - wall, os.clock() - cpu, failed)
end

-- Each max_in_flight twice on one client: first from a cold start (every connection
-- opened during the round), then again with those connections open, as a running bot has.
for i = 5, #arg do
  local in_flight = tonumber(arg[i])
  local c = bench.client(base_url)
  local pump = c:async { max_in_flight = in_flight }
  round("pump", pump, in_flight)
  round("pump_warm", pump, in_flight)
  c:close()
end

slow_creates(blocking_calls)
local wall, cpu = socket.gettime(), os.clock()
for _ = 1, blocking_calls do bench.check(client:create(bench.create_args()), "blocking") end
report("blocking", 1, blocking_calls, socket.gettime() - wall, os.clock() - cpu, 0)
client:close()
bench.control(base_url, "reset")
