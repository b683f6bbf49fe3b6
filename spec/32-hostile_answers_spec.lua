-- Hostile answers and re-entrant user code (issue 10): hooks, transports and metamethods
-- that close the client or the pump mid-call, values that come from metamethods, the token
-- in Meta's usage headers, answers of the wrong shape, zero-padded Retry-After, Meta's
-- empty acknowledgements, short tokens, is_transient that is not a boolean, endless empty
-- pages. Each ends in a result or a library error object, never a crash or a raw error.
local groups = require "whatsapp.groups"
local safe = require "whatsapp.groups.safe"
local cjson = require "cjson"
local helpers = require "helpers"

local FAST = { base = 0.01, cap = 0.02, jitter = 0 }
local unpack = table.unpack or unpack -- luacheck: ignore 143
local CREATE = { method = "POST", path = "/groups$" }

local function fault(match, f, count)
  helpers.fault { match = match, count = count or 1, fault = f }
end

describe("user code that closes the client mid-call", function()
  before_each(helpers.reset)

  it("an on_retry hook, on libcurl: the call ends with a library error", function()
    local client
    client = helpers.client { retries = 3, backoff = FAST, on_retry = function() client:close() end }
    fault(CREATE, { status = 503 }, 3)
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.equal("network", err.kind)
    assert.matches("client was closed", err.message)
    assert.equal(1, err.attempts)
    assert.equal(1, helpers.request_count())
    assert.equal("validation", helpers.catch(client.create, client, { subject = "Ops" }).kind)
  end)

  it("an on_retry hook, on a transport function", function()
    local client
    client = helpers.client { retries = 3, backoff = FAST, transport = helpers.carry,
                              on_retry = function() client:close() end }
    fault(CREATE, { status = 503 }, 3)
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.matches("client was closed", err.message)
    assert.equal(1, helpers.request_count())
  end)

  it("an on_attempt hook, after an answer: the result stands", function()
    local client
    client = helpers.client { on_attempt = function() client:close() end }
    assert.is_string(client:create({ subject = "Ops" }).request_id)
    assert.equal("validation", helpers.catch(client.list_groups, client).kind)
  end)

  it("a transport that closes its client and echoes the token: still redacted", function()
    local client
    client = helpers.client { transport = function()
      client:close()
      return 400, {}, cjson.encode { error = { code = 100, message = "bad " .. helpers.token } }
    end }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    assert.equal("bad [REDACTED]", err.message)
  end)

  it("an on_retry hook that closes the pump: the callback runs once, with the closed error", function()
    local a
    local client = helpers.client { retries = 3, backoff = FAST, on_retry = function() a:close() end }
    a = client:async {}
    fault(CREATE, { status = 503 }, 3)
    local calls, got = 0, nil
    a:create({ subject = "Ops" }, function(r, err) calls = calls + 1; got = r or err end)
    for _ = 1, 50 do
      if calls > 0 and a:in_flight() == 0 then break end
      pcall(a.poll, a, 20)
    end
    assert.equal(1, calls)
    assert.matches("pump was closed", got.message)
    assert.equal(1, helpers.request_count())
    client:close()
  end)

  it("a message whose metamethods close the client: they are never run", function()
    local client = helpers.client()
    local id = helpers.create_group(client)
    helpers.join(id, "16505551234")
    local ran = false
    local message = setmetatable({ type = "text", text = { body = "hi" } }, {
      __index = function() ran = true; client:close() end })
    assert.is_string(client:send(id, message).message_id)
    assert.is_false(ran)
    client:close()
  end)
end)

