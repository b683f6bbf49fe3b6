-- groups.new{}: every option checked by name and type before anything is sent, and the
-- client's life cycle (close, __gc, __close, use after close).
local groups = require "whatsapp.groups"
local helpers = require "helpers"

local function options(extra)
  local o = { token = "abcdefghij", phone_number_id = "106540352242922" }
  for k, v in pairs(extra) do o[k] = v end
  return o
end

describe("groups.new", function()
  it("makes a client with only a token", function()
    local client = groups.new { token = "abcdefghij" }
    assert.matches("^whatsapp%.groups%.Client %(0x%x+%)$", tostring(client))
    client:close()
  end)

  it("accepts every documented option", function()
    local client = groups.new(options {
      version = "v23.0", base_url = "https://graph.example.test/prefix/",
      timeout = 2.5, connect_timeout = 1, user_agent = "my-bot/1.0",
      ca_file = helpers.ca_file, proxy = "http://127.0.0.1:3128",
      max_response_size = 65536,
    })
    client:close()
  end)

  -- { options, field, reason pattern }
  local bad = {
    { {}, "token", "string expected, got nil" },
    { { token = 42 }, "token", "string expected, got number" },
    { { token = "" }, "token", "10 to 4096" }, { { token = "short" }, "token", "10 to 4096" },
    { { token = "abcde fghij" }, "token", "only letters" },
    { { token = "abc\r\nX-Evil: 1" }, "token", "only letters" },
    { options { phone_number_id = 106540352242922 }, "phone_number_id", "string expected, got number" },
    { options { phone_number_id = "123/groups" }, "phone_number_id", "decimal digits" },
    { options { phone_number_id = "123?x=1" }, "phone_number_id", "decimal digits" },
    { options { phone_number_id = "" }, "phone_number_id", "decimal digits" },
    { options { version = "23.0" }, "version", "v24.0" },
    { options { version = "v23" }, "version", "v24.0" },
    { options { version = "v23.0/../x" }, "version", "v24.0" },
    { options { base_url = "ftp://example.com" }, "base_url", "https://" },
    { options { base_url = "https://" }, "base_url", "host" },
    { options { base_url = "https://user:pw@example.com" }, "base_url", "'@'" },
    { options { base_url = "https://example.com/?q=1" }, "base_url", "'?'" },
    { options { base_url = "https://exa mple.com" }, "base_url", "spaces" },
    { options { timeout = "5" }, "timeout", "number expected, got string" },
    { options { timeout = 0 }, "timeout", "from 0.001" },
    { options { timeout = 0 / 0 }, "timeout", "from 0.001" },
    { options { connect_timeout = -1 }, "connect_timeout", "from 0.001" },
    { options { user_agent = "bot\n" }, "user_agent", "printable ASCII" },
    { options { ca_file = "/nonexistent/ca.pem" }, "ca_file", "cannot be opened" },
    { options { proxy = {} }, "proxy", "string expected, got table" },
    { options { max_response_size = 10 }, "max_response_size", "from 1024" },
    { options { tokn = "abc" }, "tokn", "unknown name" },
  }
  for i, case in ipairs(bad) do
    it("refuses bad option #" .. i .. " (" .. case[2] .. ": " .. case[3] .. ")", function()
      local err = helpers.catch(groups.new, case[1])
      assert.equal("validation", err.kind)
      assert.equal(case[2], err.field)
      assert.matches(case[3], err.reason, 1, true)
      assert.equal("new", err.operation)
      assert.matches("^whatsapp%.groups: validation error: bad option '" .. case[2] .. "'", tostring(err))
    end)
  end

  it("refuses a non-table argument", function()
    local err = helpers.catch(groups.new, "token")
    assert.equal("validation", err.kind)
    assert.matches("table expected, got string", err.message, 1, true)
  end)

  it("refuses keys that are not names", function()
    local err = helpers.catch(groups.new, { "abc" })
    assert.matches("a number key", err.message, 1, true)
  end)

  it("never shows the token in its tostring", function()
    local secret = helpers.secret "SeCrEtToKeN123"
    local client = groups.new { token = secret }
    assert.not_matches(secret, tostring(client), 1, true)
    client:close()
  end)
end)

describe("a client's life cycle", function()
  it("closes idempotently and says so", function()
    local client = groups.new { token = "abcdefghij" }
    client:close()
    client:close()
    assert.equal("whatsapp.groups.Client (closed)", tostring(client))
  end)

  it("refuses operations once closed, without I/O", function()
    local client = helpers.client()
    client:close()
    helpers.reset()
    local err = helpers.catch(client.create, client, { subject = "x" })
    assert.equal("validation", err.kind)
    assert.matches("closed", err.message)
    assert.equal(0, helpers.request_count())
  end)

  it("is collected without being closed", function()
    for _ = 1, 50 do groups.new { token = "abcdefghij" } end
    collectgarbage()
    collectgarbage()
  end)

  if _VERSION == "Lua 5.4" then
    it("closes at the end of a <close> scope", function()
      local chunk = assert(load [[
        local groups = require "whatsapp.groups"
        local kept
        do
          local client <close> = groups.new { token = "abcdefghij" }
          kept = client
        end
        return tostring(kept)
      ]])
      assert.equal("whatsapp.groups.Client (closed)", chunk())
    end)
  end
end)
