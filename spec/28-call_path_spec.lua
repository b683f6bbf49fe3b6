-- One call path: every method takes its call options in the same place and keeps them on
-- every carrier (libcurl, the pump, a transport function); on_attempt sees the same
-- attempts everywhere; a pump never goes around a client's carrier.
local groups = require "whatsapp.groups"
local helpers = require "helpers"
local script = require "attempt_script"
local unpack = table.unpack or unpack -- luacheck: ignore 143

local THROTTLED = { status = 429, headers = { ["Retry-After"] = "0" },
                    graph_error = { code = 131208, message = "Too many requests" } }
local FAST = { base = 0.01, cap = 0.02, jitter = 0 }
local NO_RETRY = { retries = 0 }

-- Each method's arguments (before its call options), for a group id and a message id.
local function arguments(id, message_id)
  return {
    create = { { subject = "Ops" } },
    list_groups = { { limit = 2 } },
    get_group = { id, { fields = { "subject" } } },
    update_group = { id, { subject = "Renamed" } },
    delete_group = { id },
    invite_link = { id },
    reset_invite_link = { id },
    delete_invite_link = { id },
    remove_participants = { id, { "+16505551234" } },
    join_requests = { id, { limit = 2 } },
    approve_join_requests = { id, { "Tm9TdWNoUmVxdWVzdA" } },
    reject_join_requests = { id, { "Tm9TdWNoUmVxdWVzdA" } },
    send = { id, { type = "text", text = { body = "hi" } } },
    send_text = { id, "hi", { preview_url = false } },
    pin = { id, message_id, 7 },
    unpin = { id, message_id },
    each_group = { { limit = 2 } },
    each_join_request = { id, { limit = 2 } },
    upload_media = { helpers.jpeg(200, 200, 4000), { type = "image/jpeg" } },
  }
end

local function drain(iterator)
  for _ in iterator do end
end

-- Makes the call with its call options on one carrier; returns the error it came to.
local carriers = {
  blocking = function(client, method, args, options)
    local n = #args
    args[n + 1] = options
    if method:match "^each_" then
      return helpers.catch(function() drain(client[method](client, unpack(args, 1, n + 1))) end)
    end
    return helpers.catch(client[method], client, unpack(args, 1, n + 1))
  end,
  pump = function(client, method, args, options)
    if method:match "^each_" then return nil end -- iterators are the blocking client's
    local a, got = client:async {}, nil
    local n = #args
    args[n + 1] = options
    args[n + 2] = function(r, err) got = { r, err } end
    assert.is_true(a[method](a, unpack(args, 1, n + 2)))
    assert.is_nil(a:wait())
    a:close()
    assert.is_nil(got[1], "the call should have failed")
    return got[2]
  end,
}
carriers.transport = carriers.blocking -- the client is made with a transport function

describe("call options", function()
  for _, carrier in ipairs { "blocking", "pump", "transport" } do
    it("are kept by every method on the " .. carrier .. " carrier: one request against throttling", function()
      helpers.reset()
      local setup = helpers.client()
      local id = helpers.create_group(setup)
      helpers.join(id, "16505551234")
      local message_id = setup:send_text(id, "to pin").message_id
      setup:close()
      local client = helpers.client { retries = 3, backoff = FAST,
        transport = carrier == "transport" and helpers.carry or nil }
      local cases, seen = arguments(id, message_id), 0
      for _, method in ipairs(groups.METHODS) do
        local args = assert(cases[method], "no case for " .. method)
        local before = helpers.request_count()
        helpers.fault { count = 4, fault = THROTTLED }
        local err = carriers[carrier](client, method, args, NO_RETRY)
        helpers.reset_faults()
        if err ~= nil then
          seen = seen + 1
          assert.equal(131208, err.code, method)
          assert.equal(1, err.attempts, method)
          assert.equal(1, helpers.request_count() - before, method .. " was sent more than once")
        end
      end
      client:close()
      assert.is_true(seen >= 17, seen .. " methods")
    end)
  end

  it("come right after the id for methods that take only an id", function()
    local client = helpers.client { retries = 3, backoff = FAST }
    local err = helpers.catch(client.delete_group, client, "120363000000000000", { retries = "x" })
    assert.equal("retries", err.field)
    err = helpers.catch(client.invite_link, client, "120363000000000000", { colour = 1 })
    assert.equal("colour", err.field)
    client:close()
  end)
end)

