-- create's fields are checked exactly as Meta documents them, before any I/O: every
-- refused case below must leave the fake server's request count at zero.
local helpers = require "helpers"

local client

local function refused(args)
  helpers.reset()
  local err = helpers.catch(client.create, client, args)
  assert.equal("validation", err.kind)
  assert.equal("create", err.operation)
  assert.equal("not_sent", err.outcome)
  assert.is_false(err.retryable)
  assert.equal(0, helpers.request_count(), "a refused create reached the server")
  return err
end

local function created(args)
  helpers.reset()
  local result = client:create(args)
  assert.equal("whatsapp", result.messaging_product)
  assert.is_string(result.request_id)
  local stored = helpers.groups()
  assert.equal(1, #stored)
  return stored[1], result
end

local EMOJI = "\240\159\152\128" -- U+1F600, 4 bytes, 1 code point
local E_ACUTE = "\195\169"       -- U+00E9, 2 bytes

describe("create validation", function()
  setup(function() client = helpers.client() end)
  teardown(function() client:close() end)

  -- { subject, accepted?, what the fake server stores }
  local boundaries = {
    { string.rep("a", 127), true },
    { string.rep("a", 128), true },
    { string.rep("a", 129), false },
    { string.rep(EMOJI, 128), true },
    { string.rep(EMOJI, 129), false },
    { string.rep(E_ACUTE, 128), true },
    { string.rep(E_ACUTE, 129), false },
    { "  " .. string.rep("b", 128) .. "\t\n ", true },
  }
  for _, case in ipairs(boundaries) do
    local subject, ok = case[1], case[2]
    it(("%s a subject of %d bytes"):format(ok and "accepts" or "refuses", #subject), function()
      if ok then
        local stored = created { subject = subject }
        assert.equal((subject:gsub("^%s+", ""):gsub("%s+$", "")), stored.subject)
      else
        local err = refused { subject = subject }
        assert.equal("subject", err.field)
        assert.matches("at most 128 characters, got 129", err.reason, 1, true)
      end
    end)
  end

  it("trims the subject before sending it", function()
    local stored = created { subject = "  Ops team \t" }
    assert.equal("Ops team", stored.subject)
  end)

  -- { args, field, reason }
  local bad = {
    { {}, "subject", "string expected, got nil" },
    { { subject = 42 }, "subject", "string expected, got number" },
    { { subject = { "Ops" } }, "subject", "string expected, got table" },
    { { subject = "" }, "subject", "must not be empty" },
    { { subject = " \t\r\n " }, "subject", "only white space" },
    { { subject = "\192\128" }, "subject", "valid UTF-8" },           -- overlong NUL
    { { subject = "\237\160\128" }, "subject", "valid UTF-8" },       -- surrogate U+D800
    { { subject = "\244\144\128\128" }, "subject", "valid UTF-8" },   -- past U+10FFFF
    { { subject = "ab\240\159\152" }, "subject", "valid UTF-8" },     -- cut sequence
    { { subject = "a\0b" }, "subject", "NUL" },
    { { subject = "Ops", description = string.rep("d", 2049) }, "description", "at most 2048" },
    { { subject = "Ops", description = string.rep(EMOJI, 2049) }, "description", "at most 2048" },
    { { subject = "Ops", description = false }, "description", "string expected, got boolean" },
    { { subject = "Ops", description = "\255" }, "description", "valid UTF-8" },
    { { subject = "Ops", join_approval_mode = "manual" }, "join_approval_mode",
      "auto_approve or approval_required" },
    { { subject = "Ops", join_approval_mode = true }, "join_approval_mode", "string expected" },
    { { subject = "Ops", messaging_product = "whatsapp" }, "messaging_product", "unknown name" },
    { { subject = "Ops", subjet = "typo" }, "subjet", "unknown name" },
  }
  for i, case in ipairs(bad) do
    it("refuses bad field #" .. i .. " (" .. case[2] .. ": " .. case[3] .. ")", function()
      local err = refused(case[1])
      assert.equal(case[2], err.field)
      assert.matches(case[3], err.reason, 1, true)
      assert.matches("bad field '" .. case[2] .. "'", tostring(err), 1, true)
    end)
  end

  it("refuses a non-table argument", function()
    local err = refused("Ops")
    assert.matches("table expected, got string", err.message, 1, true)
  end)

  it("accepts description at 2048 characters and both approval modes", function()
    local stored = created { subject = "Ops", description = string.rep(EMOJI, 2048),
                             join_approval_mode = "approval_required" }
    assert.equal(string.rep(EMOJI, 2048), stored.description)
    assert.equal("approval_required", stored.join_approval_mode)
    stored = created { subject = "Ops", join_approval_mode = "auto_approve" }
    assert.equal("auto_approve", stored.join_approval_mode)
  end)

  it("needs a phone number id, and says where to give it", function()
    local no_phone = require("whatsapp.groups").new { token = helpers.token,
                                                      base_url = helpers.base_url }
    helpers.reset()
    local err = helpers.catch(no_phone.create, no_phone, { subject = "Ops" })
    assert.equal("validation", err.kind)
    assert.equal("phone_number_id", err.field)
    assert.equal(0, helpers.request_count())
    no_phone:close()
  end)
end)
