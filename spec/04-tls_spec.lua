-- HTTPS: verification is always on; the test CA makes the fake server trusted, another
-- CA (or none) makes the call fail with a clear network error before anything is sent.
local helpers = require "helpers"

describe("create over HTTPS", function()
  before_each(helpers.reset)

  it("succeeds with the test CA, over HTTP/2", function()
    local client = helpers.client { base_url = helpers.tls_base_url, ca_file = helpers.ca_file }
    local first = client:create { subject = "Ops" }
    local second = client:create { subject = "Ops again" }
    client:close()
    assert.is_string(first.request_id)
    assert.is_string(second.request_id)
    local seen = helpers.requests().requests
    assert.equal(2, #seen)
    assert.equal("HTTP/2.0", seen[1].protocol)
    assert.equal(seen[1].connection, seen[2].connection)
  end)

  it("fails verification with another CA, before sending anything", function()
    local client = helpers.client { base_url = helpers.tls_base_url, ca_file = helpers.other_ca_file }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    client:close()
    assert.equal("network", err.kind)
    assert.equal(60, err.curl_code)
    assert.equal("not_sent", err.outcome)
    assert.matches("certificate", err.message)
    assert.equal(0, helpers.request_count())
  end)

  it("refuses a server whose certificate names another host", function()
    local client = helpers.client { base_url = "https://127.0.0.2:" .. helpers.tls_port, ca_file = helpers.ca_file }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    client:close()
    assert.equal("network", err.kind)
    assert.equal(60, err.curl_code)
    assert.matches("127.0.0.2", err.message, 1, true)
    assert.is_false(err.retryable)
    assert.equal(0, helpers.request_count())
  end)

  it("fails verification with the system CAs (no silent fallback)", function()
    local client = helpers.client { base_url = helpers.tls_base_url }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    client:close()
    assert.equal("network", err.kind)
    assert.equal(60, err.curl_code)
    assert.equal(0, helpers.request_count())
  end)
end)
