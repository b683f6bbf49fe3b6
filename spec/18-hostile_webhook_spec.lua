-- Hostile input to the webhook functions: a signature check that says yes to exactly one
-- header, whatever else it is shown, and parse, challenge and the tracker refusing what
-- they cannot use with our structured errors, never a plain Lua error.
local core = require "whatsapp.groups.core"
local webhook = require "whatsapp.groups.webhook"
local helpers = require "helpers"

-- The classic HMAC-SHA256 vector (RFC 4231 style, from Wikipedia), and its base64 form
-- (python3: base64.b64encode of the digest), never computed with this library.
local KEY, BODY = "key", "The quick brown fox jumps over the lazy dog"
local HEX = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
local B64 = "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
local GOOD = "sha256=" .. HEX

local HOSTILE = {
  "a\r\nb", "a\0b", "/", "?", "#", "..", ".", "%2F", string.rep("a", 100000), "\192\175",
  "\237\160\128", "caf\195", "\255", "../../v1/me", "x\r\nAuthorization: Bearer evil", "  ", "\t", "",
  42, 4.5, {}, true, print, io.stdout,
}

local function is_hex(c) return c:match "^%x$" ~= nil end

describe("webhook.verify_signature against tampering", function()
  local verify = webhook.verify_signature

  it("accepts the one right header", function()
    assert.is_true(verify(KEY, BODY, GOOD))
    assert.is_true(verify(KEY, BODY, "sha256=" .. HEX:upper()))
  end)

  it("refuses every change of one byte, except the case of a hex letter", function()
    for i = 1, #GOOD do
      for _, b in ipairs { 0, 9, 32, 48, 65, 97, 102, 127, 255 } do
        local c = string.char(b)
        local header = GOOD:sub(1, i - 1) .. c .. GOOD:sub(i + 1)
        local same = c == GOOD:sub(i, i) or (i > 7 and is_hex(c) and c:lower() == GOOD:sub(i, i))
        assert.equal(same, verify(KEY, BODY, header), ("byte %d as %d"):format(i, b))
      end
    end
  end)

  it("refuses every truncation and every extension", function()
    for n = 0, #GOOD - 1 do assert.is_false(verify(KEY, BODY, GOOD:sub(1, n)), n) end
    for _, tail in ipairs { "0", " ", "\n", "\r\n", "\0", ",sha256=" .. HEX } do
      assert.is_false(verify(KEY, BODY, GOOD .. tail))
    end
  end)

  it("refuses the digest re-encoded, re-cased or padded", function()
    for _, header in ipairs {
      "sha256=" .. B64, B64, "SHA256=" .. HEX, "Sha256=" .. HEX, "sha-256=" .. HEX, "hmac-sha256=" .. HEX,
      " " .. GOOD, GOOD .. " ", "\t" .. GOOD, "sha256= " .. HEX, "sha256 =" .. HEX, "\"" .. GOOD .. "\"",
      "sha256=" .. HEX:gsub("..", "%0:"):sub(1, -2), "sha256=0x" .. HEX:sub(3), "",
    } do
      assert.is_false(verify(KEY, BODY, header), header)
    end
  end)

  it("refuses the right header for a tampered or truncated body", function()
    assert.is_false(verify(KEY, BODY .. ".", GOOD))
    assert.is_false(verify(KEY, BODY:sub(1, -2), GOOD))
    assert.is_false(verify(KEY, BODY:upper(), GOOD))
    assert.is_false(verify(KEY, "", GOOD))
  end)

  it("gives false for any hostile header, and a validation error for a hostile secret or body", function()
    for _, h in ipairs(HOSTILE) do
      assert.is_false(verify(KEY, BODY, h))
      if type(h) == "string" then
        assert.is_false(verify(h, BODY, GOOD))
        assert.is_false(verify(KEY, h, GOOD))
      else
        assert.equal("app_secret", helpers.catch(verify, h, BODY, GOOD).field)
        assert.equal("raw_body", helpers.catch(verify, KEY, h, GOOD).field)
      end
    end
  end)
end)

