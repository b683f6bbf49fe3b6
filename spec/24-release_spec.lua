-- One release everywhere (VERSION is its source): the Lua files, core.so, the rockspec and
-- the User-Agent Graph sees; and a core.so beside Lua files of another release refuses to
-- load, saying both.
local core = require "whatsapp.groups.core"
local groups = require "whatsapp.groups"
local helpers = require "helpers"

local root = helpers.spec_dir .. "/.."
local release = helpers.read(root .. "/VERSION"):match "^(%d+%.%d+%.%d+)\n$"

describe("the release", function()
  before_each(helpers.reset)

  it("is VERSION's in the Lua files, core.so, the rockspec and the User-Agent", function()
    assert.is_string(release)
    assert.equal(release, groups._VERSION)
    assert.equal(release, core.VERSION)
    local rockspec = helpers.read(root .. "/lua-whatsapp-groups-" .. release .. "-1.rockspec")
    assert.matches('\nversion = "' .. release:gsub("%.", "%%.") .. '%-1"\n', rockspec)
    local client = helpers.client()
    client:list_groups()
    client:close()
    assert.equal("lua-whatsapp-groups/" .. release, helpers.requests().requests[1].user_agent)
  end)

  it("refuses a core.so beside Lua files of another release", function()
    local status, out = helpers.run_lua [[
      package.preload["whatsapp.groups.version"] = function() return "0.0.1" end
      require "whatsapp.groups"
    ]]
    assert.not_equal(0, status)
    assert.matches("whatsapp.groups.core is release " .. release:gsub("%.", "%%.")
      .. " but the Lua files %(whatsapp.groups.version%) are release 0%.0%.1", out)
  end)
end)
