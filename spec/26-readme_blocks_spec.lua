-- Every Lua block of the README runs as it is, with only WHATSAPP_* set, against the fake
-- Graph server, unless its first line says it is a fragment of a larger program.
local helpers = require "helpers"

local readme = helpers.read(helpers.spec_dir .. "/../README.md")
local FRAGMENT = "^%-%- A fragment of "

local blocks = {}
for code in readme:gmatch "\n```lua\n(.-\n)```\n" do blocks[#blocks + 1] = code end

local ENV = {
  WHATSAPP_TOKEN = helpers.token,
  WHATSAPP_PHONE_NUMBER_ID = helpers.phone_number_id,
  WHATSAPP_BASE_URL = helpers.base_url,
}

-- Whether require would find a Lua module (package.searchpath is not in Lua 5.1). Copas is
-- looked for, not loaded: Copas 1.1.7 refuses to load after socket.http, which the specs use.
local function findable(name)
  for template in package.path:gmatch "[^;]+" do
    local f = io.open((template:gsub("%?", (name:gsub("%.", "/")))), "r")
    if f then
      f:close()
      return true
    end
  end
  return false
end

-- A module a block needs beyond this library and LuaSocket that this Lua lacks: Debian 12
-- packages Copas for Lua 5.1 and 5.2 (so LuaJIT) only.
local function missing_module(code)
  if code:find('require "copas"', 1, true) and not findable "copas" then return "copas" end
end

describe("the README's Lua blocks", function()
  before_each(helpers.reset)

  it("are runnable, but for a few marked as fragments", function()
    local runnable, fragments = 0, 0
    for _, code in ipairs(blocks) do
      if code:find(FRAGMENT) then fragments = fragments + 1 else runnable = runnable + 1 end
    end
    assert.is_true(runnable >= 7, runnable .. " runnable blocks")
    assert.is_true(fragments <= 6, fragments .. " fragments")
  end)

  for i, code in ipairs(blocks) do
    if not code:find(FRAGMENT) then
      local first = code:match "^[^\n]*"
      it("#" .. i .. " runs and talks to Graph: " .. first, function()
        local absent = missing_module(code)
        if absent then return pending(absent .. " is not installed for this Lua") end
        local status, out = helpers.run_lua(code, ENV)
        assert.equal(0, status, out)
        assert.is_true(#out > 0, "it printed nothing")
        assert.is_true(helpers.request_count() > 0, "no request reached the fake server")
      end)
    end
  end
end)
