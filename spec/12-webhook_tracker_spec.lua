-- whatsapp.groups.webhook.tracker: matching operations' request_ids with the webhook
-- events that complete them, outcomes, handlers by name, de-duplication and expiry, on
-- the memory store (spec/30-store_spec.lua and spec/31-redis_spec.lua run the others).
local webhook = require "whatsapp.groups.webhook"
local store = require "whatsapp.groups.store"
local helpers = require "helpers"

local function envelope(groups)
  local items = {}
  for i, g in ipairs(groups) do
    items[i] = string.format('{"timestamp":"%s","group_id":"%s","type":"%s"%s%s}',
      g.timestamp or "1750269342", g.group_id or "g1", g.type or "group_create",
      g.request_id and string.format(',"request_id":"%s"', g.request_id) or "",
      g.errors and ',"errors":[{"code":"131211","title":"Group create limit reached"}]' or "")
  end
  return '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":'
    .. '"group_lifecycle_update","value":{"metadata":{"phone_number_id":"2"},"groups":['
    .. table.concat(items, ",") .. ']}}]}]}'
end

local function events(groups) return webhook.parse(envelope(groups)) end

-- A clock the test moves by hand, shared by the tracker and its store.
local function fake_clock(start)
  local clock = { now = start or 1000 }
  function clock.fn() return clock.now end
  return clock
end

local function tracker_on(clock, options)
  options = options or {}
  options.clock = clock.fn
  options.store = options.store or store.memory { clock = clock.fn }
  return webhook.tracker(options)
end

-- A tracker whose handlers record what they got: calls[name] = { {outcome, data}, ... }.
local function recording(t, ...)
  local calls = {}
  for _, name in ipairs { ... } do
    calls[name] = {}
    t:on(name, function(outcome, data) table.insert(calls[name], { outcome = outcome, data = data }) end)
  end
  return calls
end

