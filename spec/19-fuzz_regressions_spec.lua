-- Regressions for what the fuzz targets (fuzz/) and the hostile specs found: one case per
-- bug, naming the file that was fixed.
local webhook = require "whatsapp.groups.webhook"
local helpers = require "helpers"

local GROUP = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"

local function refused(fn, ...)
  local err = helpers.catch(fn, ...)
  assert.equal("validation", err.kind, tostring(err))
  return err
end

describe("found by fuzzing", function()
  local client
  setup(function() client = helpers.client() end)
  teardown(function() client:close() end)
  before_each(helpers.reset)

  -- lwa_args.c compared names with strcmp, which stops at the NUL: "preview_url\0evil"
  -- passed for "preview_url", and message objects, copied whole into the body, took any
  -- such key with any value to Graph unchecked.
  it("refuses argument names that hold a NUL byte", function()
    local cases = {
      { client.send, GROUP, { type = "text", text = { body = "hi", ["preview_url\0evil"] = { x = 1 } } } },
      { client.send, GROUP, { type = "template", template = { name = "n", ["language\0"] = {}, language = { code = "en" } } } },
      { client.send, GROUP, { type = "text", text = { body = "hi" }, ["context\0"] = { message_id = "m" } } },
      { client.create, { subject = "Ops", ["description\0x"] = "d" } },
      { client.list_groups, { ["after\0"] = "x" } },
    }
    for i, case in ipairs(cases) do
      local err = refused(case[1], client, case[2], case[3])
      assert.matches("NUL", err.reason, 1, true, "case " .. i)
    end
    assert.equal("validation", helpers.catch(helpers.client, { ["proxy\0"] = "http://evil.test" }).kind)
    assert.equal(0, helpers.request_count())
  end)

  -- lwa_message.c: "text\0x" passed for "text" and went to Graph as the type.
  it("refuses a message type that holds a NUL byte", function()
    local err = refused(client.send, client, GROUP, { type = "text\0x", text = { body = "hi" } })
    assert.equal("type", err.field)
    assert.equal(0, helpers.request_count())
  end)

  -- lwa_response.c converted Graph's code to long unchecked: undefined behaviour (UBSan)
  -- for a code like 1e300. The error keeps the code as sent.
  it("settles a Graph error whose code does not fit an integer", function()
    for _, code in ipairs { "1e300", "-1e300", "9223372036854775808", "1.5" } do
      local answering = helpers.answering { 400, {}, '{"error":{"message":"m","code":' .. code .. '}}' }
      local err = helpers.catch(answering.create, answering, { subject = "Ops" })
      answering:close()
      assert.equal("api", err.kind)
      assert.equal("rejected", err.outcome)
      assert.equal(tonumber(code), err.code)
      assert.is_nil(err.hint)
    end
  end)

  -- lwa_json.c and webhook.lua: lua-cjson stops reading at a NUL byte, so a body such as
  -- '{"request_id":"x"}\0<html>' passed for JSON.
  it("refuses a body with a NUL byte as JSON", function()
    local answering = helpers.answering { 200, {}, '{"request_id":"x"}\0<html>' }
    assert.equal("protocol", helpers.catch(answering.create, answering, { subject = "Ops" }).kind)
    answering:close()
    local envelope = '{"object":"whatsapp_business_account","entry":[]}'
    assert.same({}, webhook.parse(envelope))
    assert.equal("protocol", helpers.catch(webhook.parse, envelope .. "\0garbage").kind)
  end)

  -- lwa_client.c: fopen() opens a directory, so a ca_file naming one passed the check and
  -- failed later as a network error.
  it("refuses a ca_file that is a directory, before any I/O", function()
    for _, dir in ipairs { ".", "/", "spec" } do
      assert.equal("ca_file", refused(helpers.client, { ca_file = dir }).field)
    end
  end)

  -- client.lua: each_group(42) indexed a number (a plain Lua error), and
  -- each_group{after = ...} silently started from the first page.
  it("refuses iterator arguments other than {limit = n}", function()
    assert.equal("args", refused(function() return client:each_group(42) end).field)
    assert.equal("args", refused(function() return client:each_join_request(GROUP, true) end).field)
    assert.equal("after", refused(function() return client:each_group { after = "QVFI" } end).field)
    assert.equal(0, helpers.request_count())
  end)
end)
