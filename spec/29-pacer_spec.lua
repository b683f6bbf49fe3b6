-- whatsapp.groups.pacer: throttling one client met holds back the calls of every client
-- sharing the pacer's store, against the fake Graph server. Two clients on one memory
-- store play two workers here; spec/20-openresty_spec.lua runs four nginx workers on a
-- shared dict, and spec/31-redis_spec.lua the Redis store.
local groups = require "whatsapp.groups"
local safe = require "whatsapp.groups.safe"
local pacer = require "whatsapp.groups.pacer"
local store = require "whatsapp.groups.store"
local helpers = require "helpers"

local CREATE = { method = "POST", path = "/groups$" }

-- Two clients ("workers") carrying their requests through a transport function, paced
-- together; safe ones, so each call returns its error.
local function workers(options)
  options.store = store.memory()
  local p = pacer.new(options)
  local function worker()
    return assert(safe.new { token = helpers.token, phone_number_id = helpers.phone_number_id,
                             base_url = helpers.base_url, retries = 0, transport = helpers.carry, pacer = p })
  end
  return worker(), worker(), p
end

local function throttle(code, headers, status)
  helpers.fault { match = CREATE, fault = { status = status or 429, headers = headers, graph_error = { code = code } } }
end

describe("pacer", function()
  before_each(helpers.reset)

  it("fails the other worker's call at once, retryable, when told to", function()
    local a, b = workers { mode = "fail" }
    throttle(131208, { ["Retry-After"] = "30" })
    local _, first = a:create { subject = "Ops" }
    assert.equal(131208, first.code)
    local r, held = b:create { subject = "Ops" }
    assert.is_nil(r)
    assert.equal("api", held.kind)
    assert.is_true(held.paced)
    assert.is_true(held.retryable)
    assert.equal("not_sent", held.outcome)
    assert.equal(131208, held.code)
    assert.is_true(held.retry_after > 25 and held.retry_after <= 30, held.retry_after)
    assert.matches("held back", tostring(held))
    assert.equal(1, helpers.request_count())
  end)

  it("holds back calls of the same operation only, for 131208", function()
    local a, b = workers { mode = "fail" }
    throttle(131208, { ["Retry-After"] = "30" })
    a:create { subject = "Ops" }
    assert.is_table(assert(b:list_groups {}).groups)
    assert.is_true(select(2, b:create { subject = "Ops" }).paced)
    assert.equal(2, helpers.request_count())
  end)

  it("holds back every call for the app's limit (code 4), waiting what it did not say", function()
    local a, b, p = workers { mode = "fail", wait = 15 }
    throttle(4, nil, 400)
    a:create { subject = "Ops" }
    assert.is_true(select(2, b:list_groups {}).paced)
    assert.is_true(p:held("list_groups") > 10)
    assert.equal(1, helpers.request_count())
  end)

  it("holds back every call when the usage header says 100 % and when to come back", function()
    local a, b = workers { mode = "fail" }
    local usage = '{"102290129340398":[{"type":"whatsapp_business_management","call_count":100,'
      .. '"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":2}]}'
    helpers.fault { match = CREATE, fault = { headers = { ["X-Business-Use-Case-Usage"] = usage } } }
    assert.is_string(assert(a:create { subject = "Ops" }).request_id) -- the answer itself was fine
    local _, held = b:get_group("Tm9Hcm91cA")
    assert.is_true(held.paced)
    assert.is_true(held.retry_after > 100 and held.retry_after <= 120, held.retry_after)
    assert.equal(1, helpers.request_count())
  end)

  it("lets calls go when the usage is below its limit", function()
    local a, b = workers { mode = "fail" }
    local usage = '{"1":[{"call_count":99,"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":2}]}'
    helpers.fault { match = CREATE, fault = { headers = { ["X-Business-Use-Case-Usage"] = usage } } }
    a:create { subject = "Ops" }
    assert.is_string(assert(b:create { subject = "Ops" }).request_id)
  end)

  it("makes the other worker wait out the hold, then send", function()
    local a, b = workers {}
    throttle(131208, { ["Retry-After"] = "1" })
    a:create { subject = "Ops" }
    assert.is_string(assert(b:create { subject = "Ops" }).request_id)
    local log = helpers.requests().requests
    assert.equal(2, #log)
    assert.is_true(log[2].at - log[1].at >= 0.9, log[2].at - log[1].at)
  end)

  it("fails what would wait longer than max_wait", function()
    local a, b = workers { max_wait = 5 }
    throttle(131208, { ["Retry-After"] = "30" })
    a:create { subject = "Ops" }
    assert.is_true(select(2, b:create { subject = "Ops" }).paced)
    assert.equal(1, helpers.request_count())
  end)

  it("paces libcurl's own calls and the pump's alike, waiting out the hold", function()
    local p = pacer.new { store = store.memory() }
    local function client() return helpers.client { pacer = p } end
    local a, b = client(), client()
    throttle(131208, { ["Retry-After"] = "1" })
    helpers.catch(a.create, a, { subject = "Ops" })
    local started = os.time()
    local pump = b:async {}
    local got
    pump:create({ subject = "Ops" }, function(r, err) got = r or err end)
    assert.equal(1, pump:in_flight()) -- held back by the pacer, not yet at the server
    assert.equal(1, helpers.request_count())
    assert.is_nil(pump:wait())
    assert.is_string(got.request_id)
    assert.is_string(b:create({ subject = "Ops" }).request_id)
    assert.is_true(os.time() - started <= 3)
    assert.equal(3, helpers.request_count())
    pump:close()
    a:close()
    b:close()
  end)

  it("validates its options", function()
    for _, case in ipairs {
      { { store = store.memory(), mode = "later" }, "mode" }, { {}, "store" },
      { { store = store.memory(), max_wait = 0 }, "max_wait" }, { { store = store.memory(), wiat = 1 }, "wiat" },
    } do
      assert.equal(case[2], helpers.catch(pacer.new, case[1]).field)
    end
    assert.equal("options", helpers.catch(pacer.new).field)
    assert.equal("pacer", helpers.catch(groups.new, { token = "test-token", pacer = {}, transport = helpers.carry }).field)
  end)
end)
