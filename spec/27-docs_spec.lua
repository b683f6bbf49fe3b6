-- `make docs` renders the API reference without an LDoc warning, and it holds every
-- public function and method (read from the live objects, not from a list), every option
-- of groups.new, every field of the error object and every event type parse returns.
local groups = require "whatsapp.groups"
local helpers = require "helpers"
local resty = require "whatsapp.groups.resty"
local safe = require "whatsapp.groups.safe"
local webhook = require "whatsapp.groups.webhook"

local root = helpers.spec_dir .. "/.."
local readme = helpers.read(root .. "/README.md")

-- The names of the functions of t (a table, or what an object's metatable indexes), but
-- metamethods and those of except.
local function functions(t, except)
  local names = {}
  for name, value in pairs(t) do
    if type(value) == "function" and not name:find "^__" and not (except and except[name]) then
      names[#names + 1] = name
    end
  end
  table.sort(names)
  return names
end

local function methods(object, except)
  return functions(getmetatable(object).__index, except)
end

-- The anchors LDoc gave the items of a page.
local function items(page)
  local found = {}
  for name in page:gmatch '<a name = "([^"]+)"' do found[name] = true end
  return found
end

local function assert_documented(page, prefix, names)
  local found = items(page)
  assert.is_true(#names > 0)
  for _, name in ipairs(names) do
    assert(found[prefix .. name], prefix .. name .. " is not in the reference")
  end
end

-- The first column of the README's table that follows `heading`.
local function readme_column(heading)
  local section = readme:match(heading .. "\n(.-)\n\n[^|]")
  local names = {}
  for cell in ("\n" .. section):gmatch "\n| `([%w_]+)`" do names[#names + 1] = cell end
  return names
end

describe("make docs", function()
  local dir, pages, out = os.tmpname() .. ".d", {}, nil

  setup(function()
    local pipe = assert(io.popen("make -s -C '" .. root .. "' docs DOCS='" .. dir .. "' 2>&1; echo \"exit=$?\""))
    out = pipe:read "*a"
    pipe:close()
    for _, page in ipairs { "modules/whatsapp.groups", "modules/whatsapp.groups.safe",
                            "modules/whatsapp.groups.webhook", "modules/whatsapp.groups.resty",
                            "classes/whatsapp.groups.Client", "classes/whatsapp.groups.Async",
                            "classes/whatsapp.groups.Error", "classes/whatsapp.groups.Tracker",
                            "classes/whatsapp.groups.Pacer", "modules/whatsapp.groups.store" } do
      local f = io.open(dir .. "/" .. page .. ".html")
      pages[page:match "[^/]+$"] = f and f:read "*a" or ""
      if f then f:close() end
    end
  end)

  teardown(function() os.execute("rm -rf '" .. dir .. "'") end)

  it("renders without an LDoc warning", function()
    assert.matches("no LDoc warnings\nexit=0", out)
  end)

  it("documents every method of a client and of a pump", function()
    local client = groups.new { token = "test-token" }
    local pump = client:async {}
    assert_documented(pages["whatsapp.groups.Client"], "whatsapp.groups.Client:", methods(client))
    -- submit is the pump's internal door for its operation methods.
    assert_documented(pages["whatsapp.groups.Async"], "whatsapp.groups.Async:", methods(pump, { submit = true }))
    pump:close()
    client:close()
  end)

  it("documents every function of the modules, the tracker's methods included", function()
    local module_level = {}
    for _, name in ipairs(groups.METHODS) do module_level[name] = true end
    assert_documented(pages["whatsapp.groups"], "", functions(groups, module_level))
    assert_documented(pages["whatsapp.groups.safe"], "", functions(safe, module_level))
    assert_documented(pages["whatsapp.groups.webhook"], "", functions(webhook))
    assert_documented(pages["whatsapp.groups.Tracker"], "whatsapp.groups.Tracker:",
      methods(webhook.tracker(), { new = true }))
    local store = require "whatsapp.groups.store"
    assert_documented(pages["whatsapp.groups.store"], "", functions(store))
    local pacer = require("whatsapp.groups.pacer").new { store = store.memory() }
    assert_documented(pages["whatsapp.groups.Pacer"], "whatsapp.groups.Pacer:", methods(pacer, { new = true }))
    assert_documented(pages["whatsapp.groups.resty"], "", functions(resty))
  end)

  it("names every option of groups.new and every field of the error object", function()
    local options = readme_column "| option | default | meaning |\n|%-%-%-|%-%-%-|%-%-%-|"
    assert.is_true(#options >= 15)
    local new = pages["whatsapp.groups"]:match 'name = "new".-</dd>'
    for _, option in ipairs(options) do
      assert(new:find("<code>" .. option .. "</code>", 1, true), "groups.new does not name " .. option)
    end
    local err = pages["whatsapp.groups.Error"]
    for _, field in ipairs { "kind", "message", "operation", "attempts", "outcome", "retryable", "field",
                             "reason", "http_status", "code", "fbtrace_id", "retry_after", "hint",
                             "usage", "curl_code" } do
      assert(err:find('<span class="parameter">' .. field .. "</span>", 1, true), "Error lacks " .. field)
    end
  end)

  it("names every event type parse returns for the sample payloads", function()
    local page = pages["whatsapp.groups.webhook"]
    local listing = assert(io.popen("ls " .. helpers.spec_dir .. "/fixtures/webhooks/"))
    for name in listing:lines() do
      for _, event in ipairs(webhook.parse(helpers.fixture(name))) do
        assert(page:find("<code>" .. event.type .. "</code>", 1, true), event.type .. " is not in the reference")
      end
    end
    listing:close()
  end)
end)
