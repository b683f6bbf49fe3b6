--- Turns the raw results of bench/run.sh (tab-separated files in BUILD) into
-- OUT/RESULTS.md and the data files the gnuplot scripts draw (BUILD/per_call.dat,
-- BUILD/concurrency.dat, BUILD/scale.dat). Medians over the runs; ratios against raw libcurl.
-- Includes OUT/findings.md (hand-written analysis) at the end when it exists.
-- Usage: lua5.4 report.lua BUILD OUT
local build, out = assert(arg[1], "usage: report.lua BUILD OUT"), assert(arg[2])

-- Each contender: label, runtime, and what its CPU time covers.
local CONTENDERS = {
  { "raw_libcurl", "raw libcurl (C loop, one easy handle)", "C" },
  { "rawread_libcurl", "raw libcurl, body by CURLOPT_READFUNCTION (the former way)", "C" },
  { "rawmin_libcurl", "raw libcurl, only Authorization and Content-Type", "C" },
  { "lib_lua5.4", "**lua-whatsapp-groups**, blocking", "Lua 5.4" },
  { "lib_luajit", "**lua-whatsapp-groups**, blocking", "LuaJIT" },
  { "lib_lua5.1", "**lua-whatsapp-groups**, blocking", "Lua 5.1" },
  { "luacurl_luajit", "Lua-cURL (Debian lua-curl) + lua-cjson", "LuaJIT" },
  { "luacurl_lua5.1", "Lua-cURL (Debian lua-curl) + lua-cjson", "Lua 5.1" },
  { "luasocket_lua5.4", "LuaSocket socket.http + lua-cjson (no keep-alive)", "Lua 5.4" },
  { "popen_curl_lua5.4", "curl per call via io.popen + lua-cjson", "Lua 5.4" },
  { "node_fetch", "Node.js fetch (undici, keep-alive)", "Node.js" },
}
local SHORT = {
  raw_libcurl = "raw libcurl", rawread_libcurl = "raw, read callback",
  rawmin_libcurl = "raw, 2 headers",
  ["lib_lua5.4"] = "lib Lua 5.4", lib_luajit = "lib LuaJIT",
  ["lib_lua5.1"] = "lib Lua 5.1", luacurl_luajit = "Lua-cURL LuaJIT",
  ["luacurl_lua5.1"] = "Lua-cURL Lua 5.1", ["luasocket_lua5.4"] = "LuaSocket 5.4",
  ["popen_curl_lua5.4"] = "popen curl 5.4", node_fetch = "Node fetch",
}