describe("on_attempt", function()
  -- The infos the script gives on one carrier.
  local function infos_of(make_invoke, options)
    helpers.reset()
    for _, f in ipairs(script.faults) do helpers.fault(f) end
    local infos = {}
    local opts = script.options(function(info) infos[#infos + 1] = script.plain(info) end)
    for k, v in pairs(options or {}) do opts[k] = v end
    local client = helpers.client(opts)
    script.run(make_invoke(client))
    client:close()
    return infos
  end

  local function blocking(client)
    return function(method, ...) return client[method](client, ...) end
  end

  local function pump(client)
    local a = client:async {}
    return function(method, ...)
      local got
      local args, n = { ... }, select("#", ...)
      args[n + 1] = function(r, err) got = { r, err } end
      a[method](a, unpack(args, 1, n + 1))
      assert.is_nil(a:wait())
      if got[1] == nil then error(got[2], 0) end
      return got[1]
    end
  end

  it("sees the same attempts on libcurl, the pump and a transport function", function()
    local expected = infos_of(blocking)
    assert.equal(6, #expected)
    assert.same({ "create", "list_groups", "get_group", "get_group", "delete_group", "delete_group" },
      { expected[1].operation, expected[2].operation, expected[3].operation, expected[4].operation,
        expected[5].operation, expected[6].operation })
    assert.same({ 503, "rejected", 1 }, { expected[3].status, expected[3].outcome, expected[3].attempt })
    assert.same({ 200, "done", 2 }, { expected[4].status, expected[4].outcome, expected[4].attempt })
    assert.same({ 400, "rejected", "api", 100 }, { expected[5].status, expected[5].outcome,
      expected[5].error.kind, expected[5].error.code })
    assert.equal("v24.0", expected[1].api_version)
    assert.equal("string", expected[1].fbtrace_id)
    assert.equal("/v24.0/ID/groups", expected[1].path)
    assert.same(expected, infos_of(pump))
    assert.same(expected, infos_of(blocking, { transport = helpers.carry }))
  end)

  it("that raises does not break the call, and is reported", function()
    local client = helpers.client { on_attempt = function() error("hook " .. helpers.token) end }
    local result = client:create { subject = "Ops" }
    assert.is_string(result.request_id)
    assert.equal(1, result.attempts)
    assert.equal(1, #result.hook_errors)
    assert.matches("hook", result.hook_errors[1])
    local a = client:async {}
    local got
    a:create({ subject = "Ops" }, function(r) got = r end)
    local errors = a:wait()
    assert.is_string(got.request_id)
    assert.equal(1, #errors)
    a:close()
    client:close()
  end)

  it("has no token in anything it is given", function()
    local seen = {}
    local client = helpers.client { on_attempt = function(info) seen[#seen + 1] = info end }
    helpers.fault { fault = { status = 400, graph_error = { code = 100, message = "bad " .. helpers.token } } }
    helpers.catch(client.create, client, { subject = "Ops" })
    client:close()
    assert.equal(1, #seen)
    assert.equal("bad [REDACTED]", seen[1].error.message)
    for _, v in pairs(seen[1]) do
      if type(v) == "string" then assert.is_nil(v:find(helpers.token, 1, true)) end
    end
  end)
end)

describe("a pump", function()
  it("refuses a client whose carrier is a transport function, and sends nothing", function()
    helpers.reset()
    local called = 0
    local client = helpers.client { transport = function(request)
      called = called + 1
      return helpers.carry(request)
    end }
    local err = helpers.catch(client.async, client, {})
    assert.equal("validation", err.kind)
    assert.equal("client", err.field)
    assert.matches("transport function", err.message)
    client:close()
    assert.equal(0, called)
    assert.equal(0, helpers.request_count())
  end)
end)

describe("layers", function()
  it("the core loads without the Lua facade", function()
    local status, out = helpers.run_lua([[
      require "whatsapp.groups.core"
      for name in pairs(package.loaded) do
        if name:match "^whatsapp%.groups%." and name ~= "whatsapp.groups.core" then print(name) end
      end
      print "done"
    ]], { LUA_PATH = os.getenv "LUA_PATH", LUA_CPATH = os.getenv "LUA_CPATH" })
    assert.equal(0, status, out)
    assert.equal("done\n", out)
  end)

  it("numbers Graph means as integers come back as integers", function()
    helpers.reset()
    local client = helpers.client()
    local id = helpers.create_group(client)
    local group = client:get_group(id)
    client:close()
    if math.type then
      assert.equal("integer", math.type(group.creation_timestamp))
      assert.equal("integer", math.type(group.total_participant_count))
    end
    assert.equal(math.floor(group.creation_timestamp), group.creation_timestamp)
  end)
end)
