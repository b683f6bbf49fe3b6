-- backoff.max_elapsed: no retry is waited for that would end later than this many seconds
-- after the call began. The same rule in the blocking client, the pump and a carrier's
-- transport; the caller gets the last error, with the attempts made.
local groups = require "whatsapp.groups"
local socket = require "socket"
local helpers = require "helpers"

local CREATE = { method = "POST", path = "/groups$" }

local function fault(f, count)
  helpers.fault { match = CREATE, count = count, fault = f }
end

describe("backoff.max_elapsed", function()
  before_each(helpers.reset)

  it("stops retrying when the next wait would end past it", function()
    -- Waits of 0.2, 0.4, 0.8 s: the third would end at about 1.4 s, past 1 s.
    local c = helpers.client { retries = 5,
                               backoff = { base = 0.2, cap = 10, jitter = 0, max_elapsed = 1 } }
    fault({ status = 503 }, 10)
    local started = socket.gettime()
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    local seconds = socket.gettime() - started
    c:close()
    assert.equal(503, err.http_status)
    assert.equal(3, err.attempts)
    assert.equal(3, helpers.request_count())
    assert.is_true(seconds < 1, "gave up after " .. seconds .. " s")
  end)

  it("does not wait out a Retry-After that ends past it", function()
    local c = helpers.client { retries = 3, backoff = { max_elapsed = 1 } }
    fault({ status = 429, headers = { ["Retry-After"] = "2" } }, 1)
    local started = socket.gettime()
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    local seconds = socket.gettime() - started
    c:close()
    assert.equal(429, err.http_status)
    assert.equal(1, err.attempts)
    assert.equal(2, err.retry_after)
    assert.is_true(seconds < 1, "returned after " .. seconds .. " s")
  end)

  it("is no limit at 0, the default", function()
    local c = helpers.client { retries = 3, backoff = { base = 0.01, jitter = 0 } }
    fault({ status = 503 }, 3)
    assert.is_string(c:create({ subject = "Ops" }).request_id)
    c:close()
    assert.equal(4, helpers.request_count())
  end)

  it("can be set for one call", function()
    local c = helpers.client { retries = 3, backoff = { base = 0.01, jitter = 0 } }
    fault({ status = 503 }, 3)
    local err = helpers.catch(c.create, c, { subject = "Ops" },
                              { backoff = { max_elapsed = 0.001 } })
    c:close()
    assert.equal(1, err.attempts)
    assert.equal(1, helpers.request_count())
  end)

  it("holds in the pump", function()
    local c = helpers.client { retries = 3, backoff = { base = 0.01, jitter = 0 } }
    local pump = c:async {}
    fault({ status = 503 }, 3)
    local got
    pump:create({ subject = "Ops" }, { backoff = { max_elapsed = 0.001 } },
                function(result, err) got = { result, err } end)
    assert.is_nil(pump:wait())
    pump:close()
    c:close()
    assert.is_nil(got[1])
    assert.equal(503, got[2].http_status)
    assert.equal(1, got[2].attempts)
    assert.equal(1, helpers.request_count())
  end)

  it("holds through a carrier's transport", function()
    local carried = 0
    local c = groups.new {
      token = helpers.token, phone_number_id = helpers.phone_number_id,
      base_url = helpers.base_url, retries = 3,
      backoff = { base = 0.01, jitter = 0, max_elapsed = 0.001 },
      transport = function(request)
        carried = carried + 1
        return helpers.carry(request)
      end,
    }
    fault({ status = 503 }, 3)
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    c:close()
    assert.equal(503, err.http_status)
    assert.equal(1, err.attempts)
    assert.equal(1, carried)
  end)

  for _, case in ipairs { { -1, "from 0" }, { 86401, "to 86400" }, { "soon", "number expected" } } do
    it("refuses max_elapsed = " .. tostring(case[1]), function()
      local err = helpers.catch(groups.new, { token = helpers.token,
                                              backoff = { max_elapsed = case[1] } })
      assert.equal("validation", err.kind)
      assert.equal("backoff.max_elapsed", err.field)
      assert.matches(case[2], err.reason, 1, true)
    end)
  end
end)