describe("the other webhook functions on hostile input", function()
  it("parse: a protocol error for any string that is not the envelope, a validation error otherwise", function()
    for _, h in ipairs(HOSTILE) do
      local err = helpers.catch(webhook.parse, h)
      assert.equal(type(h) == "string" and "protocol" or "validation", err.kind)
    end
    for _, body in ipairs {
      "[]", "null", "1e400", '"x"', '{"object":"whatsapp_business_account"}',
      '{"object":"whatsapp_business_account","entry":[]}' .. "\0<html>", -- cjson would stop at the NUL
      string.rep("[", 5000) .. string.rep("]", 5000),
    } do
      assert.equal("protocol", helpers.catch(webhook.parse, body).kind)
    end
  end)

  it("parse: odd values inside the envelope give events or nothing, never a Lua error", function()
    local envelope = '{"object":"whatsapp_business_account","entry":[%s]}'
    for _, entry in ipairs {
      'null', '1', '"x"', '{"changes":null}', '{"changes":[null,1,"x",{}]}',
      '{"changes":[{"field":1,"value":{}}]}', '{"changes":[{"field":"group_x","value":{"groups":1}}]}',
      '{"changes":[{"field":"group_x","value":{"groups":[1,null,{"timestamp":{}}]}}]}',
      '{"changes":[{"field":"messages","value":{"messages":[{"group_id":{}}],"contacts":7}}]}',
      '{"changes":[{"field":"messages","value":{"statuses":[{"recipient_type":"group","errors":{}}]}}]}',
      '{"changes":[{"field":"group_lifecycle_update","value":{"groups":[{"timestamp":"1e999"}]}}]}',
    } do
      local events = webhook.parse(envelope:format(entry))
      assert.is_table(events)
      for _, e in ipairs(events) do assert.is_boolean(e.ok) end
    end
  end)

  it("challenge: validation errors for hostile arguments, nil for hostile queries", function()
    for _, h in ipairs(HOSTILE) do
      if type(h) == "string" then
        assert.is_nil(webhook.challenge(h, "verify-me"))
        assert.is_nil(webhook.challenge({ ["hub.mode"] = "subscribe", ["hub.verify_token"] = h,
                                          ["hub.challenge"] = "c" }, "verify-me"))
        if h ~= "" then
          assert.is_nil(webhook.challenge("hub.mode=subscribe&hub.verify_token=x&hub.challenge=c", h))
        end
      elseif type(h) ~= "table" then
        assert.equal("query", helpers.catch(webhook.challenge, h, "verify-me").field)
      end
      if type(h) ~= "string" or h == "" then
        assert.equal("verify_token", helpers.catch(webhook.challenge, {}, h).field)
      end
    end
  end)

  it("tracker: validation errors for hostile options and ids", function()
    local tracker = webhook.tracker()
    for _, h in ipairs(HOSTILE) do
      if type(h) ~= "table" then assert.equal("validation", helpers.catch(webhook.tracker, h).kind) end
      if type(h) ~= "string" or h == "" or #h > 512 then
        if type(h) ~= "table" then assert.equal("validation", helpers.catch(tracker.expect, tracker, h).kind) end
      else
        assert.is_false(tracker:expect(h))
        assert.equal("pending", tracker:outcome(h).state)
      end
      if type(h) ~= "table" then assert.equal("validation", helpers.catch(tracker.handle, tracker, h).kind) end
    end
    assert.is_nil(tracker:outcome(string.rep("a", 100000)))
    -- Not events: skipped; tables without what a request or its key needs: handed on, unmatched.
    assert.equal(2, #tracker:handle { { request_id = {} }, { request_id = 42 }, 7, "x" })
    assert.is_nil(tracker:outcome(42))
    assert.is_true(core.is_error(helpers.catch(webhook.tracker, { ttl = 0 / 0 })))
  end)
end)
