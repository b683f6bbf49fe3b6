-- A transport function given to groups.new (what OpenResty users build on lua-resty-http,
-- here LuaSocket): every call goes through it, with the results and errors the libcurl
-- transport gives. Plain Lua, so it runs on every runtime.
local core = require "whatsapp.groups.core"
local groups = require "whatsapp.groups"
local safe = require "whatsapp.groups.safe"
local helpers = require "helpers"

local unpack = table.unpack or unpack

-- Carries a request as prepared; counts what it carried. LuaSocket fails here only
-- before sending (a refused connection).
local carried = {}
local function carry(request)
  carried[#carried + 1] = request
  local status, headers, body = helpers.carry(request)
  if status == nil then return nil, headers, "not_sent" end
  return status, headers, body
end

local function options(transport, extra)
  local t = { token = helpers.token, phone_number_id = helpers.phone_number_id,
              base_url = helpers.base_url, retries = 0, transport = transport }
  for k, v in pairs(extra or {}) do t[k] = v end
  return t
end

describe("a transport function", function()
  local client
  before_each(function()
    helpers.reset()
    carried = {}
    client = groups.new(options(carry))
  end)
  after_each(function() client:close() end)

  it("carries every call, and its results are the usual ones", function()
    local id = helpers.create_group(client, { subject = "Carried" })
    assert.equal("Carried", client:get_group(id).subject)
    local names = {}
    for group in client:each_group { limit = 1 } do names[#names + 1] = group.subject end
    assert.same({ "Carried" }, names)
    assert.is_true(client:delete_group(id).success)
    assert.equal(#carried, helpers.request_count())
    assert.equal("Bearer " .. helpers.token, carried[1].headers.Authorization)
  end)

  it("gives Graph's errors as the blocking client does", function()
    helpers.fault { match = { path = "/groups$" }, fault = { status = 429, headers = { ["Retry-After"] = "3" },
                                                              graph_error = { code = 131208 } } }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.equal("api", err.kind)
    assert.equal(131208, err.code)
    assert.equal(3, err.retry_after)
  end)

  it("checks arguments before calling the transport", function()
    local err = helpers.catch(client.create, client, { subject = "" })
    assert.equal("subject", err.field)
    assert.equal(0, #carried)
  end)

  it("reports the carrier's failures by what it knows of them", function()
    local cases = {
      { { nil, "connection refused", "not_sent" }, "network", "not_sent" },
      { { nil, "too slow", "timeout" }, "timeout", "unknown" },
      { { nil, "reset by peer" }, "network", "unknown" },
    }
    for _, case in ipairs(cases) do
      local c = groups.new(options(function() return unpack(case[1], 1, 3) end))
      local err = helpers.catch(c.create, c, { subject = "Ops" })
      assert.equal(case[2], err.kind)
      assert.equal(case[3], err.outcome)
      assert.equal(case[1][2], err.message)
    end
  end)

  it("may refuse with one of this library's errors, passed on as is", function()
    local made = core.validation_error("invite_link", "phase", nil, "not here")
    local c = groups.new(options(function() return nil, made end))
    assert.equal(made, helpers.catch(c.invite_link, c, "Z3JvdXA"))
  end)

  it("returns nil, err from safe clients", function()
    local c = assert(safe.new(options(function() return nil, "down", "not_sent" end)))
    local result, err = c:create { subject = "Ops" }
    assert.is_nil(result)
    assert.equal("network", err.kind)
    result, err = c:create { subject = "" }
    assert.is_nil(result)
    assert.equal("subject", err.field)
  end)
end)

describe("the transport option", function()
  it("is a function, \"blocking\" or \"nginx\"", function()
    local err = helpers.catch(groups.new, options(42))
    assert.equal("transport", err.field)
    local _, safe_err = safe.new(options("curl"))
    assert.equal("transport", safe_err.field)
    err = helpers.catch(groups.new, options(nil, { nginx_location = "graph" }))
    assert.equal("nginx_location", err.field)
  end)

  it("\"blocking\" is libcurl, as when none is given outside nginx", function()
    local c = groups.new(options "blocking")
    assert.is_string(c:create({ subject = "Ops" }).request_id)
    c:close()
  end)

  it("\"nginx\" refuses to run outside nginx", function()
    local c = groups.new(options "nginx")
    local err = helpers.catch(c.create, c, { subject = "Ops" })
    assert.equal("validation", err.kind)
    assert.matches("only inside nginx", err.message)
  end)

  it("leaves the arguments after a list to the method (call options)", function()
    local c = helpers.client()
    local err = helpers.catch(c.remove_participants, c, "Z3JvdXA", { "+16505551234" }, { bogus = 1 })
    assert.equal("bogus", err.field)
    c:close()
  end)
end)
