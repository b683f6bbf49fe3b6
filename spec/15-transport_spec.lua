-- The transport contract for carriers other than libcurl: prepare a request, carry it
-- (here with LuaSocket), settle the answer. The results and errors are the ones the
-- libcurl transport gives.
local core = require "whatsapp.groups.core"
local groups = require "whatsapp.groups"
local helpers = require "helpers"

local carry = helpers.carry

describe("the transport contract", function()
  before_each(function() helpers.reset() end)

  -- A client whose transport carries with LuaSocket; the requests it got are in seen.
  local function socket_client(options)
    local seen = {}
    local o = { transport = function(request)
      seen[#seen + 1] = request
      return carry(request)
    end }
    for k, v in pairs(options or {}) do o[k] = v end
    return helpers.client(o), seen
  end

  it("hands the transport a request any HTTP client can send, with the documented fields only", function()
    local client, seen = socket_client()
    local result = client:create { subject = "  Carried  " }
    client:close()
    local request = seen[1]
    assert.equal("POST", request.method)
    assert.equal(helpers.base_url .. "/" .. core.DEFAULT_VERSION .. "/" .. helpers.phone_number_id
      .. "/groups", request.url)
    assert.equal("application/json", request.headers["Content-Type"])
    assert.equal("Bearer " .. helpers.token, request.headers.Authorization)
    local keys = {}
    for k in pairs(request) do keys[#keys + 1] = k end
    table.sort(keys)
    assert.same({ "body", "connect_timeout", "headers", "method", "operation", "timeout", "url" }, keys)
    assert.is_string(result.request_id)
    assert.equal(1, result.attempts)
    assert.equal("Carried", helpers.groups()[1].subject)
  end)

  it("checks arguments before anything is carried", function()
    local client, seen = socket_client()
    local err = helpers.catch(client.create, client, { subject = "" })
    client:close()
    assert.equal("subject", err.field)
    assert.equal(0, #seen)
  end)

  it("encodes a picture upload as multipart/form-data", function()
    local client, seen = socket_client()
    local id = helpers.create_group(client)
    local result = client:update_group(id, { subject = "Pictured", picture = helpers.jpeg(300, 300) })
    client:close()
    assert.matches("^multipart/form%-data; boundary=lua%-whatsapp%-groups%-", seen[2].headers["Content-Type"])
    assert.is_string(result.request_id)
    assert.equal("Pictured", helpers.groups()[1].subject)
  end)

  it("settles Graph errors, with the token redacted", function()
    local client = socket_client()
    helpers.fault { match = { path = "/groups$" }, fault = { status = 429, headers = { ["Retry-After"] = "9" },
      graph_error = { code = 131208, message = "slow down " .. helpers.token } } }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    client:close()
    assert.equal(131208, err.code)
    assert.equal(9, err.retry_after)
    assert.equal("slow down [REDACTED]", err.message)
  end)

  it("settles a carrier's failures by what it knows of them", function()
    for _, case in ipairs {
      { "timeout", "timeout", "unknown", false }, { "not_sent", "network", "not_sent", true },
      { "failed", "network", "unknown", false }, { "refused", "network", "not_sent", false },
    } do
      local client = helpers.answering { nil, "it went wrong", case[1], n = 3 }
      local err = helpers.catch(client.create, client, { subject = "Ops" })
      client:close()
      assert.equal(case[2], err.kind, case[1])
      assert.equal(case[3], err.outcome, case[1])
      assert.equal(case[4], err.retryable, case[1])
      assert.equal("it went wrong", err.message)
      assert.is_nil(err.curl_code)
    end
  end)

  it("turns an answer that breaks the contract into an error object, never a raw error", function()
    for _, answer in ipairs {
      { "200", {}, "{}" }, { 200.5, {}, "{}" }, { 99, {}, "{}" }, { 200, {}, 42 }, { true },
    } do
      local client = helpers.answering(answer)
      local ok, err = pcall(client.create, client, { subject = "Ops" })
      client:close()
      assert.is_false(ok)
      assert.is_true(groups.is_error(err), tostring(err))
    end
    local raising = helpers.client { transport = function() error("boom " .. helpers.token) end }
    local err = helpers.catch(raising.create, raising, { subject = "Ops" })
    raising:close()
    assert.equal("network", err.kind)
    assert.equal("unknown", err.outcome)
    assert.matches("boom %[REDACTED%]", err.message)
  end)

  describe("through a client made with a transport", function()
    local carried
    local function through_socket(options)
      local o = { token = helpers.token, phone_number_id = helpers.phone_number_id,
                  base_url = helpers.base_url, backoff = { base = 0.01, cap = 0.02, jitter = 0 },
                  transport = function(request) carried = carried + 1; return carry(request) end }
      for k, v in pairs(options or {}) do o[k] = v end
      return groups.new(o)
    end
    before_each(function() carried = 0 end)

    it("retries what is safe to retry, as libcurl's transport does", function()
      local seen = {}
      local c = through_socket { on_retry = function(info) seen[#seen + 1] = info.attempt end }
      helpers.fault { match = { path = "/groups$" }, count = 2, fault = { status = 503 } }
      assert.is_string(c:create({ subject = "Ops" }).request_id)
      assert.equal(3, carried)
      assert.same({ 1, 2 }, seen)
      assert.equal(3, helpers.request_count())
    end)

    it("never resends a create whose outcome is unknown", function()
      local c = through_socket()
      helpers.fault { match = { path = "/groups$" }, fault = { status = 502, body = "<html></html>",
                                                               content_type = "text/html" } }
      local err = helpers.catch(c.create, c, { subject = "Ops" })
      assert.equal("unknown", err.outcome)
      assert.equal(1, carried)
    end)

    it("takes and checks call options", function()
      local c = through_socket()
      helpers.fault { match = { path = "/groups$" }, count = 3, fault = { status = 503 } }
      local err = helpers.catch(c.create, c, { subject = "Ops" }, { retries = 0 })
      assert.equal(1, err.attempts)
      assert.equal("retries", helpers.catch(c.create, c, { subject = "Ops" }, { retries = "x" }).field)
      assert.equal(1, carried)
    end)
  end)
end)
