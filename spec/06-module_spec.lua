-- Module-level operations configured from the environment, run in a fresh interpreter
-- the way a script would use them.
local helpers = require "helpers"

local function env(extra)
  local e = {
    WHATSAPP_TOKEN = helpers.token,
    WHATSAPP_PHONE_NUMBER_ID = helpers.phone_number_id,
    WHATSAPP_BASE_URL = helpers.base_url,
  }
  for k, v in pairs(extra or {}) do e[k] = v end
  return e
end

describe("groups.create at module level", function()
  before_each(helpers.reset)

  it("uses WHATSAPP_* settings", function()
    local status, out = helpers.run_lua([[
      local groups = require "whatsapp.groups"
      local r = groups.create { subject = "Ops team" }
      print(r.messaging_product, r.request_id)
    ]], env { WHATSAPP_API_VERSION = "v23.0" })
    assert.equal(0, status, out)
    assert.matches("^whatsapp\t%S+", out)
    local seen = helpers.requests().requests
    assert.equal(1, #seen)
    assert.equal("/v23.0/" .. helpers.phone_number_id .. "/groups", seen[1].path)
  end)

  it("raises a validation error naming WHATSAPP_TOKEN when it is unset", function()
    local status, out = helpers.run_lua([[
      local groups = require "whatsapp.groups"
      local ok, err = pcall(groups.create, { subject = "Ops" })
      print(ok, groups.is_error(err), err.kind, err.field, tostring(err))
    ]], env { WHATSAPP_TOKEN = "" })
    assert.equal(0, status, out)
    assert.matches("^false\ttrue\tvalidation\ttoken\t.*WHATSAPP_TOKEN", out)
    assert.equal(0, helpers.request_count())
  end)

  it("refuses a 129-character subject with no request reaching the server", function()
    local status, out = helpers.run_lua([[
      local g = require "whatsapp.groups"
      local ok, err = pcall(g.create, { subject = string.rep("\240\159\152\128", 129) })
      print(ok, err.kind, err.field)
    ]], env())
    assert.equal(0, status, out)
    assert.equal("false\tvalidation\tsubject\n", out)
    assert.equal(0, helpers.request_count())
  end)

  it("returns nil, err from the safe module", function()
    local status, out = helpers.run_lua([[
      local safe = require "whatsapp.groups.safe"
      local r, err = safe.create { subject = "" }
      print(r, err.kind, err.field)
      r = assert(safe.create { subject = "Ops" })
      print(r.messaging_product)
    ]], env())
    assert.equal(0, status, out)
    assert.equal("nil\tvalidation\tsubject\nwhatsapp\n", out)
  end)
end)

describe("groups.new", function()
  before_each(helpers.reset)

  it("takes the options not given from WHATSAPP_*", function()
    local status, out = helpers.run_lua([[
      local groups = require "whatsapp.groups"
      local client = groups.new{ timeout = 5 }
      print(client:create{ subject = "From the environment" }.request_id ~= nil)
    ]], env { WHATSAPP_API_VERSION = "v23.0" })
    assert.equal(0, status, out)
    assert.equal("true\n", out)
    local seen = helpers.requests().requests
    assert.equal("/v23.0/" .. helpers.phone_number_id .. "/groups", seen[1].path)
  end)

  it("prefers the options given to the environment's", function()
    local status, out = helpers.run_lua(string.format([[
      local groups = require "whatsapp.groups"
      local client = groups.new{ base_url = %q, version = "v22.0" }
      print(#client:list_groups().groups)
    ]], helpers.base_url), env { WHATSAPP_BASE_URL = helpers.closed_port_url, WHATSAPP_API_VERSION = "v23.0" })
    assert.equal(0, status, out)
    assert.equal("0\n", out)
    assert.equal("/v22.0/" .. helpers.phone_number_id .. "/groups", helpers.requests().requests[1].path)
  end)

  it("still needs a token from somewhere", function()
    local status, out = helpers.run_lua([[
      local groups = require "whatsapp.groups"
      local ok, err = pcall(groups.new, {})
      print(ok, err.kind, err.field)
    ]], env { WHATSAPP_TOKEN = "" })
    assert.equal(0, status, out)
    assert.equal("false\tvalidation\ttoken\n", out)
  end)
end)
