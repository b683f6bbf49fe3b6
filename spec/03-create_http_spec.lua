-- create over real HTTP against the fake Graph server: the request sent, keep-alive, and
-- every kind of failure mapped to the error object's fields.
local groups = require "whatsapp.groups"
local helpers = require "helpers"
local socket = require "socket"

local CREATE = { method = "POST", path = "/groups$" }

local function fault(f, count)
  helpers.fault { match = CREATE, count = count or 1, fault = f }
end

describe("create over HTTP", function()
  local client

  before_each(function()
    helpers.reset()
    client = helpers.client()
  end)
  after_each(function() client:close() end)

  it("returns Graph's answer and the server remembers the group", function()
    local r = client:create { subject = "Ops team", description = "Night shift",
                              join_approval_mode = "approval_required" }
    assert.equal("whatsapp", r.messaging_product)
    assert.is_string(r.request_id)
    local stored = helpers.groups()
    assert.equal(1, #stored)
    assert.equal(r.request_id, stored[1].request_id)
    assert.equal("Night shift", stored[1].description)
    local seen = helpers.requests().requests[1]
    assert.equal("POST", seen.method)
    assert.equal("/" .. groups.DEFAULT_VERSION .. "/" .. helpers.phone_number_id .. "/groups", seen.path)
    assert.equal(200, seen.status)
    assert.matches("^lua%-whatsapp%-groups/", seen.user_agent)
  end)

  it("uses the version and user agent it was given", function()
    local c = helpers.client { version = "v23.0", user_agent = "ops-bot/2.1" }
    c:create { subject = "Ops" }
    c:close()
    local seen = helpers.requests().requests[1]
    assert.equal("/v23.0/" .. helpers.phone_number_id .. "/groups", seen.path)
    assert.equal("ops-bot/2.1", seen.user_agent)
  end)

  it("keeps one connection alive across calls", function()
    for i = 1, 5 do client:create { subject = "Ops " .. i } end
    local seen = helpers.requests().requests
    assert.equal(5, #seen)
    for i = 2, 5 do assert.equal(seen[1].connection, seen[i].connection) end
    assert.equal(5, #helpers.groups())
  end)

  it("maps a wrong token to Meta's 401 (code 190) without showing the token", function()
    local c = helpers.client { token = helpers.secret "wrong-token-d41d8cd98f" }
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    c:close()
    assert.equal("api", err.kind)
    assert.equal(401, err.http_status)
    assert.equal(190, err.code)
    assert.equal("OAuthException", err.type)
    assert.equal("rejected", err.outcome)
    assert.is_false(err.retryable)
    assert.is_string(err.fbtrace_id)
    assert.equal(0, #helpers.groups())
  end)

  it("maps a 400 Graph error with every envelope field", function()
    fault { status = 400, graph_error = {
      code = 131215, error_subcode = 2494055, type = "OAuthException",
      message = "(#131215) Phone number not eligible",
      error_data = { messaging_product = "whatsapp", details = "Number is not an OBA" },
      error_user_title = "Not eligible", error_user_msg = "Ask for an OBA", fbtrace_id = "AbC123",
    } }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.same({
      kind = "api", http_status = 400, code = 131215, subcode = 2494055, type = "OAuthException",
      message = "(#131215) Phone number not eligible", details = "Number is not an OBA",
      user_title = "Not eligible", user_msg = "Ask for an OBA", fbtrace_id = "AbC123",
      hint = "this number is not eligible for the Groups API (an Official Business Account is needed)",
      is_transient = false, outcome = "rejected", retryable = false, attempts = 1,
      operation = "create", method = "POST",
      path = "/" .. groups.DEFAULT_VERSION .. "/" .. helpers.phone_number_id .. "/groups",
    }, setmetatable(err, nil))
  end)

  it("reads tostring as one line with the facts a person needs", function()
    fault { status = 400, graph_error = { code = 100, message = "(#100) Invalid parameter",
                                          fbtrace_id = "Trace1" } }
    local text = tostring(helpers.catch(client.create, client, { subject = "Ops" }))
    assert.equal("whatsapp.groups: api error: (#100) Invalid parameter (HTTP 400, code 100, "
      .. "fbtrace_id Trace1) [create POST /" .. groups.DEFAULT_VERSION .. "/"
      .. helpers.phone_number_id .. "/groups]", text)
  end)

  it("marks a 500 with a transient Graph error as retryable", function()
    fault { status = 500, graph_error = { code = 2, is_transient = true,
                                          message = "Service temporarily unavailable" } }
    local err = helpers.catch(client.create, client, { subject = "Ops" }, { retries = 0 })
    assert.equal("api", err.kind)
    assert.equal(500, err.http_status)
    assert.equal(2, err.code)
    assert.is_true(err.is_transient)
    assert.is_true(err.retryable)
    assert.equal("rejected", err.outcome)
  end)

  it("maps a 429 with Retry-After", function()
    fault { status = 429, headers = { ["Retry-After"] = "7" },
            graph_error = { code = 131208, message = "(#131208) Group Rate Limit Hit" } }
    local err = helpers.catch(client.create, client, { subject = "Ops" }, { retries = 0 })
    assert.equal("api", err.kind)
    assert.equal(429, err.http_status)
    assert.equal(131208, err.code)
    assert.equal(7, err.retry_after)
    assert.is_true(err.retryable)
  end)

  it("maps a refused connection as never sent", function()
    local c = helpers.client { base_url = helpers.closed_port_url }
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    c:close()
    assert.equal("network", err.kind)
    assert.equal(7, err.curl_code)
    assert.equal("not_sent", err.outcome)
    assert.is_true(err.retryable)
    assert.is_nil(err.http_status)
  end)

  it("times out, and says the create's outcome is unknown", function()
    fault { delay = 2 }
    local c = helpers.client { timeout = 0.3 }
    local started = socket.gettime()
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    c:close()
    local seconds = socket.gettime() - started
    assert.is_true(seconds < 1.5, "gave up after " .. seconds .. " s, not 0.3 s")
    assert.equal("timeout", err.kind)
    assert.equal(28, err.curl_code)
    assert.equal("unknown", err.outcome)
    assert.is_false(err.retryable) -- create is not idempotent
    assert.matches("outcome unknown", tostring(err), 1, true)
  end)

  it("refuses a 200 that is not JSON", function()
    fault { status = 200, body = "{\"messaging_product\": \"whats" }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.equal("protocol", err.kind)
    assert.equal(200, err.http_status)
    assert.equal("unknown", err.outcome)
    assert.matches("not a JSON object", err.message)
  end)

  it("refuses an empty 200", function()
    fault { status = 200, body = "" }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.equal("protocol", err.kind)
  end)

  it("maps an HTML 502 from a proxy as an API error of unknown outcome", function()
    fault { status = 502, body = "<html><body>Bad Gateway</body></html>", content_type = "text/html" }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.equal("api", err.kind)
    assert.equal(502, err.http_status)
    assert.equal("unknown", err.outcome)
    assert.is_false(err.retryable)
    assert.matches("without a Graph error body", err.message)
  end)

  it("maps an answer cut mid-JSON as a network error after sending", function()
    fault { truncate = true }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.equal("network", err.kind)
    assert.equal(18, err.curl_code)
    assert.equal("unknown", err.outcome)
  end)

  it("maps a connection reset with no answer", function()
    fault { reset = true }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.equal("network", err.kind)
    -- 52 (nothing came back) or 56 (reset while reading), depending on timing
    assert.is_true(err.curl_code == 52 or err.curl_code == 56, "curl " .. tostring(err.curl_code))
    assert.equal("unknown", err.outcome)
    assert.is_false(err.retryable)
  end)

  it("refuses an answer larger than max_response_size", function()
    fault { status = 200, body = "{\"pad\":\"" .. string.rep("x", 100000) .. "\"}" }
    local c = helpers.client { max_response_size = 4096 }
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    c:close()
    assert.equal("protocol", err.kind)
    assert.matches("larger than 4096 bytes", err.message)
  end)

  it("keeps working after a failure on the same client", function()
    fault { reset = true }
    helpers.catch(client.create, client, { subject = "Ops" })
    local r = client:create { subject = "Ops" }
    assert.is_string(r.request_id)
  end)

  it("redacts the token even when a server echoes it", function()
    fault { status = 400, graph_error = { code = 190, message = "bad token " .. helpers.token,
      error_data = { details = "Bearer " .. helpers.token } } }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.equal("bad token [REDACTED]", err.message)
    assert.equal("Bearer [REDACTED]", err.details)
  end)
end)