-- The lines of a tab-separated file as lists of fields; {} when it is missing.
local function rows(name)
  local f = io.open(build .. "/" .. name)
  if not f then return {} end
  local list = {}
  for line in f:lines() do
    local fields = {}
    for field in (line .. "\t"):gmatch "([^\t]*)\t" do fields[#fields + 1] = field end
    if line ~= "" then list[#list + 1] = fields end
  end
  f:close()
  return list
end

local function read_all(path)
  local f = io.open(path)
  if not f then return nil end
  local text = f:read "a"
  f:close()
  return text
end

local function median(list)
  local t = {}
  for i, v in ipairs(list) do t[i] = v end
  table.sort(t)
  local n = #t
  if n == 0 then return nil end
  if n % 2 == 1 then return t[(n + 1) / 2] end
  return (t[n / 2] + t[n / 2 + 1]) / 2
end

local function fmt(v, digits)
  if v == nil then return "n/a" end
  return string.format("%." .. (digits or 0) .. "f", v)
end

-- 12345678 -> "12,345,678"
local function thousands(v)
  local s = string.format("%.0f", v)
  local sign, digits = s:match "^(-?)(%d+)$"
  return sign .. digits:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
end

local meta = {}
for _, r in ipairs(rows "meta.tsv") do meta[r[1]] = r[2] end

local md = {}
local function w(...) md[#md + 1] = table.concat({ ... }) end

w "# Benchmarks"
w ""
w("Written by `make bench` (bench/run.sh) on ", meta.date or "?", ", in ",
  meta.elapsed or "?", " s for the whole harness. Raw data: build/bench/.")
w ""
w("Machine: ", meta.nproc or "?", " CPUs (", meta.cpu or "?", "), ", meta.memory or "?", ", ",
  meta.os or "?", ", Linux ", meta.kernel or "?", ". libcurl ", meta.libcurl or "?", "; ",
  meta["lua5.4"] or "?", "; ", meta["lua5.1"] or "?", "; ", meta.luajit or "?",
  "; lua-curl ", meta["lua-curl"] or "?", "; lua-cjson ", meta["lua-cjson"] or "?",
  "; lua-socket ", meta["lua-socket"] or "?", "; ", meta.curl or "?", "; Node.js ",
  meta.node or "?", "; nginx ", meta.nginx or "?", "; ", meta.valgrind or "?", "; ",
  meta.wrk or "?", ". Library at commit ", meta.commit or "?", ".")
w ""
w "The server is the fake Graph server (nginx + ngx_lua, 2 workers) on loopback, on the same"
w "machine as the client (each on its own core where there are two, see the notes below), and"
w "other work may share the machine: **ratios are the result, not absolute times**. CPU is"
w "the client process's CPU time, user + system:"
w "`clock_gettime(CLOCK_PROCESS_CPUTIME_ID)` in C, `os.clock()` in Lua (glibc's `clock()`,"
w "the same clock), `process.cpuUsage()` in Node.js (all its threads); for `io.popen` the"
w "reaped children (sh, curl) are added from `/proc/self/stat`. Every contender sends the"
w "same request (method, path, headers, JSON body) and checks the answer's `request_id`."
w ""

-- 1. Per-call cost ------------------------------------------------------------------------
local per = {}
for _, r in ipairs(rows "per_call.tsv") do
  local name, calls, wall, cpu = r[1], tonumber(r[3]), tonumber(r[4]), tonumber(r[5])
  if calls and calls > 0 then
    per[name] = per[name] or { calls = calls, rate = {}, cpu = {} }
    table.insert(per[name].rate, calls / wall)
    table.insert(per[name].cpu, cpu / calls * 1e6)
  end
end
local stats = {}
for name, p in pairs(per) do
  local lo, hi = math.huge, 0
  for _, v in ipairs(p.cpu) do lo, hi = math.min(lo, v), math.max(hi, v) end
  stats[name] = { calls = p.calls, runs = #p.cpu, rate = median(p.rate), cpu = median(p.cpu),
                  lo = lo, hi = hi }
end
local raw = stats.raw_libcurl and stats.raw_libcurl.cpu

local function ratio(name)
  local s = stats[name]
  if not s or not raw then return nil end
  return s.cpu / raw
end

w "## 1. Per-call cost: sequential `create` over keep-alive"
w ""
w("Median of ", meta.runs or "?", " runs of ", meta.calls or "?", " calls each (",
  meta.popen_calls or "?", " for `io.popen`), contenders interleaved run by run, after 20")
w "warm-up calls (3 for `io.popen`); the fake's state is reset before each run."
w ""
w "| contender | runtime | calls/s | CPU µs/call | CPU vs raw libcurl | CPU µs/call, all runs |"
w "|---|---|---:|---:|---:|---|"
local dat = {}
for _, c in ipairs(CONTENDERS) do
  local s = stats[c[1]]
  if s then
    w("| ", c[2], " | ", c[3], " | ", fmt(s.rate), " | ", fmt(s.cpu, 1), " | **",
      fmt(ratio(c[1]), 2), "x** | ", fmt(s.lo, 1), " - ", fmt(s.hi, 1), " |")
    dat[#dat + 1] = string.format("%d\t\"%s\"\t%.2f\t%.2f", #dat, SHORT[c[1]], s.cpu,
                                  ratio(c[1]) or 0)
  end
end
local notes = read_all(build .. "/notes.txt")
if notes then
  w ""
  for line in notes:gmatch "[^\n]+" do w("- ", line) end
end
local f = assert(io.open(build .. "/per_call.dat", "w"))
f:write(table.concat(dat, "\n"), "\n")
f:close()

w ""
w "Targets:"
local function verdict(ok) return ok and "**met**" or "**missed**" end
local r54 = ratio "lib_lua5.4"
if r54 then
  local worst = math.max(r54, ratio "lib_luajit" or 0, ratio "lib_lua5.1" or 0)
  w("- blocking per-call CPU within 1.15x of raw libcurl on Lua 5.4, LuaJIT and Lua 5.1: ",
    fmt(r54, 2), "x, ", fmt(ratio "lib_luajit", 2), "x, ", fmt(ratio "lib_lua5.1", 2), "x: ",
    verdict(worst <= 1.15))
end
for _, rt in ipairs { "luajit", "lua5.1" } do
  local lib, lc = stats["lib_" .. rt], stats["luacurl_" .. rt]
  if lib and lc then
    w("- no slower than Lua-cURL + lua-cjson on ", rt == "luajit" and "LuaJIT" or "Lua 5.1",
      ": ", fmt(lib.cpu, 1), " vs ", fmt(lc.cpu, 1), " µs/call (", fmt(lib.cpu / lc.cpu, 2),
      "x): ", verdict(lib.cpu <= lc.cpu))
  end
end
w ""

-- callgrind
local function cg(name, kind)
  local t = { total = nil, obj = {}, fn = {}, order = {} }
  for _, r in ipairs(rows("cg-" .. name .. "." .. kind .. ".tsv")) do
    if r[1] == "total" then
      t.total = tonumber(r[2])
    elseif r[1] == "obj" then
      t.obj[r[3]] = tonumber(r[2])
      t.order[#t.order + 1] = r[3]
    elseif r[1] == "fn" then
      t.fn[r[3]] = tonumber(r[2])
    end
  end
  return t
end
local cg_raw, cg_lib = cg("raw_libcurl", "self"), cg("lib_lua5.4", "self")
local cg_min = cg("rawmin_libcurl", "self")
local cg_incl = cg("lib_lua5.4", "incl")
if cg_raw.total and cg_lib.total then
  w "### Instructions per call (callgrind)"
  w ""
  w("`valgrind --tool=callgrind`, ", meta.cg_calls or "?", " calls minus a run of 0 calls")
  w "(start-up and warm-up only), divided by the calls: user-space instructions of the client"
  w "process, reproducible where CPU time is noisy. The kernel's share is below (system calls)."
  w ""
  w "| | instructions/call | vs raw libcurl |"
  w "|---|---:|---:|"
  w("| raw libcurl | ", thousands(cg_raw.total), " | 1.00x |")
  if cg_min.total then
    w("| raw libcurl, only Authorization and Content-Type | ", thousands(cg_min.total), " | ",
      fmt(cg_min.total / cg_raw.total, 2), "x |")
  end
  w("| lua-whatsapp-groups, Lua 5.4 | ", thousands(cg_lib.total), " | **",
    fmt(cg_lib.total / cg_raw.total, 2), "x** |")
  w ""
  w("- instructions per call within 1.15x of raw libcurl sending the same headers: ",
    fmt(cg_lib.total / cg_raw.total, 2), "x: ", verdict(cg_lib.total / cg_raw.total <= 1.15))
  if cg_min.total then
    w("- within 1.35x of raw libcurl sending only Authorization and Content-Type: ",
      fmt(cg_lib.total / cg_min.total, 2), "x: ", verdict(cg_lib.total / cg_min.total <= 1.35))
  end
  w ""
  w "By object (self cost), per call:"
  w ""
  w "| object | raw libcurl | lua-whatsapp-groups | difference |"
  w "|---|---:|---:|---:|"
  local seen, objs = {}, {}
  for _, o in ipairs(cg_lib.order) do seen[o] = true; objs[#objs + 1] = o end
  for _, o in ipairs(cg_raw.order) do if not seen[o] then objs[#objs + 1] = o end end
  for _, o in ipairs(objs) do
    local a, b = cg_raw.obj[o] or 0, cg_lib.obj[o] or 0
    if math.abs(a) >= 100 or math.abs(b) >= 100 then
      w("| ", o, " | ", thousands(a), " | ", thousands(b), " | ", thousands(b - a), " |")
    end
  end
  local FUNCTIONS = {
    { "lwa_client_dispatch", "the method as Lua calls it (C), everything below" },
    { "lwa_call", "one call: prepare, transfer, settle" },
    { "lwa_request_prepare", "arguments checked, fields table, URL, JSON body" },
    { "lwa_fields_push", "  of which: arguments checked into the fields table" },
    { "lwa_json_encode", "  of which: JSON body (lua-cjson)" },
    { "wa_url_append_segment", "  of which: URL path segments" },
    { "wa_http_perform", "the transfer, as our transport makes it" },
    { "curl_easy_perform", "  of which: libcurl's transfer (our callbacks included)" },
    { "wa_http_on_header", "    of which: our header callback" },
    { "wa_buf_append", "    of which: our body callback's copy" },
    { "wa_http_easy_request", "  of which: per-call setopt" },
    { "wa_http_easy_response", "  of which: the response struct filled" },
    { "lwa_response_settle", "answer classified, decoded, result table" },
    { "lwa_json_decode", "  of which: JSON decode (lua-cjson)" },
  }
  if cg_incl.fn.lwa_call then
    w ""
    w "Our functions, inclusive cost per call (Lua 5.4):"
    w ""
    w "| function | instructions/call | what |"
    w "|---|---:|---|"
    for _, fnd in ipairs(FUNCTIONS) do
      local v = cg_incl.fn[fnd[1]]
      if v then w("| `", fnd[1], "` | ", thousands(v), " | ", fnd[2], " |") end
    end
    local rawperf = cg("raw_libcurl", "incl").fn.curl_easy_perform
    if rawperf then
      w("| `curl_easy_perform` in raw libcurl | ", thousands(rawperf),
        " | the same transfer with CURLOPT_POSTFIELDS |")
    end
    w("| outside `lwa_client_dispatch` | ",
      thousands(cg_lib.total - (cg_incl.fn.lwa_client_dispatch or 0)),
      " | the Lua method wrapper (client.lua), the benchmark loop, GC |")
  end
  w ""
end

local sys = rows "syscalls.tsv"
if #sys > 0 then
  w "### System calls per call (strace -c)"
  w ""
  if sys[1][1] == "stub" then
    w("Not measured: ", sys[1][2], ".")
  else
    local by, names = {}, {}
    for _, r in ipairs(sys) do
      if not by[r[1]] then by[r[1]] = {}; names[#names + 1] = r[1] end
      by[r[1]][r[2]] = r[3]
    end
    w "| | sendto | recvfrom | poll |"
    w "|---|---:|---:|---:|"
    for _, n in ipairs(names) do
      w("| ", SHORT[n] or n, " | ", by[n].sendto or "?", " | ", by[n].recvfrom or "?", " | ",
        by[n].poll or "?", " |")
    end
  end
  w ""
end

-- 2. Memory --------------------------------------------------------------------------------
w "## 2. Memory (Lua 5.4)"
w ""
local mem = rows "mem_calls.tsv"
if #mem > 0 then
  w("One client, ", meta.mem_calls or "?", " sequential creates, the fake's state reset every")
  w "5000 calls; RSS (VmRSS) and Lua heap after a full collection:"
  w ""
  w "| after calls | RSS KiB | Lua heap KiB |"
  w "|---:|---:|---:|"
  local first, last
  for _, r in ipairs(mem) do
    w("| ", thousands(tonumber(r[1])), " | ", thousands(tonumber(r[2])), " | ", r[3], " |")
    first = first or r
    last = r
  end
  local growth = tonumber(last[2]) - tonumber(first[2])
  w ""
  w("RSS growth from ", thousands(tonumber(first[1])), " to ", thousands(tonumber(last[1])),
    " calls: **", thousands(growth), " KiB** (target: under 1 MB: ", verdict(growth < 1024), ").")
  w ""
end
local clients = rows "mem_clients.tsv"
if #clients > 0 then
  w "Size of a client, per 1000 clients kept open (Lua heap from collectgarbage, RSS adds the"
  w "C side: libcurl's easy handle and buffers, our transport state):"
  w ""
  w "| clients | made | Lua heap KiB per 1000 | RSS KiB per 1000 |"
  w "|---|---:|---:|---:|"
  for _, r in ipairs(clients) do
    local what = r[1] == "idle" and "idle (never called)"
      or "connected (one create each: a connection, libcurl's buffers)"
    w("| ", what, " | ", r[2], " | ", thousands(tonumber(r[3])), " | ", thousands(tonumber(r[4])), " |")
  end
  w ""
end

-- 3. Concurrency -------------------------------------------------------------------------
w "## 3. Concurrency"
w ""
local pump = rows "pump.tsv"
w "### The pump (`client:async`)"
w ""
if #pump == 0 then
  w "Not measured: the pump benchmark did not run."
else
  local delay = tonumber(meta.pump_delay) or 0.05
  local calls = tonumber(meta.pump_calls) or 1000
  w(meta.pump_calls or "?", " creates submitted at once, the fake answering each after ",
    fmt(delay * 1000), " ms; the floor is calls x delay / max_in_flight. Each max_in_flight")
  w "runs twice on one client: cold (its connections opened during the round) and warm (they"
  w "are open already, as in a bot that has been running). The blocking client"
  w("and raw libcurl make ", meta.pump_blocking_calls or "?", " calls one after another against")
  w "the same delay (their floor: calls x delay). CPU from os.clock() (raw libcurl:"
  w "CLOCK_PROCESS_CPUTIME_ID); with a 50 ms wait per answer it includes the cost of sleeping"
  w "and waking up, which the raw libcurl row shows alone."
  w ""
  w "| client | max_in_flight | calls | wall s | floor s | floor / wall | calls/s | CPU µs/call | failed |"
  w "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  local LABELS = { pump = "pump (`client:async`), cold",
                   pump_warm = "pump (`client:async`), warm", blocking = "blocking client",
                   raw_libcurl = "raw libcurl, blocking (reference)" }
  local cdat, warm, worst = {}, {}, {}
  local blocking_rate
  for _, r in ipairs(pump) do
    local inflight, n, wall, cpu = tonumber(r[2]), tonumber(r[3]), tonumber(r[4]), tonumber(r[5])
    local floor = n * delay / inflight
    local is_pump = r[1] == "pump" or r[1] == "pump_warm"
    w("| ", LABELS[r[1]] or r[1], " | ", is_pump and r[2] or "1 (sequential)", " | ", r[3],
      " | ", fmt(wall, 2), " | ", fmt(floor, 2), " | ", fmt(floor / wall, 2), " | ",
      fmt(n / wall), " | ", fmt(cpu / n * 1e6, 1), " | ", r[6], " |")
    if is_pump then
      worst[r[1]] = math.max(worst[r[1]] or 0, wall / floor)
    end
    if r[1] == "pump" then
      cdat[#cdat + 1] = { inflight, wall, floor }
    elseif r[1] == "pump_warm" then
      warm[inflight] = wall
    elseif r[1] == "blocking" then
      blocking_rate = n / wall
    end
  end
  if blocking_rate then
    w ""
    w("The blocking client would take ", fmt(calls / blocking_rate, 1), " s for the ", calls,
      " creates (its measured calls/s); the pump at the largest max_in_flight is ",
      "that many times faster: see bench/concurrency.png.")
  end
  w ""
  for _, kind in ipairs { "pump", "pump_warm" } do
    if worst[kind] then
      w("- pump within 1.25x of the floor at every max_in_flight, ",
        kind == "pump" and "cold" or "warm", ": worst ", fmt(worst[kind], 2), "x: **",
        worst[kind] <= 1.25 and "met" or "missed", "**")
    end
  end
  local cf = assert(io.open(build .. "/concurrency.dat", "w"))
  cf:write("# max_in_flight\twall (cold)\tfloor\tblocking (same calls at its measured rate)",
           "\twall (warm)\n")
  for _, d in ipairs(cdat) do
    cf:write(string.format("%d\t%.4f\t%.4f\t%s\t%s\n", d[1], d[2], d[3],
      blocking_rate and string.format("%.4f", calls / blocking_rate) or "NaN",
      warm[d[1]] and string.format("%.4f", warm[d[1]]) or "NaN"))
  end
  cf:close()
end
w ""
local frames = rows "poll_frame.tsv"
w "### A game-loop frame: `pump:poll(0)` with calls in flight"
w ""
if #frames == 0 then
  w "Not measured: the frame benchmark did not run."
else
  w("The fake holding every create longer than the measurement, the pump connected and every")
  w("request sent, then ", meta.frames or "?", " calls of `poll(0)`, as a game loop makes one")
  w "per frame, timed with os.clock(). libcurl is driven through its socket interface: one"
  w "`poll(2)` over the pump's sockets, and libcurl called only for those that are ready."
  w ""
  w "| calls in flight | CPU µs per `poll(0)` |"
  w "|---:|---:|"
  for _, r in ipairs(frames) do
    w("| ", r[1], " | ", fmt(tonumber(r[3]) / tonumber(r[2]) * 1e6, 1), " |")
  end
end
w ""
local ng = rows "nginx.tsv"
w "### Inside nginx: a location that calls `create`"
w ""
if #ng == 0 then
  w "Not measured: the nginx benchmark did not run."
else
  w("nginx with 2 workers, `wrk -t2 -c", meta.nginx_connections or "?", " -d",
    meta.nginx_seconds or "?", "s`, the fake answering each create after ",
    fmt((tonumber(meta.nginx_delay) or 0) * 1000), " ms (over TLS, its test CA).")
  w ""
  w "| transport | requests/s | p50 ms | p99 ms | failed |"
  w "|---|---:|---:|---:|---:|"
  for _, r in ipairs(ng) do
    if r[1] == "stub" then
      w("| ", r[2], " | | | | |")
    else
      w("| ", r[1] == "nginx" and "nginx (subrequests, non-blocking)" or "blocking (libcurl)",
        " | ", fmt(tonumber(r[2])), " | ", r[3], " | ", r[4], " | ", r[5], " |")
    end
  end
  local delay = tonumber(meta.nginx_delay) or 0.02
  w ""
  w("Ceilings: blocking, 2 workers x 1 / ", fmt(delay * 1000), " ms = ", fmt(2 / delay),
    " requests/s; non-blocking, ", meta.nginx_connections or "?", " connections / ",
    fmt(delay * 1000), " ms = ", fmt((tonumber(meta.nginx_connections) or 0) / delay),
    " requests/s.")
end
w ""

-- 4. TLS and scale ------------------------------------------------------------------------
w "## 4. TLS (HTTP/2) and scale"
w ""
local tls = rows "tls_connect.tsv"
w "### A new TLS connection"
w ""
if #tls == 0 then
  w "Not measured: the TLS connection benchmark did not run."
else
  w "A client whose CAs do not include the fake's fails each call with a certificate error"
  w "after the whole handshake, so each call is a new connection, verified against the"
  w("client's CA store: `ca_file` (the system's CAs plus another CA's file) or the system's")
  w("alone. The first call builds the store (once per client); then ", meta.tls_connects or "?",
    " calls, one new connection each.")
  w ""
  w "| CA store | first call, store built: CPU ms | CPU ms per new connection |"
  w "|---|---:|---:|"
  for _, r in ipairs(tls) do
    local per_conn = tonumber(r[4]) / tonumber(r[2]) * 1000
    w("| ", r[1] == "ca_file" and "system + `ca_file`" or "system", " | ",
      fmt(tonumber(r[3]) * 1000, 1), " | ", fmt(per_conn, 2), " |")
    tls[r[1]] = per_conn
  end
  w ""
  for _, store in ipairs { "ca_file", "system" } do
    if tls[store] then
      w("- a new TLS connection costs at most 5 ms of client CPU, ",
        store == "ca_file" and "with ca_file" or "with the system store", ": ",
        fmt(tls[store], 2), " ms: ", verdict(tls[store] <= 5))
    end
  end
end
w ""
local scale = {}
for _, r in ipairs(rows "scale.tsv") do
  local key = r[1] .. ":" .. r[3]
  local s = scale[key] or { transport = r[1], in_flight = tonumber(r[3]), calls = tonumber(r[4]),
                            wall = {}, cpu = {}, conns = {}, rss = {}, failed = 0 }
  scale[key] = s
  table.insert(s.wall, tonumber(r[5]))
  table.insert(s.cpu, tonumber(r[6]) / tonumber(r[4]) * 1e6)
  table.insert(s.conns, tonumber(r[8]))
  table.insert(s.rss, tonumber(r[9]) / 1024)
  s.failed = s.failed + tonumber(r[7])
end
w "### The pump as work grows: plain HTTP/1.1 and TLS with HTTP/2"
w ""
if next(scale) == nil then
  w "Not measured: the scale benchmark did not run."
else
  local delay = tonumber(meta.pump_delay) or 0.05
  w("Each round in a process of its own: creates submitted at once, the fake answering each")
  w("after ", fmt(delay * 1000), " ms, `poll` until all came back; the floor is calls x delay /")
  w "max_in_flight. An untimed round of max_in_flight creates first opens the connections, as"
  w "in a bot that has been running (a cold HTTP/1.1 round at 1024 would count 1024 connects"
  w("in 2048 calls, 64 in 1024 at 64 in flight). Medians of ", meta.scale_runs or "?",
    " runs. TLS: the fake's HTTP/2 port,")
  w "its CA as `ca_file`. Connections: the sockets the client holds at the end (libcurl keeps"
  w "them open); peak RSS: the process's VmHWM. CPU: user + system of the client process."
  w ""
  w("| transport | max_in_flight | calls | wall s | floor s | wall / floor | CPU µs/call ",
    "| connections | peak RSS MiB | failed |")
  w "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  local order = {}
  for _, s in pairs(scale) do order[#order + 1] = s end
  table.sort(order, function(a, b)
    if a.transport ~= b.transport then return a.transport < b.transport end
    return a.in_flight < b.in_flight
  end)
  local by_flight = {}
  for _, s in ipairs(order) do
    s.floor = s.calls * delay / s.in_flight
    s.mwall, s.mcpu = median(s.wall), median(s.cpu)
    s.mconns, s.mrss = median(s.conns), math.max(table.unpack(s.rss))
    w("| ", s.transport == "tls" and "TLS, HTTP/2" or "HTTP/1.1", " | ", s.in_flight, " | ",
      s.calls, " | ", fmt(s.mwall, 3), " | ", fmt(s.floor, 2), " | ", fmt(s.mwall / s.floor, 2),
      "x | ", fmt(s.mcpu, 1), " | ", fmt(s.mconns), " | ", fmt(s.mrss, 1), " | ", s.failed, " |")
    by_flight[s.in_flight] = by_flight[s.in_flight] or {}
    by_flight[s.in_flight][s.transport] = s
  end
  w ""
  local function at(transport, n) return scale[transport .. ":" .. n] end
  local t256, t1024, h1024 = at("tls", 256), at("tls", 1024), at("http", 1024)
  if t256 then
    w("- TLS, 256 in flight, ", t256.calls, " creates, within 2x the floor: ",
      fmt(t256.mwall / t256.floor, 2), "x: ", verdict(t256.mwall / t256.floor <= 2))
  end
  if t1024 and h1024 then
    w("- TLS, 1024 in flight, ", t1024.calls, " creates, within 1.5x the wall time over plain ",
      "HTTP: ", fmt(t1024.mwall, 3), " s vs ", fmt(h1024.mwall, 3), " s (",
      fmt(t1024.mwall / h1024.mwall, 2), "x): ", verdict(t1024.mwall / h1024.mwall <= 1.5))
  end
  for _, c in ipairs { { t256, 64 }, { t1024, 128 } } do
    local s, cap = c[1], c[2]
    if s then
      w("- peak RSS under ", cap, " MiB at ", s.in_flight, " in flight (TLS): ", fmt(s.mrss, 1),
        " MiB: ", verdict(s.mrss < cap))
    end
  end
  for _, s in ipairs { t256, t1024 } do
    local want = math.ceil(s.in_flight / 100)
    w("- TLS connections about ceil(", s.in_flight, " / 100) = ", want, ": ", fmt(s.mconns),
      ": ", verdict(math.abs(s.mconns - want) <= 1))
  end
  for _, transport in ipairs { "http", "tls" } do
    local lo, hi = at(transport, 64), at(transport, 1024)
    if lo and hi then
      w("- CPU per call at 1024 in flight within 1.3x of that at 64, ",
        transport == "tls" and "TLS" or "HTTP/1.1", ": ", fmt(hi.mcpu, 1), " vs ",
        fmt(lo.mcpu, 1), " µs (", fmt(hi.mcpu / lo.mcpu, 2), "x): ",
        verdict(hi.mcpu / lo.mcpu <= 1.3))
    end
  end
  local sf = assert(io.open(build .. "/scale.dat", "w"))
  sf:write("# max_in_flight\twall/floor HTTP\twall/floor TLS\tCPU us/call HTTP\tCPU us/call TLS\n")
  local keys = {}
  for n in pairs(by_flight) do keys[#keys + 1] = n end
  table.sort(keys)
  for _, n in ipairs(keys) do
    local h, t = by_flight[n].http, by_flight[n].tls
    sf:write(string.format("%d\t%s\t%s\t%s\t%s\n", n,
      h and fmt(h.mwall / h.floor, 3) or "NaN", t and fmt(t.mwall / t.floor, 3) or "NaN",
      h and fmt(h.mcpu, 1) or "NaN", t and fmt(t.mcpu, 1) or "NaN"))
  end
  sf:close()
  w ""
  w "See bench/scale.png."
end
w ""

local findings = read_all(out .. "/findings.md")
if findings then
  w(findings)
end

local fo = assert(io.open(out .. "/RESULTS.md", "w"))
fo:write(table.concat(md, "\n"):gsub("\n+$", ""), "\n")
fo:close()
