-- whatsapp.groups.webhook: the X-Hub-Signature-256 check and the GET handshake.
-- The expected digests were computed with `openssl dgst -sha256 -hmac <secret>`, never
-- with this library.
local webhook = require "whatsapp.groups.webhook"
local helpers = require "helpers"

local fixture = helpers.fixture

local SECRET = helpers.secret "my-app-secret"

describe("webhook.verify_signature", function()
  local verify = webhook.verify_signature
  local body = fixture "group_create_success.json"
  -- openssl dgst -sha256 -hmac my-app-secret spec/fixtures/webhooks/group_create_success.json
  local HEX = "7f69ee9088d70e335cdd28145b3a0616114e65316fca062582db37ca80682ad9"
  local good = "sha256=" .. HEX

  it("accepts the signature openssl computed for a fixture", function()
    assert.is_true(verify(SECRET, body, good))
    local multi = fixture "multi.json"
    assert.is_true(verify(SECRET, multi,
      "sha256=2e7fc5b04e498f8753066c4967765f2cd9d24d04103966edaf64705b25cec536"))
  end)

  it("matches the classic HMAC-SHA256 vector", function()
    assert.is_true(verify("key", "The quick brown fox jumps over the lazy dog",
      "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"))
  end)

  it("accepts upper- and mixed-case hex", function()
    assert.is_true(verify(SECRET, body, "sha256=" .. HEX:upper()))
    assert.is_true(verify(SECRET, body, "sha256=" .. HEX:sub(1, 32):upper() .. HEX:sub(33)))
  end)

  it("refuses a tampered body", function()
    local flipped = body:sub(1, 10) .. string.char((body:byte(11) + 1) % 256) .. body:sub(12)
    assert.is_false(verify(SECRET, flipped, good))
    assert.is_false(verify(SECRET, body .. " ", good))
    assert.is_false(verify(SECRET, body .. "\0", good))
    assert.is_false(verify(SECRET, body:sub(1, -2), good))
    assert.is_false(verify(SECRET, "", good))
  end)

  it("refuses the wrong secret", function()
    assert.is_false(verify("my-app-secreT", body, good))
    assert.is_false(verify("my-app-secret ", body, good))
    assert.is_false(verify("my-app-secre", body, good))
  end)

  it("refuses malformed headers", function()
    local cases = {
      HEX,                                   -- no prefix
      "sha1=" .. HEX,                        -- another algorithm
      "SHA256=" .. HEX,                      -- the prefix is lower case
      "sha256:" .. HEX,
      " sha256=" .. HEX,
      "sha256= " .. HEX:sub(2),
      "sha256=" .. HEX:sub(1, 63),           -- truncated hex
      "sha256=" .. HEX:sub(1, 32),
      "sha256=" .. HEX .. "0",               -- too long
      "sha256=" .. HEX .. "\n",
      "sha256=" .. HEX:sub(1, 63) .. "g",    -- non-hex
      "sha256=" .. HEX:sub(1, 62) .. "0x",
      "sha256=" .. HEX:sub(1, 63) .. "\0",
      "sha256=",
      "sha256",
      "",
    }
    for i, header in ipairs(cases) do
      assert.is_false(verify(SECRET, body, header), "case " .. i)
    end
  end)

  it("gives false for a header that is not a string", function()
    assert.is_false(verify(SECRET, body, nil))
    assert.is_false(verify(SECRET, body))
    assert.is_false(verify(SECRET, body, { good }))
    assert.is_false(verify(SECRET, body, 42))
    assert.is_false(verify(SECRET, body, true))
  end)

  it("gives false for an empty secret", function()
    -- openssl dgst -sha256 -hmac '' of the empty string would be accepted by a naive check.
    assert.is_false(verify("", "", "sha256=b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"))
    assert.is_false(verify("", body, good))
  end)

  it("accepts an empty body with the right signature", function()
    assert.is_true(verify(SECRET, "",
      "sha256=5cb469e06556daa11fb3d28d62a7318eb104e7c3983b1da5a1e8324d34a9762a"))
    assert.is_true(verify(SECRET, '{"object":"whatsapp_business_account","entry":[]}',
      "sha256=6181ffb07e99b650e7cd9a132e3f66127ec8827e9bab6e8df0feba5a07ea4c64"))
  end)

  it("checks a 3 MiB body", function()
    local big = string.rep("0123456789abcdef", 3 * 65536)
    assert.equal(3 * 1024 * 1024, #big)
    local sig = "sha256=edbba0d026c7947967f9ae57bb9a2ad0a0992102c9f0d139f1a5054d631ca30c"
    assert.is_true(verify(SECRET, big, sig))
    assert.is_false(verify(SECRET, big .. "0", sig))
    assert.is_false(verify(SECRET, "1" .. big:sub(2), sig))
  end)

  it("raises a validation error for a secret or body that is not a string", function()
    local err = helpers.catch(verify, nil, body, good)
    assert.equal("validation", err.kind)
    assert.equal("app_secret", err.field)
    err = helpers.catch(verify, 12345, body, good)
    assert.equal("app_secret", err.field)
    err = helpers.catch(verify, SECRET, nil, good)
    assert.equal("validation", err.kind)
    assert.equal("raw_body", err.field)
    assert.matches("string expected, got nil", err.message, 1, true)
    err = helpers.catch(verify, SECRET, { body }, good)
    assert.equal("raw_body", err.field)
  end)
end)

describe("webhook.challenge", function()
  local challenge = webhook.challenge
  local TOKEN = helpers.secret "verify-me-please"

  it("returns hub.challenge for a matching subscribe", function()
    assert.equal("1158201444", challenge({
      ["hub.mode"] = "subscribe", ["hub.verify_token"] = TOKEN, ["hub.challenge"] = "1158201444",
    }, TOKEN))
  end)

  it("reads a raw query string", function()
    local q = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" .. TOKEN
    assert.equal("1158201444", challenge(q, TOKEN))
    assert.equal("1158201444", challenge("?" .. q, TOKEN))
  end)

  it("percent-decodes the string form", function()
    local q = "hub.mode=subscribe&hub.challenge=a%2Fb%20c%3D%26d+e&hub.verify_token=s%C3%A9cret%26x"
    assert.equal("a/b c=&d e", challenge(q, "s\195\169cret&x"))
    assert.equal("x", challenge("hub%2Emode=subscribe&hub.challenge=x&hub.verify_token=t", "t"))
  end)

  it("returns nil for a wrong token", function()
    local q = { ["hub.mode"] = "subscribe", ["hub.challenge"] = "123" }
    for _, token in ipairs { "nope", TOKEN .. "x", TOKEN:sub(1, -2), TOKEN:upper(), "" } do
      q["hub.verify_token"] = token
      assert.is_nil(challenge(q, TOKEN), token)
    end
    q["hub.verify_token"] = nil
    assert.is_nil(challenge(q, TOKEN))
    assert.is_nil(challenge("hub.mode=subscribe&hub.challenge=123&hub.verify_token=nope", TOKEN))
  end)

  it("returns nil for a wrong or missing mode", function()
    local q = { ["hub.verify_token"] = TOKEN, ["hub.challenge"] = "123" }
    assert.is_nil(challenge(q, TOKEN))
    q["hub.mode"] = "unsubscribe"
    assert.is_nil(challenge(q, TOKEN))
    q["hub.mode"] = "Subscribe"
    assert.is_nil(challenge(q, TOKEN))
  end)

  it("returns nil for a missing or empty challenge", function()
    assert.is_nil(challenge({ ["hub.mode"] = "subscribe", ["hub.verify_token"] = TOKEN }, TOKEN))
    assert.is_nil(challenge("hub.mode=subscribe&hub.verify_token=" .. TOKEN, TOKEN))
    assert.is_nil(challenge("hub.mode=subscribe&hub.challenge=&hub.verify_token=" .. TOKEN, TOKEN))
    assert.is_nil(challenge("", TOKEN))
    assert.is_nil(challenge({}, TOKEN))
  end)

  it("returns nil for repeated or non-string parameters", function()
    assert.is_nil(challenge("hub.mode=subscribe&hub.challenge=1&hub.challenge=2&hub.verify_token="
      .. TOKEN, TOKEN))
    -- ngx.req.get_uri_args() gives a table for a repeated name and true for a bare one.
    assert.is_nil(challenge({ ["hub.mode"] = "subscribe", ["hub.verify_token"] = TOKEN,
                              ["hub.challenge"] = { "1", "2" } }, TOKEN))
    assert.is_nil(challenge({ ["hub.mode"] = "subscribe", ["hub.verify_token"] = true,
                              ["hub.challenge"] = "1" }, TOKEN))
  end)

  it("raises a validation error for a missing verify token or query", function()
    local q = { ["hub.mode"] = "subscribe", ["hub.verify_token"] = "", ["hub.challenge"] = "1" }
    local err = helpers.catch(challenge, q, "")
    assert.equal("validation", err.kind)
    assert.equal("verify_token", err.field)
    err = helpers.catch(challenge, q, nil)
    assert.equal("verify_token", err.field)
    err = helpers.catch(challenge, nil, TOKEN)
    assert.equal("query", err.field)
  end)
end)
