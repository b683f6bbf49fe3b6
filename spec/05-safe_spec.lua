-- whatsapp.groups.safe: the same operations, returning nil, err instead of raising.
local safe = require "whatsapp.groups.safe"
local helpers = require "helpers"

describe("whatsapp.groups.safe", function()
  before_each(helpers.reset)

  local function client(extra)
    local options = { token = helpers.token, phone_number_id = helpers.phone_number_id,
                      base_url = helpers.base_url, retries = 0 }
    for k, v in pairs(extra or {}) do options[k] = v end
    return assert(safe.new(options))
  end

  it("returns the result on success", function()
    local c = client()
    local r, err = c:create { subject = "Ops" }
    c:close()
    assert.is_nil(err)
    assert.is_string(r.request_id)
  end)

  it("returns nil and the error object for bad options", function()
    local c, err = safe.new { token = "abcdefghij", timeout = "soon" }
    assert.is_nil(c)
    assert.is_true(safe.is_error(err))
    assert.equal("timeout", err.field)
  end)

  it("returns nil and the error object for bad fields, sending nothing", function()
    local c = client()
    local r, err = c:create { subject = string.rep("x", 129) }
    c:close()
    assert.is_nil(r)
    assert.equal("validation", err.kind)
    assert.equal("subject", err.field)
    assert.equal(0, helpers.request_count())
  end)

  it("returns nil and the error object for API and network failures", function()
    local c = client { token = "not-the-token" }
    local r, err = c:create { subject = "Ops" }
    c:close()
    assert.is_nil(r)
    assert.equal("api", err.kind)
    assert.equal(190, err.code)
    c = client { base_url = helpers.closed_port_url }
    r, err = c:create { subject = "Ops" }
    c:close()
    assert.is_nil(r)
    assert.equal("network", err.kind)
  end)

  it("still raises for misuse that is not an operation failure", function()
    local c = client()
    assert.has_error(function() c.create({ subject = "Ops" }) end)
    c:close()
  end)

  it("offers the module-level operations", function()
    assert.is_function(safe.create)
    assert.same(require("whatsapp.groups").METHODS, safe.METHODS)
  end)
end)
