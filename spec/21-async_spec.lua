-- The pump (client:async): many calls in flight on libcurl's multi interface, callbacks
-- run by poll, the same results and errors as the blocking methods, limits, retries,
-- closing, coroutines, sharing between clients, and the game loop example.
local groups = require "whatsapp.groups"
local safe = require "whatsapp.groups.safe"
local socket = require "socket"
local helpers = require "helpers"
local unpack = table.unpack or unpack -- luacheck: ignore 143

local CREATE = { method = "POST", path = "/groups$" }
local FAST = { base = 0.01, cap = 0.05, jitter = 0 }

local function fault(match, f, count)
  helpers.fault { match = match, count = count or 1, fault = f }
end

-- Under valgrind or a sanitizer (preloaded), or with the garbage collector running all the
-- time (spec/gc_stress.lua, which installs a hook), everything is many times slower.
local instrumented = os.getenv "LD_PRELOAD" ~= nil or debug.gethook() ~= nil

-- Runs the pump until nothing is in flight; fails on any callback error.
local function drain(a)
  local errors = a:wait()
  assert(errors == nil, "callback error: " .. tostring(errors and errors[1]))
end

-- Submits one call and pumps until its callback ran; returns what the callback got.
local function through(a, method, ...)
  local got
  local args = { ... }
  args[#args + 1] = function(result, err) got = { result, err } end
  assert.is_true(a[method](a, unpack(args)))
  drain(a)
  assert(got, "the callback did not run")
  return got[1], got[2]
end

-- An error object's fields, without the metatable and what differs between two runs.
local function fields(err)
  local t = {}
  for k, v in pairs(err) do t[k] = v end
  t.fbtrace_id = nil
  if t.message then t.message = t.message:gsub("after %d+ ms", "after N ms") end -- libcurl's timing
  return t
end

describe("the pump", function()
  local client, a

  before_each(function()
    helpers.reset()
    client = helpers.client()
    a = client:async { max_in_flight = 64 }
  end)
  after_each(function()
    a:close()
    client:close()
  end)

  it("completes 200 creates answered after 100 ms in about 1 s (max_in_flight 64)", function()
    fault(CREATE, { delay = 0.1 }, 200)
    local ids, errors = {}, 0
    local started = socket.gettime()
    for i = 1, 200 do
      assert.is_true(a:create({ subject = "Guild " .. i }, function(r)
        if r then ids[#ids + 1] = r.request_id else errors = errors + 1 end
      end))
    end
    assert.equal(200, a:in_flight())
    while a:poll(50) > 0 do end
    local seconds = socket.gettime() - started
    print(("\n200 creates through the pump (max_in_flight 64, 100 ms each): %.3f s"):format(seconds))
    assert.equal(0, errors)
    assert.equal(200, #ids)
    for _, id in ipairs(ids) do assert.is_string(id) end
    assert.equal(200, #helpers.groups())
    assert.equal(200, helpers.request_count())
    -- A proof of concurrency, not a speed target (make bench has those): one at a time
    -- would take 20 s.
    assert.is_true(seconds < (instrumented and 60 or 5), "took " .. seconds .. " s")
  end)

  -- 16 creates through a TLS pump made with options, answered after delay seconds; the
  -- requests the fake server saw.
  local function sixteen_over_tls(options, delay)
    local c = helpers.client { base_url = helpers.tls_base_url, ca_file = helpers.ca_file }
    local tls = c:async(options)
    fault(CREATE, { delay = delay }, 16)
    local ok = 0
    for i = 1, 16 do
      tls:create({ subject = "H" .. i }, function(r) if r then ok = ok + 1 end end)
    end
    drain(tls)
    tls:close()
    c:close()
    assert.equal(16, ok)
    return helpers.requests().requests
  end

  it("multiplexes over one HTTP/2 connection where TLS offers it", function()
    local seen = sixteen_over_tls({ max_in_flight = 16 }, 0.05)
    for _, r in ipairs(seen) do
      assert.equal("HTTP/2.0", r.protocol)
      assert.equal(seen[1].connection, r.connection)
    end
  end)

  it("opens about max_in_flight / max_streams HTTP/2 connections", function()
    local connections, n = {}, 0
    for _, r in ipairs(sixteen_over_tls({ max_in_flight = 16, max_streams = 4 }, 0.2)) do
      if not connections[r.connection] then connections[r.connection], n = true, n + 1 end
    end
    assert.is_true(n >= 4 and n <= 6, n .. " connections")
  end)

  describe("gives the blocking methods' results", function()
    it("list_groups and get_group", function()
      for i = 1, 3 do client:create { subject = "G" .. i } end
      assert.same(client:list_groups { limit = 2 }, (through(a, "list_groups", { limit = 2 })))
      local id = helpers.create_group(client)
      assert.same(client:get_group(id), (through(a, "get_group", id)))
      assert.same(client:get_group(id, { fields = { "subject" } }),
        (through(a, "get_group", id, { fields = { "subject" } })))
    end)

    it("send_text, pin and unpin", function()
      local id = helpers.create_group(client)
      helpers.join(id, "16505551234") -- a group with nobody else in it cannot be messaged
      local r = through(a, "send_text", id, "hello", { preview_url = false })
      assert.matches("^wamid%.", r.message_id)
      assert.equal(r.messages[1].id, r.message_id)
      local blocking = client:send_text(id, "hello")
      for k, v in pairs(blocking) do assert.equal(type(v), type(r[k]), k) end
      assert.is_string(through(a, "pin", id, r.message_id, 7).message_id)
      assert.is_string(through(a, "unpin", id, r.message_id).message_id)
      assert.is_string(through(a, "send", id, { type = "text", text = { body = "x" } }).message_id)
    end)

    it("remove_participants with a 206 partial result", function()
      local id = helpers.create_group(client)
      helpers.join(id, "16505551234")
      local r = through(a, "remove_participants", id, { "+16505551234", "+16505550000" })
      assert.is_false(r.success)
      assert.is_true(r.partial)
      assert.equal(131201, r.errors[1].code)
      local seen = helpers.requests().requests
      assert.equal(206, seen[#seen].status)
    end)

    it("approve_join_requests with failed items", function()
      local id = helpers.create_group(client, { subject = "Ops", join_approval_mode = "approval_required" })
      helpers.join(id, "16505550001")
      local first = client:join_requests(id).join_requests[1].join_request_id
      local r = through(a, "approve_join_requests", id, { first, "Tm9TdWNoUmVxdWVzdA" })
      assert.same({ first }, r.approved_join_requests)
      assert.equal(131213, r.failed_join_requests[1].errors[1].code)
      assert.is_false(r.success)
      local page = through(a, "join_requests", id)
      assert.same({}, page.join_requests)
      assert.is_false(page.has_next)
    end)

    it("the rest of the operations", function()
      local id = helpers.create_group(client, { subject = "Ops", join_approval_mode = "approval_required" })
      helpers.join(id, "16505550002")
      assert.is_true(through(a, "update_group", id, { subject = "Renamed" }).success)
      assert.matches("^https://chat%.whatsapp%.com/", through(a, "invite_link", id).invite_link)
      assert.matches("^https://chat%.whatsapp%.com/", through(a, "reset_invite_link", id).invite_link)
      assert.is_true(through(a, "delete_invite_link", id).success)
      local pending = client:join_requests(id).join_requests[1].join_request_id
      local rejected = through(a, "reject_join_requests", id, { join_requests = { pending } })
      assert.same({ pending }, rejected.rejected_join_requests)
      assert.is_true(rejected.success)
      assert.is_true(through(a, "delete_group", id).success)
    end)

    it("has a method for every client method but the iterators", function()
      for _, name in ipairs(groups.METHODS) do
        if not name:match "^each_" then assert.is_function(a[name], name) end
      end
    end)
  end)

  describe("gives the blocking methods' errors", function()
    it("an API error", function()
      local blocking = helpers.catch(client.get_group, client, "1203630000000")
      local r, err = through(a, "get_group", "1203630000000")
      assert.is_nil(r)
      assert.is_true(groups.is_error(err))
      assert.equal(getmetatable(blocking), getmetatable(err))
      assert.same(fields(blocking), fields(err))
    end)

    it("a timeout after sending a create, which is not sent again", function()
      local c = helpers.client { timeout = 0.3, retries = 3, backoff = FAST }
      local slow = c:async {}
      fault(CREATE, { delay = 2 })
      local r, err = through(slow, "create", { subject = "Ops" })
      slow:close()
      c:close()
      assert.is_nil(r)
      assert.equal("timeout", err.kind)
      assert.equal(28, err.curl_code)
      assert.equal("unknown", err.outcome)
      assert.is_false(err.retryable)
      assert.equal(1, err.attempts)
      assert.equal(1, helpers.request_count())
    end)

    it("a refused connection", function()
      local opts = { base_url = helpers.closed_port_url, retries = 1, backoff = FAST }
      local c = helpers.client(opts)
      local blocking = helpers.catch(c.create, c, { subject = "Ops" })
      local refused = c:async {}
      local _, err = through(refused, "create", { subject = "Ops" })
      refused:close()
      c:close()
      assert.same(fields(blocking), fields(err))
      assert.equal("network", err.kind)
      assert.equal(7, err.curl_code)
      assert.equal("not_sent", err.outcome)
      assert.equal(2, err.attempts)
    end)

    it("validation errors at submit, before any I/O", function()
      local err = helpers.catch(a.create, a, {}, function() end)
      assert.equal("validation", err.kind)
      assert.equal("subject", err.field)
      err = helpers.catch(a.get_group, a, "../x", function() end)
      assert.equal("group_id", err.field)
      err = helpers.catch(a.send_text, a, "1203630000000", "hi", { bold = true }, function() end)
      assert.equal("bold", err.field)
      err = helpers.catch(a.create, a, { subject = "Ops" }) -- no callback, not in a coroutine
      assert.equal("callback", err.field)
      err = helpers.catch(a.create, a, { subject = "Ops" }, { retries = 99 }, function() end)
      assert.equal("retries", err.field)
      assert.equal(0, a:in_flight())
      assert.equal(0, helpers.request_count())
    end)

    it("as nil, err from a safe client's pump", function()
      local c = assert(safe.new { token = helpers.token, phone_number_id = helpers.phone_number_id,
                                  base_url = helpers.base_url })
      local sa = assert(c:async {})
      local ok, err = sa:create({}, function() end)
      assert.is_nil(ok)
      assert.equal("subject", err.field)
      local none, bad = c:async { max_in_flight = 0 }
      assert.is_nil(none)
      assert.equal("max_in_flight", bad.field)
      assert.is_true(sa:create({ subject = "Ops" }, function() end))
      drain(sa)
      sa:close()
      c:close()
      assert.equal(1, helpers.request_count())
    end)
  end)

  it("refuses bad options", function()
    for _, case in ipairs {
      { { max_in_flight = 0 }, "max_in_flight" }, { { max_in_flight = 1.5 }, "max_in_flight" },
      { { max_in_flight = "8" }, "max_in_flight" }, { { colour = 1 }, "colour" },
      { { pump = {} }, "pump" }, { { pump = a, max_in_flight = 2 }, "pump" },
      { { suspend = 1 }, "suspend" }, { { max_streams = 0 }, "max_streams" },
      { { max_streams = 2.5 }, "max_streams" }, { { pump = a, max_streams = 2 }, "pump" },
    } do
      local err = helpers.catch(client.async, client, case[1])
      assert.equal(case[2], err.field)
    end
  end)

  it("keeps running the other callbacks when one raises, and reports the error", function()
    local id = helpers.create_group(client)
    local ran = 0
    for i = 1, 5 do
      a:get_group(id, function()
        ran = ran + 1
        if i == 2 then error("boom", 0) end
      end)
    end
    local errors = a:wait()
    assert.equal(5, ran)
    assert.same({ "boom" }, errors)
    local in_flight, none = a:poll(0)
    assert.equal(0, in_flight)
    assert.is_nil(none)
  end)

  it("never has more than max_in_flight requests at the server at once", function()
    local narrow = client:async { max_in_flight = 4 }
    fault(CREATE, { delay = 0.2 }, 20)
    local done, peak = 0, 0
    for i = 1, 20 do
      narrow:create({ subject = "Q" .. i }, function(r) if r then done = done + 1 end end)
    end
    local started = socket.gettime()
    while narrow:poll(20) > 0 do
      local open = helpers.request_count() - done -- arrived at the server, not answered yet
      assert.is_true(open <= 4, "requests open at the server: " .. open)
      if open > peak then peak = open end
    end
    local seconds = socket.gettime() - started
    narrow:close()
    assert.equal(20, done)
    assert.equal(4, peak)
    assert.is_true(seconds >= 0.95, "5 rounds of 0.2 s took " .. seconds .. " s")
  end)

  describe("retries", function()
    it("rides out a 503 that clears after 2 attempts without the callback seeing it", function()
      local notes = {}
      local c = helpers.client { retries = 3, backoff = FAST,
                                 on_retry = function(info) notes[#notes + 1] = info end }
      local ra = c:async {}
      fault(CREATE, { status = 503 }, 2)
      local calls = 0
      local got
      ra:create({ subject = "Ops" }, function(r, err)
        calls = calls + 1
        got = r or err
      end)
      drain(ra)
      ra:close()
      c:close()
      assert.equal(1, calls)
      assert.is_string(got.request_id)
      assert.equal(3, helpers.request_count())
      assert.equal(1, #helpers.groups())
      assert.equal(2, #notes)
      assert.same({ 1, 2 }, { notes[1].attempt, notes[2].attempt })
      assert.equal("create", notes[1].operation)
      assert.equal(503, notes[1].error.http_status)
    end)

    it("waits for a retry without blocking poll", function()
      -- A poll that slept through the 2 s backoff would take 2 s; each must return after
      -- about its own 100 ms however slow the machine is (valgrind included).
      local BACKOFF = 2
      local notified_at
      local c = helpers.client { retries = 1, backoff = { base = BACKOFF, jitter = 0 },
                                 on_retry = function() notified_at = socket.gettime() end }
      local ra = c:async {}
      fault(CREATE, { status = 503 })
      local got, answered_at
      ra:create({ subject = "Ops" }, function(r)
        got, answered_at = r, socket.gettime()
      end)
      local slowest, polls_while_waiting = 0, 0
      while not got do
        local started = socket.gettime()
        local in_flight = ra:poll(100)
        slowest = math.max(slowest, socket.gettime() - started)
        if notified_at and not got then
          assert.equal(1, in_flight) -- the retry counts as in flight while it waits
          polls_while_waiting = polls_while_waiting + 1
        end
      end
      ra:close()
      c:close()
      assert.is_true(slowest < BACKOFF * 0.75, "a poll took " .. slowest .. " s")
      assert.is_true(polls_while_waiting >= 5, polls_while_waiting .. " polls while waiting")
      assert.is_true(answered_at - notified_at >= BACKOFF,
        "retried after " .. (answered_at - notified_at) .. " s")
      assert.is_string(got.request_id)
      assert.equal(2, helpers.request_count())
    end)

    it("takes call options after the arguments", function()
      local c = helpers.client { retries = 3, backoff = FAST }
      local ra = c:async {}
      fault(CREATE, { status = 503 }, 2)
      local _, err = through(ra, "create", { subject = "Ops" }, { retries = 0 })
      ra:close()
      c:close()
      assert.equal(503, err.http_status)
      assert.equal(1, err.attempts)
      assert.is_true(err.retryable)
    end)
  end)

  describe("closing", function()
    it("gives pending callbacks a network error, and is idempotent", function()
      local narrow = client:async { max_in_flight = 1 }
      fault(CREATE, { delay = 1 }, 2)
      local got = {}
      for i = 1, 3 do
        narrow:create({ subject = "C" .. i }, function(r, err) got[i] = { r, err } end)
      end
      narrow:poll(50) -- the first is at the server, the others queued
      assert.is_nil(narrow:close())
      assert.is_nil(narrow:close())
      assert.equal(0, narrow:in_flight())
      assert.equal("whatsapp.groups.Async (closed)", tostring(narrow))
      for i = 1, 3 do
        assert.is_nil(got[i][1])
        assert.equal("network", got[i][2].kind)
        assert.matches("pump was closed", got[i][2].message)
      end
      assert.equal("unknown", got[1][2].outcome)
      assert.is_false(got[1][2].retryable)
      assert.equal("not_sent", got[2][2].outcome)
      assert.is_true(got[2][2].retryable)
      assert.equal("validation", helpers.catch(narrow.poll, narrow, 0).kind)
      assert.equal("validation", helpers.catch(narrow.create, narrow, { subject = "x" }, print).kind)
    end)

    it("reports callbacks that raise on close", function()
      a:create({ subject = "x" }, function() error("late", 0) end)
      assert.same({ "late" }, a:close())
    end)

    it("drops pending calls when collected", function()
      fault(CREATE, { delay = 1 })
      local called = false
      do
        local gone = client:async {}
        gone:create({ subject = "x" }, function() called = true end)
        gone:poll(20)
      end
      collectgarbage()
      collectgarbage()
      assert.is_false(called)
    end)

    if _VERSION == "Lua 5.4" then
      it("closes at the end of a <close> scope", function()
        local got
        assert(load [[
          local client, got = ...
          local a <close> = client:async {}
          a:create({ subject = "x" }, function(r, err) got(err) end)
        ]])(client, function(err) got = err end)
        assert.equal("network", got.kind)
      end)
    end

    it("keeps working when its client is closed, and refuses new calls", function()
      fault(CREATE, { delay = 0.2 })
      local c = helpers.client()
      local ca = c:async {}
      local got
      ca:create({ subject = "x" }, function(r) got = r end)
      ca:poll(20)
      c:close()
      drain(ca)
      assert.is_string(got.request_id)
      local err = helpers.catch(ca.create, ca, { subject = "y" }, print)
      assert.matches("client is closed", err.message)
      ca:close()
    end)
  end)

  describe("coroutines", function()
    it("suspend a call without a callback until poll has its answer", function()
      local id = helpers.create_group(client)
      local out = {}
      local co = coroutine.create(function()
        out.created = a:create { subject = "From a coroutine" }
        out.group = a:get_group(id)
        out.page = a:list_groups { limit = 1 }
      end)
      assert(coroutine.resume(co))
      assert.equal("suspended", coroutine.status(co))
      assert.is_nil(out.created)
      drain(a)
      assert.equal("dead", coroutine.status(co))
      assert.is_string(out.created.request_id)
      assert.equal("Ops", out.group.subject)
      assert.is_number(out.group.creation_timestamp)
      assert.equal(1, #out.page.groups)
    end)

    it("raise the error in the coroutine, or return nil, err for a safe client", function()
      local co = coroutine.create(function() a:get_group "1203630000000" end)
      assert(coroutine.resume(co))
      local errors = a:wait()
      assert.equal("dead", coroutine.status(co))
      assert.equal(131041, errors[1].code)

      local c = assert(safe.new { token = helpers.token, base_url = helpers.base_url })
      local sa = c:async {}
      local got
      co = coroutine.create(function() got = { sa:get_group "1203630000000" } end)
      assert(coroutine.resume(co))
      drain(sa)
      assert.is_nil(got[1])
      assert.equal(131041, got[2].code)
      sa:close()
      c:close()
    end)

    it("use the scheduler's suspend and wakeup when given (skynet, copas)", function()
      -- A scheduler that owns every resume, as skynet and copas do.
      local ready, WAIT = {}, {}
      local sched = {
        wait = function() coroutine.yield(WAIT) end,
        wakeup = function(co) ready[#ready + 1] = co end,
      }
      local sa = client:async { suspend = sched.wait, wakeup = sched.wakeup }
      local out
      local co = coroutine.create(function() out = sa:create { subject = "Scheduled" } end)
      local _, yielded = coroutine.resume(co)
      assert.equal(WAIT, yielded)
      while sa:poll(20) > 0 do end
      assert.equal("suspended", coroutine.status(co)) -- the pump did not resume it
      assert.same({ co }, ready)
      assert(coroutine.resume(table.remove(ready)))
      assert.equal("dead", coroutine.status(co))
      assert.is_string(out.request_id)
      sa:close()
    end)
  end)

  describe("several clients", function()
    it("share one pump and its connections", function()
      local c1 = helpers.client { user_agent = "client-one" }
      local c2 = helpers.client { user_agent = "client-two" }
      local p1 = c1:async { max_in_flight = 1 }
      local p2 = c2:async { pump = p1 }
      local got = {}
      for i = 1, 2 do
        p1:create({ subject = "One " .. i }, function(r) got[#got + 1] = r and "one" end)
        p2:create({ subject = "Two " .. i }, function(r) got[#got + 1] = r and "two" end)
      end
      assert.equal(4, p2:in_flight())
      drain(p1) -- one poll loop drives both
      table.sort(got)
      assert.same({ "one", "one", "two", "two" }, got)
      local seen = helpers.requests().requests
      local agents = {}
      for _, r in ipairs(seen) do
        agents[r.user_agent] = (agents[r.user_agent] or 0) + 1
        assert.equal(seen[1].connection, r.connection) -- one connection, kept in the pump
      end
      assert.same({ ["client-one"] = 2, ["client-two"] = 2 }, agents)
      -- Closing one leaves the other running.
      p1:close()
      p2:create({ subject = "Two 3" }, function(r) got[#got + 1] = r and "two" end)
      drain(p2)
      assert.equal(5, #got)
      p2:close()
      c1:close()
      c2:close()
    end)

    it("each with its own pump, polled in one loop", function()
      local c2 = helpers.client { user_agent = "other" }
      local a2 = c2:async {}
      local n = 0
      for i = 1, 3 do
        a:create({ subject = "A" .. i }, function(r) if r then n = n + 1 end end)
        a2:create({ subject = "B" .. i }, function(r) if r then n = n + 1 end end)
      end
      while a:poll(10) + a2:poll(10) > 0 do end
      assert.equal(6, n)
      assert.equal(6, #helpers.groups())
      a2:close()
      c2:close()
    end)
  end)

  it("runs examples/game_loop.lua against the fake server", function()
    local status, out = helpers.run_example "game_loop"
    assert.equal(0, status, out)
    assert.matches("guild \"Red\" created, request_id %S+", out)
    assert.matches("sent wamid%.%S+ to Blue", out)
    assert.matches("quest coroutine: Green has %d+ participant", out)
    assert.matches("%d+ ticks, longest %d+%.%d ms; 3 created, 3 sent, 0 failed", out)
  end)
end)
