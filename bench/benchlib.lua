--- Shared by the per-call benchmark scripts: their arguments, the request every contender
-- sends, and the timed loop. Each script prints one line, `calls<TAB>wall s<TAB>CPU s`.
-- CPU is the process CPU time (user + system) from os.clock(), which glibc's clock()
-- reads from CLOCK_PROCESS_CPUTIME_ID; wall time is LuaSocket's socket.gettime().
local cjson = require "cjson"
local http = require "socket.http"
local ltn12 = require "ltn12"
local socket = require "socket"

local M = {
  TOKEN = "test-token",
  PHONE = "106540352242922",
  SUBJECT = "Bench group",
  DESCRIPTION = "created by bench",
}

--- base_url, calls, warmup from the command line: `script BASE_URL CALLS [WARMUP]`.
function M.args()
  local base_url, calls, warmup = arg[1], tonumber(arg[2]), tonumber(arg[3] or "20")
  if not base_url or not calls or not warmup then
    io.stderr:write("usage: ", arg[0], " BASE_URL CALLS [WARMUP]\n")
    os.exit(2)
  end
  return base_url, calls, warmup
end

--- The create endpoint under base_url.
function M.create_url(base_url)
  return base_url .. "/v24.0/" .. M.PHONE .. "/groups"
end

--- The create arguments a bot would pass (a fresh table per call, as in real code).
function M.create_args()
  return { subject = M.SUBJECT, description = M.DESCRIPTION }
end

--- The JSON body the library sends for them, for the contenders that build it by hand.
function M.create_body_table()
  return { messaging_product = "whatsapp", subject = M.SUBJECT, description = M.DESCRIPTION }
end

--- Runs call() warmup times, then calls times under the clocks, and prints the line.
-- extra_cpu(), if given, adds CPU time spent outside this process (children).
function M.run(calls, warmup, call, extra_cpu)
  extra_cpu = extra_cpu or function() return 0 end
  for _ = 1, warmup do call() end
  local wall, cpu, cpu_extra = socket.gettime(), os.clock(), extra_cpu()
  for _ = 1, calls do call() end
  cpu = os.clock() - cpu + extra_cpu() - cpu_extra
  wall = socket.gettime() - wall
  io.write(string.format("%d\t%.6f\t%.6f\n", calls, wall, cpu))
end

--- Fails the run unless a create answer (decoded) carries a request_id.
function M.check(result, what)
  if type(result) ~= "table" or type(result.request_id) ~= "string" then
    error("unexpected answer from " .. what .. ": " .. tostring(result), 2)
  end
end

--- A lua-whatsapp-groups client of the fake server at base_url (the library is loaded
-- only by the scripts that measure it); ca_file for its TLS port.
function M.client(base_url, ca_file)
  return require("whatsapp.groups").new { token = M.TOKEN, phone_number_id = M.PHONE,
                                          base_url = base_url, ca_file = ca_file }
end

--- How many sockets the process holds open (its connections), from /proc/self/fd.
function M.sockets()
  local ls = io.popen("ls -l /proc/" .. M.pid() .. "/fd 2>/dev/null")
  local n = 0
  for line in ls:lines() do
    if line:find("socket:", 1, true) then n = n + 1 end
  end
  ls:close()
  return n
end

--- This process's id (the first field of /proc/self/stat).
function M.pid()
  local f = assert(io.open "/proc/self/stat")
  local pid = f:read("*l"):match "^(%d+)"
  f:close()
  return pid
end


--- POSTs to the fake Graph server's control API (`/__control/<path>`), body as JSON.
function M.control(base_url, path, body)
  local encoded = body and cjson.encode(body) or ""
  local _, status = http.request {
    url = base_url .. "/__control/" .. path, method = "POST",
    headers = { ["content-type"] = "application/json", ["content-length"] = #encoded },
    source = ltn12.source.string(encoded),
  }
  assert(status == 200, path .. " answered " .. tostring(status))
end

--- A fresh fake, whose next n creates are answered after delay seconds.
function M.slow_creates(base_url, n, delay)
  M.control(base_url, "reset")
  M.control(base_url, "faults", { match = { method = "POST", path = "/groups$" }, count = n,
                                  fault = { delay = delay } })
end

-- A KiB figure of /proc/self/status ("VmRSS", "VmHWM", ...).
local function status_kb(field)
  for line in io.lines "/proc/self/status" do
    local kb = line:match("^" .. field .. ":%s*(%d+)")
    if kb then return tonumber(kb) end
  end
end

--- The process's resident memory (VmRSS), in KiB.
function M.rss_kb() return status_kb "VmRSS" end

--- The process's peak resident memory (VmHWM), in KiB.
function M.peak_rss_kb() return status_kb "VmHWM" end

--- Submits n creates at once to a pump and polls until every callback ran; returns how
-- many failed (no result, an error, or no request_id).
function M.pump_round(pump, n)
  local done, failed = 0, 0
  local function on_answer(result, err)
    done = done + 1
    if result == nil or err ~= nil or type(result.request_id) ~= "string" then
      failed = failed + 1
    end
  end
  for _ = 1, n do pump:create(M.create_args(), on_answer) end
  while done < n do pump:poll(10) end
  return failed
end

return M
