-- The README documents every client method and every event type webhook.parse returns
-- for the sample payloads: a method or event added without its documentation fails here.
local groups = require "whatsapp.groups"
local webhook = require "whatsapp.groups.webhook"
local helpers = require "helpers"

local readme = helpers.read(helpers.spec_dir .. "/../README.md")

-- Named in code style as a call (`name(`, `name{`) or on its own (`name`), also second
-- in a list (`a(...)`, `name(`).
local function documented(name)
  for _, after in ipairs { "(", "{", "`" } do
    if readme:find("`" .. name .. after, 1, true) or readme:find(", " .. name .. after, 1, true) then
      return true
    end
  end
  return false
end

describe("the README", function()
  it("documents every client method", function()
    for _, name in ipairs(groups.METHODS) do
      assert(documented(name), name .. " is not in the README")
    end
  end)

  it("documents the tracker's methods, the stores and the pacer", function()
    local function has(text) return readme:find(text, 1, true) ~= nil end
    for name, fn in pairs(require "whatsapp.groups.tracker") do
      if type(fn) == "function" and name ~= "new" and not name:match "^__" then
        assert(has("`tracker:" .. name .. "("), "tracker:" .. name .. " is not in the README")
      end
    end
    for name, fn in pairs(require "whatsapp.groups.store") do
      if type(fn) == "function" and name ~= "default_clock" then
        assert(has("store." .. name .. "(") or has("store." .. name .. "{"), "store." .. name .. " is not in the README")
      end
    end
    assert(has("`pacer:held(") and has("pacer.new{"), "the pacer is not in the README")
  end)

  it("documents every event type parse returns for the sample payloads", function()
    local listing = assert(io.popen("ls " .. helpers.spec_dir .. "/fixtures/webhooks/"))
    local files = 0
    for name in listing:lines() do
      files = files + 1
      for _, event in ipairs(webhook.parse(helpers.fixture(name))) do
        assert(documented(event.type), event.type .. " (" .. name .. ") is not in the README")
      end
    end
    listing:close()
    assert.is_true(files > 10)
  end)

  it("links the fake server's documentation, which covers its whole control API", function()
    assert(readme:find("(spec/fake_graph/README.md)", 1, true), "the README does not link it")
    local doc = helpers.read(helpers.spec_dir .. "/fake_graph/README.md")
    local lua = helpers.spec_dir .. "/fake_graph/lua/fake_graph/"
    local routes = 0
    for method, name in helpers.read(lua .. "control.lua"):gmatch 'ROUTES%["(%u+) /__control/([%w_]+)"%]' do
      routes = routes + 1
      assert(doc:find("`" .. method .. " " .. name .. "`", 1, true), method .. " " .. name .. " is not documented")
    end
    assert.is_true(routes >= 10)
    local fields = helpers.read(lua .. "faults.lua"):match "local FAULT_FIELDS = (%b{})"
    for name in fields:gmatch "([%w_]+) = \"" do
      assert(doc:find("`" .. name .. "`", 1, true), "the fault field " .. name .. " is not documented")
    end
  end)
end)
