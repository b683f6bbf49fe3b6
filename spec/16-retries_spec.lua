-- Faults injected through the fake Graph server, and what the client does with each: the
-- right error, or success after retries; the right number of requests at the server; and
-- never two groups from one create.
local helpers = require "helpers"

local FAST = { base = 0.01, cap = 0.05, jitter = 0 }
local CREATE = { method = "POST", path = "/groups$" }
local GET = { method = "GET" }

local function fault(match, f, count)
  helpers.fault { match = match, count = count or 1, fault = f }
end

local function client(options)
  options = options or {}
  options.retries = options.retries or 3
  options.backoff = options.backoff or FAST
  return helpers.client(options)
end

describe("retries and faults", function()
  local c, group, base_requests
  local tally = { faults = 0, requests = 0 }
  before_each(function()
    helpers.reset()
    c = client()
    group = helpers.create_group(c)
    base_requests = helpers.request_count()
  end)
  after_each(function()
    c:close()
    tally.faults = tally.faults + 1
    tally.requests = tally.requests + helpers.request_count() - base_requests
  end)
  teardown(function()
    -- The figures the README's reliability section quotes.
    print(("\nfault specs: %d, requests they sent: %d"):format(tally.faults, tally.requests))
  end)

  -- Requests and groups since the setup: the faulted calls' own.
  local function requests() return helpers.request_count() - base_requests end
  local function groups() return #helpers.groups() - 1 end

  it("waits what Retry-After asks, then succeeds (429)", function()
    fault(CREATE, { status = 429, headers = { ["Retry-After"] = "1" },
                    graph_error = { code = 131208, message = "(#131208) Group Rate Limit Hit" } })
    local started = os.time()
    local r = c:create { subject = "Ops" }
    assert.is_string(r.request_id)
    assert.is_true(os.time() - started >= 1)
    assert.equal(2, requests())
    assert.equal(1, groups())
  end)

  it("backs off on a 429 without Retry-After", function()
    fault(CREATE, { status = 429, graph_error = { code = 130429 } })
    assert.is_string(c:create({ subject = "Ops" }).request_id)
    assert.equal(2, requests())
  end)

  for _, code in ipairs { 4, 80007, 130429, 131048, 131056 } do
    it("retries a 400 with throttling code " .. code, function()
      fault(CREATE, { status = 400, graph_error = { code = code } })
      assert.is_string(c:create({ subject = "Ops" }).request_id)
      assert.equal(2, requests())
      assert.equal(1, groups())
    end)
  end

  for _, status in ipairs { 500, 502, 503 } do
    it("rides out a burst of " .. status .. " Graph errors that clears", function()
      fault(CREATE, { status = status }, 2)
      assert.is_string(c:create({ subject = "Ops" }).request_id)
      assert.equal(3, requests())
      assert.equal(1, groups())
    end)
  end

  it("gives up after the retries, with the attempts and the last cause", function()
    fault(CREATE, { status = 503 }, 10)
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    assert.equal(4, err.attempts)
    assert.equal(503, err.http_status)
    assert.equal(4, requests())
    assert.equal(0, groups())
  end)

  it("never resends a create after an HTML 502 (the server may have acted)", function()
    fault(CREATE, { status = 502, body = "<html>Bad Gateway</html>", content_type = "text/html" })
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    assert.equal("unknown", err.outcome)
    assert.equal(1, requests())
  end)

  it("resends an idempotent call after an HTML 502", function()
    fault(GET, { status = 502, body = "<html>Bad Gateway</html>", content_type = "text/html" })
    assert.equal("Ops", c:get_group(group).subject)
    assert.equal(2, requests())
  end)

  it("retries a refused connection, which never reached anyone", function()
    local refused = client { base_url = helpers.closed_port_url }
    local err = helpers.catch(refused.create, refused, { subject = "Ops" })
    refused:close()
    assert.equal("network", err.kind)
    assert.equal("not_sent", err.outcome)
    assert.equal(4, err.attempts)
  end)

  -- The client's connection was used by the setup, so libcurl itself would resend the
  -- request on a fresh connection when this one dies without an answer; it must not.
  it("never resends a create reset after it was sent, not even inside libcurl", function()
    fault(CREATE, { reset = true })
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    assert.equal("unknown", err.outcome)
    assert.equal(1, err.attempts)
    assert.matches("not sent again", err.message)
    assert.equal(1, requests())
  end)

  it("resends an idempotent call after a reset", function()
    fault(GET, { reset = true })
    assert.equal("Ops", c:get_group(group).subject)
    assert.equal(2, requests())
  end)

  it("never resends a create that timed out; says the outcome is unknown", function()
    fault(CREATE, { delay = 2 })
    local slow = client { timeout = 0.6 }
    local err = helpers.catch(slow.create, slow, { subject = "Night shift" })
    slow:close()
    assert.equal("timeout", err.kind)
    assert.equal("unknown", err.outcome)
    assert.equal(1, requests())
  end)

  it("resends an idempotent call that timed out", function()
    fault(GET, { delay = 2 })
    local slow = client { timeout = 0.6 } -- room for the retry on a slow machine
    assert.equal("Ops", slow:get_group(group).subject)
    slow:close()
    assert.equal(2, requests())
  end)

  it("waits out a slow drip within the timeout", function()
    fault(CREATE, { drip = 0.01 })
    assert.is_string(c:create({ subject = "Ops" }).request_id)
    assert.equal(1, requests())
  end)

  it("never resends a create whose answer was cut mid-JSON", function()
    fault(CREATE, { truncate = true })
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    assert.equal("network", err.kind)
    assert.equal("unknown", err.outcome)
    assert.equal(1, requests())
    assert.equal(1, groups()) -- the fake made it: the caller must reconcile, not resend
  end)

  it("refuses HTML where JSON belongs, without resending", function()
    fault(CREATE, { status = 200, body = "<html>ok</html>", content_type = "text/html" })
    assert.equal("protocol", helpers.catch(c.create, c, { subject = "Ops" }).kind)
    assert.equal(1, requests())
  end)

  it("judges the body, not a wrong Content-Type", function()
    fault(CREATE, { status = 200, body = '{"messaging_product":"whatsapp","request_id":"1"}',
                    content_type = "text/plain" })
    assert.equal("1", c:create({ subject = "Ops" }).request_id)
  end)

  it("refuses an empty 200 without resending", function()
    fault(CREATE, { status = 200, body = "" })
    assert.equal("protocol", helpers.catch(c.create, c, { subject = "Ops" }).kind)
    assert.equal(1, requests())
  end)

  it("refuses a 50 MB answer at the cap, and memory stays flat", function()
    local function rss_kb()
      local f = io.open "/proc/self/statm"
      local pages = f and tonumber(f:read "*a":match "^%d+%s+(%d+)")
      if f then f:close() end
      return (pages or 0) * 4
    end
    fault(GET, { large = 50 * 1024 * 1024 }, 3)
    local before = rss_kb()
    for _ = 1, 3 do
      local err = helpers.catch(c.get_group, c, group, nil, { retries = 0 })
      assert.equal("protocol", err.kind)
      assert.matches("larger than", err.message)
    end
    assert.is_true(rss_kb() - before < 16 * 1024, "RSS grew by " .. (rss_kb() - before) .. " kB")
  end)

  it("takes per-call retries over the client's", function()
    fault(CREATE, { status = 503 }, 5)
    local err = helpers.catch(c.create, c, { subject = "Ops" }, { retries = 0 })
    assert.equal(1, err.attempts)
    assert.equal(1, requests())
  end)

  it("refuses bad retry settings by name", function()
    assert.equal("retries", helpers.catch(helpers.client, { retries = 11 }).field)
    assert.equal("backoff.jitter", helpers.catch(helpers.client, { backoff = { jitter = 2 } }).field)
    assert.equal("retries", helpers.catch(c.create, c, { subject = "x" }, { retries = -1 }).field)
    assert.equal("backoff.step", helpers.catch(c.create, c, { subject = "x" }, { backoff = { step = 1 } }).field)
    assert.equal(0, requests())
  end)

  it("tells on_retry about each retry, without the token", function()
    local seen = {}
    local hooked = client { on_retry = function(info) seen[#seen + 1] = info end }
    fault(CREATE, { status = 503 }, 2)
    hooked:create { subject = "Ops" }
    hooked:close()
    assert.equal(2, #seen)
    assert.equal("create", seen[1].operation)
    assert.equal(1, seen[1].attempt)
    assert.equal(2, seen[2].attempt)
    assert.is_number(seen[1].delay)
    assert.equal(503, seen[1].error.http_status)
    assert.not_matches(helpers.token, tostring(seen[1].error), 1, true)
  end)

  it("exposes Meta's usage headers on results and errors", function()
    local usage = '{"102290129340398":[{"type":"whatsapp_business_management","call_count":95,'
      .. '"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0}]}'
    fault(CREATE, { headers = { ["X-Business-Use-Case-Usage"] = usage, ["X-App-Usage"] = '{"call_count":7}' } })
    local r = c:create { subject = "Ops" }
    assert.equal(95, r.usage.business_use_case["102290129340398"][1].call_count)
    assert.equal(7, r.usage.app.call_count)
    fault(CREATE, { status = 400, graph_error = { code = 100 }, headers = { ["X-App-Usage"] = '{"call_count":99}' } })
    assert.equal(99, helpers.catch(c.create, c, { subject = "Ops" }).usage.app.call_count)
  end)
end)
