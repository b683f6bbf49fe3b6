--- What it measures: the CPU one game-loop frame spends in `pump:poll(0)` while calls are
-- in flight and nothing has come back, for each IN_FLIGHT given. The fake Graph server
-- holds every create for DELAY seconds (a queued fault, longer than the measurement), the
-- pump connects and sends them all, then FRAMES polls are timed with os.clock().
-- Usage: lua5.4 poll_frame.lua BASE_URL FRAMES DELAY IN_FLIGHT...
-- Prints `in_flight<TAB>frames<TAB>cpu s` lines.
local bench = require "benchlib"

local base_url, frames, delay = arg[1], tonumber(arg[2]), tonumber(arg[3])
assert(base_url and frames and delay and arg[4],
  "usage: poll_frame.lua BASE_URL FRAMES DELAY IN_FLIGHT...")

for i = 4, #arg do
  local in_flight = tonumber(arg[i])
  bench.slow_creates(base_url, in_flight, delay)
  local client = bench.client(base_url)
  local pump = client:async { max_in_flight = in_flight }
  for _ = 1, in_flight do pump:create(bench.create_args(), function() end) end
  for _ = 1, 100 do pump:poll(1) end -- every connection made, every request sent
  assert(pump:in_flight() == in_flight, "an answer came back before the frames were timed")
  local cpu = os.clock()
  for _ = 1, frames do pump:poll(0) end
  cpu = os.clock() - cpu
  io.write(string.format("%d\t%d\t%.6f\n", in_flight, frames, cpu))
  pump:close()
  client:close()
end
bench.control(base_url, "reset")