describe("webhook.tracker", function()
  it("runs the named handler once with the outcome and the expectation's data", function()
    local t = webhook.tracker()
    local calls = recording(t, "created")
    assert.is_false(t:expect({ messaging_product = "whatsapp", request_id = "req-1" },
      { handler = "created", data = { chat = 42, name = "Ops" } }))
    t:expect("req-2")
    local fresh = t:handle(events { { request_id = "req-1", group_id = "G1" }, { request_id = "other" },
                                    { group_id = "G9" } })
    assert.equal(3, #fresh)
    assert.equal(1, #calls.created)
    local got = calls.created[1]
    assert.same({ chat = 42, name = "Ops" }, got.data)
    assert.equal("created", got.outcome.state)
    assert.equal("G1", got.outcome.group_id)
    assert.equal("req-1", got.outcome.request_id)
    assert.equal("group_create", got.outcome.event.type)
  end)

  it("hands an event delivered twice on once, and runs its handler once", function()
    local t = webhook.tracker()
    local calls = recording(t, "created")
    t:expect("req-1", { handler = "created" })
    local body = events { { request_id = "req-1", group_id = "G1" }, { group_id = "G2", type = "group_delete" } }
    assert.equal(2, #t:handle(body))
    assert.same({}, t:handle(webhook.parse(envelope { { request_id = "req-1", group_id = "G1" },
                                                      { group_id = "G2", type = "group_delete" } })))
    assert.equal(1, #calls.created)
    -- Another event of the same group is not a repeat.
    assert.equal(1, #t:handle(events { { group_id = "G2", type = "group_delete", timestamp = "1750269999" } }))
  end)

  it("de-duplicates messages by id and statuses by id, status and participant", function()
    local t = webhook.tracker()
    local function status(id, state, participant)
      return { field = "messages", type = "status", message_id = id, status = state,
               recipient_participant_id = participant, ok = true }
    end
    local message = { field = "messages", type = "message", message_id = "wamid.1", ok = true }
    assert.equal(1, #t:handle(message))
    assert.equal(0, #t:handle(message))
    assert.equal(3, #t:handle { status("wamid.1", "delivered", "1650"), status("wamid.1", "delivered", "1651"),
                                status("wamid.1", "read", "1650") })
    assert.equal(0, #t:handle { status("wamid.1", "delivered", "1650"), status("wamid.1", "read", "1650") })
    -- Without the id its key needs, an event cannot be told from a repeat: handed on.
    assert.equal(1, #t:handle { field = "messages", type = "message", ok = true })
    assert.equal(1, #t:handle { field = "messages", type = "message", ok = true })
  end)

  it("remembers deliveries for dedupe_ttl", function()
    local clock = fake_clock()
    local t = tracker_on(clock, { dedupe_ttl = 60 })
    local body = envelope { { group_id = "G1", type = "group_suspend" } }
    assert.equal(1, #t:handle(webhook.parse(body)))
    clock.now = clock.now + 59
    assert.equal(0, #t:handle(webhook.parse(body)))
    clock.now = clock.now + 1
    assert.equal(1, #t:handle(webhook.parse(body)))
  end)

  it("says what became of each request", function()
    local t = webhook.tracker()
    t:expect("ok")
    t:expect("bad")
    t:expect("gone")
    assert.same({ state = "pending", request_id = "ok" }, t:outcome("ok"))
    t:handle(events { { request_id = "ok", group_id = "G1" }, { request_id = "bad", group_id = "", errors = true },
                      { request_id = "gone", type = "group_delete", group_id = "G3" },
                      { request_id = "never-expected", group_id = "GX" } })
    local ok = t:outcome("ok")
    assert.equal("created", ok.state)
    assert.equal("G1", ok.group_id)
    local bad = t:outcome("bad")
    assert.equal("failed", bad.state)
    assert.equal(131211, bad.errors[1].code)
    assert.is_nil(bad.group_id)
    assert.equal("completed", t:outcome("gone").state)
    assert.equal("GX", t:outcome("never-expected").group_id)
    assert.is_nil(t:outcome("req-2"))
    assert.is_nil(t:outcome(nil))
  end)

  it("runs the handler at once when the webhook came before expect", function()
    local t = webhook.tracker()
    local calls = recording(t, "created")
    t:handle(events { { request_id = "early", group_id = "G7" } })
    assert.is_true(t:expect("early", { handler = "created", data = "d" }))
    assert.equal(1, #calls.created)
    assert.equal("G7", calls.created[1].outcome.group_id)
    assert.equal("d", calls.created[1].data)
  end)

  it("completes in whichever tracker the webhook reaches, when they share a store", function()
    local shared = store.memory()
    local worker_1, worker_2 = webhook.tracker { store = shared }, webhook.tracker { store = shared }
    local calls_1, calls_2 = recording(worker_1, "created"), recording(worker_2, "created")
    worker_1:expect("r", { handler = "created", data = { n = 1 } })
    worker_2:handle(events { { request_id = "r", group_id = "G1" } })
    assert.equal(0, #calls_1.created)
    assert.equal(1, #calls_2.created)
    assert.same({ n = 1 }, calls_2.created[1].data)
    assert.equal("G1", worker_1:outcome("r").group_id)
    -- The same webhook reaching the other worker too changes nothing.
    assert.same({}, worker_1:handle(events { { request_id = "r", group_id = "G1" } }))
    assert.equal(0, #calls_1.created)
  end)

  it("expires an expectation with no webhook: on_expire runs once", function()
    local clock = fake_clock(1000.5)
    local t = tracker_on(clock)
    local calls = recording(t, "created", "expired")
    t:expect("r", { handler = "created", on_expire = "expired", ttl = 1, data = { chat = 7 } })
    t:expect("long", { on_expire = "expired" })
    clock.now = 1001.6
    t:sweep()
    assert.equal("expired", t:outcome("r").state) -- past its deadline, before the sweep gets it
    assert.equal(0, #calls.expired)
    clock.now = 1002.1
    assert.equal(1, t:sweep())
    assert.equal(1, #calls.expired)
    assert.same({ state = "expired", request_id = "r" }, calls.expired[1].outcome)
    assert.same({ chat = 7 }, calls.expired[1].data)
    clock.now = 1010
    t:sweep()
    t:handle(events { { request_id = "other" } })
    assert.equal(1, #calls.expired)
    assert.equal("pending", t:outcome("long").state)
    -- A webhook after expiry still tells the truth, and reaches the handler.
    t:handle(events { { request_id = "r", group_id = "G1" } })
    assert.equal("created", t:outcome("r").state)
    assert.equal(1, #calls.created)
    assert.equal(1, #calls.expired)
  end)

  it("uses the tracker's on_expire for expectations that name none", function()
    local clock = fake_clock()
    local t = tracker_on(clock, { on_expire = "lost", ttl = 5 })
    local calls = recording(t, "lost")
    t:expect("r")
    clock.now = clock.now + 7
    t:sweep()
    assert.equal(1, #calls.lost)
  end)

  it("sweeps what fell due while nothing ran", function()
    local clock = fake_clock()
    local t = tracker_on(clock, { on_expire = "lost" })
    local calls = recording(t, "lost")
    for i = 1, 50 do t:expect("r" .. i, { ttl = i }) end
    clock.now = clock.now + 100
    assert.equal(50, t:sweep())
    assert.equal(50, #calls.lost)
  end)

  it("refuses to drop what it holds when its store is full", function()
    local t = webhook.tracker { store = store.memory { max_keys = 8 } }
    local err = helpers.catch(function()
      for i = 1, 20 do t:expect("r" .. i) end
    end)
    assert.equal("store", err.kind)
    assert.matches("full", err.message)
  end)

  it("runs every handler even when one raises, then raises the first error", function()
    local t = webhook.tracker()
    local got = {}
    t:on("boom", function() error("boom a", 0) end)
    t:on("note", function(outcome) got[#got + 1] = outcome.request_id end)
    t:on("table", function() error({ code = "c" }) end)
    t:expect("a", { handler = "boom" })
    t:expect("b", { handler = "note" })
    t:expect("c", { handler = "table" })
    t:expect("d", { handler = "note" })
    local ok, err = pcall(t.handle, t, events {
      { request_id = "a" }, { request_id = "b" }, { request_id = "c" }, { request_id = "d" } })
    assert.is_false(ok)
    assert.equal("boom a", err)
    assert.same({ "b", "d" }, got)
    assert.equal("created", t:outcome("c").state)
  end)

  it("waits for an outcome, sleeping with the function given", function()
    local t = webhook.tracker()
    t:expect("r")
    local naps = 0
    local outcome = t:wait("r", 5, function()
      naps = naps + 1
      if naps == 3 then t:handle(events { { request_id = "r", group_id = "G1" } }) end
    end)
    assert.equal(3, naps)
    assert.equal("G1", outcome.group_id)
    local clock = fake_clock()
    local slow = tracker_on(clock)
    slow:expect("q")
    assert.equal("pending", slow:wait("q", 1, function(s) clock.now = clock.now + s end).state)
  end)

  it("validates its options and arguments", function()
    local cases = {
      { { ttl = 0 }, "ttl" }, { { ttl = "1d" }, "ttl" }, { { ttl = math.huge }, "ttl" },
      { { keep = -1 }, "keep" }, { { dedupe_ttl = 0 / 0 }, "dedupe_ttl" }, { { store = {} }, "store" },
      { { clock = 5 }, "clock" }, { { tll = 5 }, "tll" }, { { on_expire = 5 }, "on_expire" },
    }
    for _, case in ipairs(cases) do
      local err = helpers.catch(webhook.tracker, case[1])
      assert.equal("validation", err.kind)
      assert.equal(case[2], err.field)
    end
    assert.equal("options", helpers.catch(webhook.tracker, "x").field)
    local t = webhook.tracker()
    t:on("h", function() end)
    assert.equal("request_id", helpers.catch(t.expect, t, {}).field)
    assert.equal("request_id", helpers.catch(t.expect, t, "").field)
    assert.equal("request_id", helpers.catch(t.expect, t, 42).field)
    assert.equal("request_id", helpers.catch(t.expect, t, string.rep("x", 600)).field)
    assert.equal("options", helpers.catch(t.expect, t, "r", "h").field)
    assert.equal("handler", helpers.catch(t.expect, t, "r", { handler = "unknown" }).field)
    assert.equal("on_expire", helpers.catch(t.expect, t, "r", { on_expire = 1 }).field)
    assert.equal("hanlder", helpers.catch(t.expect, t, "r", { hanlder = "h" }).field)
    assert.equal("ttl", helpers.catch(t.expect, t, "r", { ttl = 0 }).field)
    assert.equal("data", helpers.catch(t.expect, t, "r", { data = { f = print } }).field)
    assert.equal("events", helpers.catch(t.handle, t, nil).field)
    assert.equal("name", helpers.catch(t.on, t, "", print).field)
    assert.equal("fn", helpers.catch(t.on, t, "x", "print").field)
    assert.equal("timeout", helpers.catch(t.wait, t, "r", -1).field)
    assert.is_nil(t:outcome("r"))
  end)

  it("prints its type", function()
    assert.matches("^whatsapp%.groups%.webhook%.Tracker %(.+%)$", tostring(webhook.tracker()))
  end)
end)
