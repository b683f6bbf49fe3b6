-- The Redis store against a real redis-server (spec/redis.sh starts one on $REDIS_PORT,
-- a loopback port of its own, and stops it): the stores' contract through Debian's
-- lua-redis and through lua-resty-redis's reply conventions; two receiving processes as
-- two hosts, the creates made by one and the webhooks (each delivered twice) reaching the
-- other; expiry on real time; pacing across hosts. Only `make test-redis` runs it:
-- elsewhere REDIS_PORT is unset and it has no cases.
local redis_port = tonumber(os.getenv "REDIS_PORT")
if redis_port == nil then return end

local redis = require "redis"
local socket = require "socket"
local store = require "whatsapp.groups.store"
local pacer = require "whatsapp.groups.pacer"
local safe = require "whatsapp.groups.safe"
local webhook = require "whatsapp.groups.webhook"
local helpers = require "helpers"
local contract = require "store_contract"

local function connect() return redis.connect("127.0.0.1", redis_port) end

local function server(command)
  assert(os.execute("REDIS_PORT=" .. redis_port .. " bash " .. helpers.spec_dir .. "/redis.sh " .. command))
end

-- lua-resty-redis's conventions over a lua-redis connection, as the README's adapter
-- meets them: SET answers "OK", a missing value is a null sentinel (ngx.null there), and
-- a failure is nil and a message instead of an error.
local NULL = setmetatable({}, { __name = "null" })
local function resty_shaped(client)
  return setmetatable({}, { __index = function(_, name)
    return function(_, ...)
      local ok, reply = pcall(client[name], client, ...)
      if not ok then return nil, tostring(reply) end
      if reply == nil then return NULL end
      if reply == true then return "OK" end
      return reply
    end
  end })
end

describe("redis", function()
  local admin, prefixes = nil, 0
  setup(function()
    server "start"
    admin = connect()
  end)
  teardown(function() server "stop" end)

  -- A store on a prefix of its own, so cases never see each other's keys.
  local function fresh(client)
    prefixes = prefixes + 1
    return store.redis(client or connect(), { prefix = "spec" .. prefixes .. ":" })
  end

  contract("redis (lua-redis)", fresh, socket.sleep)
  contract("redis (lua-resty-redis replies)", function() return fresh(resty_shaped(connect())) end, socket.sleep)

  it("turns a failing command into a store error, with either client", function()
    for _, s in ipairs { fresh(), fresh(resty_shaped(connect())) } do
      s:push("l", "x", 60)
      local err = helpers.catch(s.get, s, "l")
      assert.equal("store", err.kind)
      assert.matches("WRONGTYPE", err.message)
    end
  end)

  describe("two hosts", function()
    local receiver, log
    before_each(function()
      helpers.reset()
      admin:flushdb()
    end)
    after_each(function()
      if receiver then os.execute("kill " .. receiver) end
      receiver = nil
      if log then os.remove(log) end
    end)

    -- Host 2: examples/webhook_receiver.lua, its tracker in our Redis.
    local function start_receiver()
      local port
      port, receiver, log = helpers.start_receiver { app_secret = "test-app-secret",
                                                     WEBHOOK_REDIS = "127.0.0.1:" .. redis_port }
      return port
    end

    local function count(text, pattern)
      local n = 0
      for _ in text:gmatch(pattern) do n = n + 1 end
      return n
    end

    it("correlates 100 creates made on one host with webhooks reaching the other", function()
      local port = start_receiver()
      helpers.webhooks("http://127.0.0.1:" .. port .. "/", "test-app-secret", 2)
      -- Host 1: makes the creates and expects them, with the same handler name as host 2.
      local host_1 = webhook.tracker { store = store.redis(connect()) }
      local ran_here = 0
      host_1:on("completed", function() ran_here = ran_here + 1 end)
      local client = helpers.client()
      local ids = {}
      for i = 1, 100 do
        local r = client:create { subject = "Host " .. i }
        ids[i] = r.request_id
        host_1:expect(r, { handler = "completed" })
      end
      client:close()
      local ran_there
      for _ = 1, 200 do
        ran_there = count(helpers.read(log), "\ncompleted ")
        if ran_here + ran_there >= 100 and helpers.webhook_log().count >= 200 then break end
        socket.sleep(0.05)
      end
      socket.sleep(0.2) -- a handler running twice would have shown by now
      local text = helpers.read(log)
      ran_there = count(text, "\ncompleted ")
      -- A third reader (any host) sees every outcome.
      local reader = webhook.tracker { store = store.redis(connect()) }
      local group_of = {}
      for _, g in ipairs(helpers.groups()) do group_of[g.request_id] = g.id end
      local correlated = 0
      for _, id in ipairs(ids) do
        local o = reader:outcome(id)
        if o and o.state == "created" and o.group_id == group_of[id] then correlated = correlated + 1 end
      end
      local deliveries = helpers.webhook_log()
      print(string.format("\n100 creates on host 1, webhooks to host 2: %d of 100 correlated; handlers ran "
        .. "%d times on host 2 and %d on host 1; %d deliveries, %d events handed on by host 2",
        correlated, ran_there, ran_here, deliveries.count, count(text, "\nevent ")))
      assert.equal(100, correlated)
      assert.equal(100, ran_here + ran_there)
      assert.equal(200, deliveries.count)
      assert.equal(100, count(text, "\nevent "))
    end)
  end)

  it("expires an expectation with a 1 s TTL and no webhook, reaching on_expire once", function()
    admin:flushdb()
    local t = webhook.tracker { store = store.redis(connect()) }
    local calls = {}
    t:on("expired", function(outcome, data) calls[#calls + 1] = { outcome, data } end)
    t:expect("never-answered", { on_expire = "expired", ttl = 1, data = { chat = 3 } })
    local other = webhook.tracker { store = store.redis(connect()) } -- another host sweeping too
    other:on("expired", function(outcome, data) calls[#calls + 1] = { outcome, data } end)
    for _ = 1, 40 do
      t:sweep()
      other:sweep()
      if #calls > 0 then break end
      socket.sleep(0.1)
    end
    for _ = 1, 5 do t:sweep() other:sweep() end
    assert.equal(1, #calls)
    assert.same({ state = "expired", request_id = "never-answered" }, calls[1][1])
    assert.same({ chat = 3 }, calls[1][2])
    assert.equal("expired", other:outcome("never-answered").state)
  end)

  it("holds back another host's creates while Graph's Retry-After lasts", function()
    helpers.reset()
    admin:flushdb()
    local function host()
      return assert(safe.new { token = helpers.token, phone_number_id = helpers.phone_number_id,
        base_url = helpers.base_url, retries = 0, transport = helpers.carry,
        pacer = pacer.new { store = store.redis(connect()), mode = "fail" } })
    end
    local a, b = host(), host()
    helpers.fault { match = { method = "POST", path = "/groups$" },
                    fault = { status = 429, headers = { ["Retry-After"] = "30" }, graph_error = { code = 131208 } } }
    a:create { subject = "Ops" }
    local _, held = b:create { subject = "Ops" }
    assert.is_true(held.paced)
    assert.is_true(held.retry_after > 25, held.retry_after)
    assert.equal(1, helpers.request_count())
  end)
end)
