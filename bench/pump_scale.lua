--- What it measures: the pump as work grows, over plain HTTP/1.1 or over TLS (HTTP/2).
-- One round in a fresh process (so that its peak RSS is the round's): a client of
-- BASE_URL (CA_FILE trusted when given), `client:async{max_in_flight = IN_FLIGHT}`, CALLS
-- creates submitted at once, the fake (its control API at CONTROL_URL) answering each
-- after DELAY seconds, `poll` run until all came back. The floor is CALLS x DELAY /
-- IN_FLIGHT. An untimed round of IN_FLIGHT creates comes first, so that the connections
-- are open, as in a bot that has been running: over HTTP/1.1 a cold round would count
-- IN_FLIGHT connects in its CPU, one per 16 calls at 64 in flight, one per 2 at 1024.
-- Wall time from socket.gettime(), CPU (user + system) from os.clock(), connections as
-- the sockets the process holds at the end (libcurl keeps them open), peak RSS from VmHWM.
-- Usage: lua5.4 pump_scale.lua BASE_URL CONTROL_URL CA_FILE|- CALLS DELAY IN_FLIGHT
-- Prints `in_flight<TAB>calls<TAB>wall s<TAB>cpu s<TAB>failed<TAB>connections<TAB>peak KiB`.
local bench = require "benchlib"
local socket = require "socket"

local base_url, control_url, ca_file = arg[1], arg[2], arg[3]
local calls, delay, in_flight = tonumber(arg[4]), tonumber(arg[5]), tonumber(arg[6])
assert(base_url and control_url and ca_file and calls and delay and in_flight,
  "usage: pump_scale.lua BASE_URL CONTROL_URL CA_FILE|- CALLS DELAY IN_FLIGHT")
if ca_file == "-" then ca_file = nil end

local client = bench.client(base_url, ca_file)
local pump = client:async { max_in_flight = in_flight }
local connections_before = bench.sockets()

bench.slow_creates(control_url, in_flight, delay)
bench.pump_round(pump, in_flight)
bench.slow_creates(control_url, calls, delay)
local wall, cpu = socket.gettime(), os.clock()
local failed = bench.pump_round(pump, calls)
wall, cpu = socket.gettime() - wall, os.clock() - cpu
io.write(string.format("%d\t%d\t%.6f\t%.6f\t%d\t%d\t%d\n", in_flight, calls, wall, cpu, failed,
  bench.sockets() - connections_before, bench.peak_rss_kb()))
pump:close()
client:close()
