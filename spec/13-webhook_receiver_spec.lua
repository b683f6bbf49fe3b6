-- examples/webhook_receiver.lua runs: handshake, signed and unsigned POSTs, the tracker.
local http = require "socket.http"
local ltn12 = require "ltn12"
local socket = require "socket"
local helpers = require "helpers"

local fixture = helpers.fixture

local function request(port, method, target, body, headers)
  local out = {}
  headers = headers or {}
  if body then headers["content-length"] = tostring(#body) end
  local _, status = http.request {
    url = "http://127.0.0.1:" .. port .. target, method = method, headers = headers,
    source = body and ltn12.source.string(body), sink = ltn12.sink.table(out),
  }
  return status, table.concat(out)
end

describe("examples/webhook_receiver.lua", function()
  local port, pid, log

  setup(function()
    port, pid, log = helpers.start_receiver({ app_secret = "my-app-secret" }, { "6a5e1b2c3d4f" })
  end)

  teardown(function()
    if pid then os.execute("kill " .. pid) end
    os.remove(log)
  end)

  local function output()
    local f = assert(io.open(log, "rb"))
    local text = f:read "*a"
    f:close()
    return text
  end

  it("answers the handshake", function()
    assert.same({ 200, "42" }, {
      request(port, "GET", "/?hub.mode=subscribe&hub.challenge=42&hub.verify_token=tok") })
    assert.equal(403, (request(port, "GET", "/?hub.mode=subscribe&hub.challenge=42&hub.verify_token=x")))
  end)

  it("refuses a bad signature and handles a good one", function()
    local body = fixture "group_create_success.json"
    -- openssl dgst -sha256 -hmac my-app-secret spec/fixtures/webhooks/group_create_success.json
    local sig = "sha256=7f69ee9088d70e335cdd28145b3a0616114e65316fca062582db37ca80682ad9"
    assert.equal(403, (request(port, "POST", "/", body, {})))
    assert.equal(403, (request(port, "POST", "/", body .. " ", { ["x-hub-signature-256"] = sig })))
    assert.equal(200, (request(port, "POST", "/", body, { ["x-hub-signature-256"] = sig })))
    local text
    for _ = 1, 50 do
      text = output()
      if text:find("completed", 1, true) and text:find("event ", 1, true) then break end
      socket.sleep(0.05)
    end
    assert.matches("event field=group_lifecycle_update type=group_create group_id=%S+ "
      .. "request_id=6a5e1b2c3d4f timestamp=1750269342 ok=true", text)
    assert.matches("completed 6a5e1b2c3d4f group_create %S+ state=created", text)
  end)
end)