describe("values from metamethods", function()
  it("are never sent: what is sent is what was checked, read raw", function()
    local hostile = { context = { message_id = "wamid.A\r\nX-Evil: 1" }, extra = string.rep("x", 1e6) }
    local message = setmetatable({ type = "text", text = { body = "hi" } },
                                 { __index = function(_, k) return hostile[k] end })
    local request = helpers.request_of("send", "120363000000000000", message)
    local body = cjson.decode(request.body)
    assert.is_nil(body.context)
    assert.is_nil(body.extra)
    assert.is_true(#request.body < 1000)
    assert.equal("hi", body.text.body)
  end)
end)

describe("the token in Meta's usage headers", function()
  before_each(helpers.reset)

  it("is redacted in errors, results and on_attempt's usage", function()
    local usage = cjson.encode { ["106540352242922"] = { { type = helpers.token, call_count = 5 } } }
    local seen = {}
    local client = helpers.client { on_attempt = function(info) seen[#seen + 1] = info.usage end }
    fault(CREATE, { status = 400, graph_error = { code = 100 }, headers = { ["X-Business-Use-Case-Usage"] = usage } })
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    fault(CREATE, { headers = { ["X-App-Usage"] = cjson.encode { note = helpers.token } } })
    local result = client:create { subject = "Ops" }
    client:close()
    assert.equal("[REDACTED]", err.usage.business_use_case["106540352242922"][1].type)
    assert.equal("[REDACTED]", result.usage.app.note)
    assert.equal("[REDACTED]", seen[1].business_use_case["106540352242922"][1].type)
    assert.equal("[REDACTED]", seen[2].app.note)
  end)
end)

describe("answers of the wrong shape", function()
  before_each(helpers.reset)

  local cases = {
    { "list_groups", { { limit = 1 } }, '{"data":5}' },
    { "list_groups", { { limit = 1 } }, '{"paging":7}' },
    { "join_requests", { "120363000000000000" }, '{"data":"x"}' },
    { "send", { "120363000000000000", { type = "text", text = { body = "hi" } } }, '{"messages":[5]}' },
    { "create", { { subject = "Ops" } }, "[1,2]" },
  }

  for _, case in ipairs(cases) do
    local method, args, body = case[1], case[2], case[3]
    it(method .. " answered 200 " .. body .. ": a protocol error on every carrier", function()
      local answer = { 200, {}, body }
      local blocking = helpers.answering(answer)
      local err = helpers.catch(blocking[method], blocking, unpack(args))
      assert.equal("protocol", err.kind)
      assert.equal("unknown", err.outcome)
      blocking:close()
      local s = assert(safe.new { token = helpers.token, phone_number_id = helpers.phone_number_id,
        transport = function() return 200, {}, body end })
      local r, serr = s[method](s, unpack(args))
      assert.is_nil(r)
      assert.equal("protocol", serr.kind)
      s:close()
      -- The pump, through the fake server (a pump carries only libcurl).
      helpers.fault { count = 1, fault = { status = 200, body = body } }
      local client = helpers.client()
      local a = client:async {}
      local got
      local pargs = { unpack(args) }
      pargs[#pargs + 1] = function(res, e) got = { res, e } end
      a[method](a, unpack(pargs))
      assert.is_nil(a:wait())
      assert.is_nil(got[1])
      assert.equal("protocol", got[2].kind)
      a:close()
      client:close()
    end)
  end
end)

describe("numbers in headers", function()
  before_each(helpers.reset)

  it("a zero-padded Retry-After is read for what it says", function()
    local client = helpers.client { retries = 3, backoff = { base = 0.01, max_wait = 1, jitter = 0 } }
    fault(CREATE, { status = 429, graph_error = { code = 131208 },
                    headers = { ["Retry-After"] = string.rep("0", 40) .. "2" } }, 4)
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    client:close()
    assert.equal(2, err.retry_after)
    assert.equal(1, helpers.request_count()) -- 2 s is past max_wait: not sent again
  end)
end)

describe("an interim (1xx) answer", function()
  it("lends its headers to nothing: the final answer's are what counts", function()
    local port = 8000 + math.random(500, 999)
    local lua = os.getenv "LUA" or "lua5.4"
    local server = assert(io.popen(lua .. " " .. helpers.spec_dir .. "/interim_server.lua " .. port))
    assert.equal("ready", server:read "*l")
    local client = helpers.client { base_url = "http://127.0.0.1:" .. port, retries = 0 }
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    client:close()
    server:close()
    assert.equal(429, err.http_status)
    assert.equal(131208, err.code)
    assert.is_nil(err.retry_after)
    assert.is_nil(err.usage)
  end)
end)

describe("Meta's empty acknowledgements", function()
  before_each(helpers.reset)

  it("an empty 200 is success for update, delete, delete link and remove", function()
    local client = helpers.client()
    local id = helpers.create_group(client)
    for _, call in ipairs {
      { "update_group", id, { subject = "New" } }, { "remove_participants", id, { "+16505551234" } },
      { "delete_invite_link", id }, { "delete_group", id },
    } do
      fault({ method = call[1] == "update_group" and "POST" or "DELETE" }, { status = 200, body = "" })
      local result = client[call[1]](client, unpack(call, 2))
      assert.is_true(result.success, call[1])
    end
    client:close()
  end)

  it("an empty 200 is still a protocol error, outcome unknown, for create", function()
    local client = helpers.client()
    fault(CREATE, { status = 200, body = "" })
    local err = helpers.catch(client.create, client, { subject = "Ops" })
    client:close()
    assert.equal("protocol", err.kind)
    assert.equal("unknown", err.outcome)
  end)
end)

describe("tokens", function()
  it("too short to redact safely are refused", function()
    for _, token in ipairs { "a", "e", "abc", "123456789" } do
      local err = helpers.catch(groups.new, { token = token })
      assert.equal("token", err.field)
      assert.matches("redacted", err.reason)
    end
    assert.is_truthy(groups.new { token = "abcdefghij" })
  end)
end)

describe("Graph's is_transient", function()
  before_each(helpers.reset)

  it("counts only when it is true, not \"false\" or 0", function()
    local client = helpers.client { retries = 2, backoff = FAST }
    for _, flag in ipairs { "false", 0 } do
      helpers.reset()
      helpers.fault { count = 3, fault = { status = 400, body = cjson.encode {
        error = { code = 100, message = "bad", is_transient = flag } } } }
      local err = helpers.catch(client.create, client, { subject = "Ops" })
      assert.is_false(err.retryable)
      assert.equal(1, helpers.request_count())
    end
    client:close()
  end)
end)

describe("iterators", function()
  it("stop with a protocol error after pages without items that always have a next one", function()
    local endless = '{"data":{"groups":[]},"paging":{"cursors":{"after":"QQ"},"next":"https://x.test"}}'
    local client, seen = helpers.answering { 200, {}, endless }
    local err = helpers.catch(function() for _ in client:each_group { max_empty_pages = 4 } do end end)
    assert.equal("protocol", err.kind)
    assert.equal(4, #seen)
    err = helpers.catch(function() for _ in client:each_group() do end end)
    assert.equal("protocol", err.kind)
    assert.equal(4 + 10, #seen)
    client:close()
  end)
end)

if _VERSION == "Lua 5.1" and not rawget(_G, "jit") then
  describe("on Lua 5.1, a pump call awaited inside pcall", function()
    it("is refused before anything is sent", function()
      helpers.reset()
      local client = helpers.client()
      local a = client:async {}
      local co = coroutine.create(function()
        return pcall(function() return a:create { subject = "Ops" } end)
      end)
      local _, ok, err = coroutine.resume(co)
      assert.is_false(ok)
      assert.equal("callback", err.field)
      assert.equal(0, a:in_flight())
      assert.equal(0, helpers.request_count())
      a:close()
      client:close()
    end)
  end)
end
