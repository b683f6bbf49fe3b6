-- whatsapp.groups.webhook.tracker: matching operations' request_ids with the webhook
-- events that complete them.
local webhook = require "whatsapp.groups.webhook"
local helpers = require "helpers"

local function envelope(groups)
  local items = {}
  for i, g in ipairs(groups) do
    items[i] = string.format('{"timestamp":"1750269342","group_id":"%s","type":"%s"%s}',
      g.group_id or "g1", g.type or "group_create",
      g.request_id and string.format(',"request_id":"%s"', g.request_id) or "")
  end
  return '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":'
    .. '"group_lifecycle_update","value":{"metadata":{"phone_number_id":"2"},"groups":['
    .. table.concat(items, ",") .. ']}}]}]}'
end

-- A clock the test moves by hand.
local function fake_clock(start)
  local clock = { now = start or 1000 }
  function clock.fn() return clock.now end
  return clock
end

describe("webhook.tracker", function()
  it("calls back with the completing event, once", function()
    local t = webhook.tracker()
    local got = {}
    assert.is_false(t:expect({ messaging_product = "whatsapp", request_id = "req-1" },
      function(event) got[#got + 1] = event end))
    assert.is_false(t:expect("req-2"))
    assert.equal(2, t:pending())

    local events = webhook.parse(envelope {
      { request_id = "req-1", group_id = "G1" }, { request_id = "other" }, { group_id = "G9" },
    })
    assert.equal(1, t:handle(events))
    assert.equal(1, #got)
    assert.equal("G1", got[1].group_id)
    assert.equal("group_create", got[1].type)
    assert.equal(1, t:pending())
    -- Meta delivers again after a non-200: nothing completes twice.
    assert.equal(0, t:handle(events))
    assert.equal(1, #got)
  end)

  it("accepts a single event", function()
    local t = webhook.tracker()
    local got
    t:expect("req-1", function(e) got = e end)
    local event = webhook.parse(envelope { { request_id = "req-1", type = "group_delete" } })[1]
    assert.equal(1, t:handle(event))
    assert.equal(event, got)
    assert.equal(0, t:pending())
  end)

  it("looks up the event that carried a request_id", function()
    local t = webhook.tracker()
    t:expect("req-1")
    t:handle(webhook.parse(envelope { { request_id = "req-1", group_id = "G1" },
                                      { request_id = "req-x", group_id = "GX" } }))
    assert.equal("G1", t:lookup("req-1").group_id)
    assert.equal("GX", t:lookup("req-x").group_id)
    assert.is_nil(t:lookup("req-2"))
    assert.is_nil(t:lookup(nil))
  end)

  it("calls back at once when the webhook came before expect", function()
    local t = webhook.tracker()
    t:handle(webhook.parse(envelope { { request_id = "early", group_id = "G7" } }))
    local got
    assert.is_true(t:expect("early", function(e) got = e end))
    assert.equal("G7", got.group_id)
    assert.equal(0, t:pending())
  end)

  it("forgets what is older than ttl", function()
    local clock = fake_clock(1000)
    local t = webhook.tracker { ttl = 60, clock = clock.fn }
    local called = false
    t:expect("old", function() called = true end)
    clock.now = 1030
    t:expect("young")
    t:handle(webhook.parse(envelope { { request_id = "seen" } }))
    assert.equal(2, t:pending())
    clock.now = 1059
    assert.equal(2, t:pending())
    clock.now = 1060
    assert.equal(1, t:pending())
    assert.equal(0, t:handle(webhook.parse(envelope { { request_id = "old" } })))
    assert.is_false(called)
    assert.is_not_nil(t:lookup("seen"))
    clock.now = 1090
    assert.equal(0, t:pending())
    assert.is_nil(t:lookup("seen"))
    assert.is_not_nil(t:lookup("old"))
    clock.now = 1200
    assert.is_nil(t:lookup("old"))
  end)

  it("defaults to one day", function()
    local clock = fake_clock(0)
    local t = webhook.tracker { clock = clock.fn }
    t:expect("r")
    clock.now = 86399
    assert.equal(1, t:pending())
    clock.now = 86400
    assert.equal(0, t:pending())
  end)

  it("keeps at most max_pending, dropping the oldest", function()
    local t = webhook.tracker { max_pending = 3 }
    for i = 1, 5 do t:expect("r" .. i) end
    assert.equal(3, t:pending())
    assert.equal(0, t:handle(webhook.parse(envelope { { request_id = "r1" }, { request_id = "r2" } })))
    assert.equal(3, t:handle(webhook.parse(envelope {
      { request_id = "r3" }, { request_id = "r4" }, { request_id = "r5" } })))
    assert.equal(0, t:pending())
    -- Seen events are capped the same way.
    assert.is_nil(t:lookup("r1"))
    assert.is_nil(t:lookup("r2"))
    assert.is_not_nil(t:lookup("r5"))
  end)

  it("stays bounded over many expect/handle rounds", function()
    local t = webhook.tracker { max_pending = 10 }
    t:expect("long-lived")
    for i = 1, 2000 do
      t:expect("r" .. i)
      t:handle(webhook.parse(envelope { { request_id = "r" .. i } }))
    end
    assert.equal(1, t:pending())
    assert.is_nil(t:lookup("r1")) -- seen events are capped too
    local waiting_queue = 0
    for _ in pairs(t.waiting.queue) do waiting_queue = waiting_queue + 1 end
    assert.is_true(waiting_queue < 200, "queue kept " .. waiting_queue)
  end)

  it("re-expecting a request_id replaces the callback", function()
    local t = webhook.tracker()
    local got = {}
    t:expect("r", function() got[#got + 1] = "first" end)
    t:expect("r", function() got[#got + 1] = "second" end)
    assert.equal(1, t:pending())
    assert.equal(1, t:handle(webhook.parse(envelope { { request_id = "r" } })))
    assert.same({ "second" }, got)
  end)

  it("runs every callback even when one raises, then raises the first error", function()
    local t = webhook.tracker()
    local got = {}
    t:expect("a", function() error("boom a", 0) end)
    t:expect("b", function(e) got[#got + 1] = e.request_id end)
    t:expect("c", function() error({ code = "c" }) end)
    t:expect("d", function(e) got[#got + 1] = e.request_id end)
    local events = webhook.parse(envelope {
      { request_id = "a" }, { request_id = "b" }, { request_id = "c" }, { request_id = "d" } })
    local ok, err = pcall(t.handle, t, events)
    assert.is_false(ok)
    assert.equal("boom a", err)
    assert.same({ "b", "d" }, got)
    assert.equal(0, t:pending())
    assert.equal("c", t:lookup("c").request_id)
  end)

  it("validates its options and arguments", function()
    local cases = {
      { { ttl = 0 }, "ttl" }, { { ttl = "1d" }, "ttl" }, { { ttl = math.huge }, "ttl" },
      { { max_pending = 0 }, "max_pending" }, { { max_pending = 1.5 }, "max_pending" },
      { { clock = 5 }, "clock" }, { { tll = 5 }, "tll" },
    }
    for _, case in ipairs(cases) do
      local err = helpers.catch(webhook.tracker, case[1])
      assert.equal("validation", err.kind)
      assert.equal(case[2], err.field)
    end
    assert.equal("options", helpers.catch(webhook.tracker, "x").field)
    local t = webhook.tracker()
    assert.equal("request_id", helpers.catch(t.expect, t, {}).field)
    assert.equal("request_id", helpers.catch(t.expect, t, "").field)
    assert.equal("request_id", helpers.catch(t.expect, t, 42).field)
    assert.equal("callback", helpers.catch(t.expect, t, "r", "not a function").field)
    assert.equal("events", helpers.catch(t.handle, t, nil).field)
    assert.equal(0, t:pending())
  end)

  it("prints its type", function()
    assert.matches("^whatsapp%.groups%.webhook%.Tracker %(.+%)$", tostring(webhook.tracker()))
  end)
end)
