-- The transport contract for carriers other than libcurl: prepare a request, carry it
-- (here with LuaSocket), settle the answer. The results and errors are the ones the
-- libcurl transport gives.
local core = require "whatsapp.groups.core"
local helpers = require "helpers"

local carry = helpers.carry

describe("the transport contract", function()
  local client
  before_each(function()
    helpers.reset()
    client = helpers.client()
  end)
  after_each(function() client:close() end)

  it("prepares a request any HTTP client can send", function()
    local request = core.prepare(client, "create", { subject = "  Carried  " })
    assert.equal("POST", request.method)
    assert.equal(helpers.base_url .. "/" .. core.DEFAULT_VERSION .. "/" .. helpers.phone_number_id
      .. "/groups", request.url)
    assert.equal("application/json", request.headers["Content-Type"])
    assert.equal("Bearer " .. helpers.token, request.headers.Authorization)
    local result = core.settle(client, request, carry(request))
    assert.is_string(result.request_id)
    assert.equal("Carried", helpers.groups()[1].subject)
  end)

  it("checks arguments before anything is prepared", function()
    local err = helpers.catch(core.prepare, client, "create", { subject = "" })
    assert.equal("subject", err.field)
  end)

  it("encodes a picture upload as multipart/form-data", function()
    local id = helpers.create_group(client)
    local request = core.prepare(client, "update_group", id, { subject = "Pictured",
                                                              picture = helpers.jpeg(300, 300) })
    assert.matches("^multipart/form%-data; boundary=lua%-whatsapp%-groups%-", request.headers["Content-Type"])
    local result = core.settle(client, request, carry(request))
    assert.is_string(result.request_id)
    assert.equal("Pictured", helpers.groups()[1].subject)
  end)

  it("settles Graph errors, with the token redacted", function()
    helpers.fault { match = { path = "/groups$" }, fault = { status = 429, headers = { ["Retry-After"] = "9" },
      graph_error = { code = 131208, message = "slow down " .. helpers.token } } }
    local request = core.prepare(client, "create", { subject = "Ops" })
    local result, err = core.settle(client, request, carry(request))
    assert.is_nil(result)
    assert.equal(131208, err.code)
    assert.equal(9, err.retry_after)
    assert.equal("slow down [REDACTED]", err.message)
  end)

  it("settles a carrier's failures by what it knows of them", function()
    local request = core.prepare(client, "create", { subject = "Ops" })
    local _, err = core.settle(client, request, nil, "timeout", "timeout")
    assert.equal("timeout", err.kind)
    assert.equal("unknown", err.outcome)
    assert.is_false(err.retryable)
    _, err = core.settle(client, request, nil, "connection refused", "not_sent")
    assert.equal("network", err.kind)
    assert.equal("not_sent", err.outcome)
    assert.is_true(err.retryable)
    assert.is_nil(err.curl_code)
  end)

  describe("through a client made with a transport", function()
    local groups = require "whatsapp.groups"
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
