-- The client inside nginx: calls carried by subrequests (whatsapp.groups.resty) never
-- block a worker, and give the results and errors the blocking client gives. It talks to
-- the nginx instances spec/openresty/start.sh runs (spec/openresty/nginx.conf.in and
-- examples/openresty/nginx.conf), so only `make test-openresty` runs it: elsewhere
-- OPENRESTY_PORT is unset and it has no cases.
local port = os.getenv "OPENRESTY_PORT"
if port == nil then return end

local cjson = require "cjson"
local socket = require "socket"
local http = require "socket.http"
local ltn12 = require "ltn12"
local groups = require "whatsapp.groups"
local helpers = require "helpers"

local base = "http://127.0.0.1:" .. port
local example = "http://127.0.0.1:" .. (os.getenv "OPENRESTY_EXAMPLE_PORT" or "8091")
local run_dir = "build/openresty"

local function read(path)
  local f = assert(io.open(path))
  local text = f:read "*a"
  f:close()
  return text
end

-- status, body of one HTTP exchange.
local function fetch(method, url, body, headers)
  local out = {}
  headers = headers or {}
  if body then headers["content-length"] = tostring(#body) end
  local ok, status = http.request {
    url = url, method = method, headers = headers, sink = ltn12.sink.table(out),
    source = body and ltn12.source.string(body),
  }
  assert(ok, status)
  return status, table.concat(out)
end

-- One client call inside nginx (spec/openresty/handler.lua): {result} or {error, raised}.
local function call(method, args, query)
  local status, body = fetch("POST", base .. "/call?" .. (query or ""),
                             cjson.encode { method = method, args = args })
  assert.equal(200, status, body)
  return cjson.decode(body)
end

-- 50 parallel GETs of /create by curl: the seconds they took, and the answers that
-- carried a request_id.
local function fifty_creates(transport)
  helpers.fault { match = { method = "POST", path = "/groups$" }, count = 50, fault = { delay = 0.2 } }
  local command = "curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max 50 -w '\\n' '"
    .. base .. "/create?transport=" .. transport .. "&n=[1-50]' 2>/dev/null"
  local started = socket.gettime()
  local pipe = assert(io.popen(command))
  local out = pipe:read "*a"
  pipe:close()
  local elapsed = socket.gettime() - started
  local answered = 0
  for line in out:gmatch "[^\n]+" do
    if line:find('"request_id":"%d+"') then answered = answered + 1 end
  end
  return elapsed, answered
end

-- The resident memory of each of the spec nginx's workers, in kB, by pid.
local function workers_rss()
  local master = read(run_dir .. "/spec/nginx.pid"):match "%d+"
  local pipe = assert(io.popen("ps -o pid= --ppid " .. master))
  local rss = {}
  for pid in pipe:read("*a"):gmatch "%d+" do
    local f = io.open("/proc/" .. pid .. "/status")
    if f then
      rss[pid] = tonumber(f:read("*a"):match "VmRSS:%s*(%d+)")
      f:close()
    end
  end
  pipe:close()
  return rss
end

-- The worker that grew most between two workers_rss(): its pid and by how many kB.
local function most_grown(before, after)
  local pid, most = next(after), -math.huge
  for p, kb in pairs(after) do
    if before[p] and kb - before[p] > most then pid, most = p, kb - before[p] end
  end
  return pid, most
end

-- What varies from call to call left out: keys, the types of values (ids and times
-- differ), booleans, and of a list its first item (the fake's state grows between calls).
local function shape(v)
  if type(v) == "boolean" then return v end
  if type(v) ~= "table" then return type(v) end
  if #v > 0 then return { shape(v[1]) } end
  local t = {}
  for k, x in pairs(v) do t[k] = shape(x) end
  return t
end

-- What an error says, less what differs per call. A network error's http_status is left
-- out: libcurl knows the status of an answer cut off mid-body, a subrequest does not say.
local function gist(err)
  return { kind = err.kind, field = err.field, code = err.code, outcome = err.outcome,
           http_status = err.kind ~= "network" and err.http_status or nil,
           retryable = err.retryable, retry_after = err.retry_after }
end

describe("inside nginx", function()
  local setup -- a blocking client of the busted process, for preparing the fake's state
  before_each(function()
    helpers.reset()
    setup = helpers.client()
  end)
  after_each(function() setup:close() end)

  it("serves 50 concurrent creates while Graph takes 200 ms each", function()
    local elapsed, answered = fifty_creates "nginx"
    print(string.format("\n50 concurrent creates, 200 ms each, nginx subrequests: %.2f s", elapsed))
    assert.equal(50, answered)
    -- A proof of concurrency, not a speed target (make bench has those): 2 blocked workers
    -- need 5 s at least.
    assert.is_true(elapsed < 2.5, elapsed .. " s")
  end)

  it("stalls its 2 workers when forced onto blocking libcurl", function()
    local elapsed, answered = fifty_creates "blocking"
    print(string.format("\n50 concurrent creates, 200 ms each, blocking libcurl: %.2f s", elapsed))
    assert.equal(50, answered)
    assert.is_true(elapsed > 4, elapsed .. " s") -- 50 x 0.2 s over 2 workers: 5 s at best
  end)

  describe("gives every method's result as the blocking client does", function()
    local jpeg = os.tmpname()
    local f = assert(io.open(jpeg, "wb"))
    f:write(helpers.jpeg(300, 300))
    f:close()
    local users = 0
    local function new_group(mode)
      return (helpers.create_group(setup, { subject = "Cases", join_approval_mode = mode }))
    end
    local function with_member(id)
      users = users + 1
      helpers.join(id, string.format("165055510%02d", users))
      return id
    end
    local function join_request()
      local id = new_group "approval_required"
      users = users + 1
      local joined = helpers.join(id, string.format("165055520%02d", users))
      return { id, { joined.join_request_id } }
    end
    local function member_group() return with_member(new_group()) end
    local function sent(id) return setup:send_text(id, "to pin").message_id end
    teardown(function() os.remove(jpeg) end)

    local cases = {
      create = function() return { { subject = "Inside nginx", description = "Made there" } } end,
      list_groups = function() new_group() new_group() new_group() return { { limit = 2 } } end,
      each_group = function() new_group() return { { limit = 1 } } end,
      get_group = function() return { member_group() } end,
      update_group = function() return { new_group(), { subject = "Renamed", picture = jpeg } } end,
      delete_group = function() return { new_group() } end,
      invite_link = function() return { new_group() } end,
      reset_invite_link = function() return { new_group() } end,
      delete_invite_link = function() return { new_group() } end,
      remove_participants = function()
        local id = new_group()
        with_member(id)
        return { id, { string.format("+165055510%02d", users) } }
      end,
      join_requests = function() return { join_request()[1] } end,
      each_join_request = function() return { join_request()[1], { limit = 1 } } end,
      approve_join_requests = join_request,
      reject_join_requests = join_request,
      send = function() return { member_group(), { type = "text", text = { body = "hi" } } } end,
      send_text = function() return { member_group(), "hi", { preview_url = false } } end,
      pin = function() local id = member_group() return { id, sent(id), 7 } end,
      unpin = function()
        local id = member_group()
        local message = sent(id)
        setup:pin(id, message, 7)
        return { id, message }
      end,
      upload_media = function() return { jpeg, { type = "image/jpeg" } } end,
    }

    it("(every method has a case)", function()
      for _, name in ipairs(groups.METHODS) do assert.is_function(cases[name], name) end
    end)

    for name, args in pairs(cases) do
      it(name, function()
        local carried = call(name, args(), "transport=nginx")
        local blocking = call(name, args(), "transport=blocking")
        assert.is_nil(carried.error, carried.error and carried.error.message)
        assert.is_nil(blocking.error, blocking.error and blocking.error.message)
        assert.same(shape(blocking.result), shape(carried.result))
      end)
    end
  end)

  -- Each fault is queued twice: once for each transport.
  local failures = {
    { "a Graph error", { status = 429, headers = { ["Retry-After"] = "7" }, graph_error = { code = 131208 } } },
    { "an HTTP error without Graph's envelope", { status = 503, body = "down", content_type = "text/plain" } },
    { "a 200 that is not JSON", { status = 200, body = "<html>", content_type = "text/html" } },
    { "a connection reset", { reset = true } },
    { "an answer cut off", { truncate = true } },
  }
  for _, case in ipairs(failures) do
    it("maps " .. case[1] .. " as the blocking client does", function()
      helpers.fault { match = { path = "/groups$" }, count = 2, fault = case[2] }
      local carried = call("create", { { subject = "Ops" } }, "transport=nginx")
      local blocking = call("create", { { subject = "Ops" } }, "transport=blocking")
      assert.is_table(carried.error)
      assert.same(gist(blocking.error), gist(carried.error))
    end)
  end

  it("tells on_attempt what the blocking client tells it, attempt by attempt", function()
    local script = require "attempt_script"
    local function queue_faults()
      helpers.reset()
      for _, f in ipairs(script.faults) do helpers.fault(f) end
    end
    queue_faults()
    local expected = {}
    local c = helpers.client(script.options(function(info) expected[#expected + 1] = script.plain(info) end))
    script.run(function(method, ...) return c[method](c, ...) end)
    c:close()
    queue_faults()
    local status, body = fetch("GET", base .. "/attempts")
    assert.equal(200, status, body)
    local got = cjson.decode(body)
    assert.is_nil(got.error, body)
    assert.equal(6, #expected)
    assert.same(expected, got.infos)
  end)

  it("raises a validation error before any request", function()
    local answer = call("create", { { subject = "  " } })
    assert.is_true(answer.raised)
    assert.equal("validation", answer.error.kind)
    assert.equal("subject", answer.error.field)
    assert.equal(0, helpers.request_count())
  end)

  it("retries inside nginx what is safe to retry, waiting with ngx.sleep", function()
    helpers.fault { match = { path = "/groups$" }, count = 2, fault = { status = 503 } }
    local answer = call("create", { { subject = "Ops" },
                                    { retries = 3, backoff = { base = 0.01, cap = 0.02, jitter = 0 } } })
    assert.is_string(answer.result.request_id)
    assert.equal(3, helpers.request_count())
  end)

  it("maps a Graph error, with the token redacted", function()
    helpers.fault { match = { path = "/groups$" }, fault = { status = 400,
      graph_error = { code = 100, message = "bad token " .. helpers.token } } }
    local err = call("create", { { subject = "Ops" } }).error
    assert.equal("api", err.kind)
    assert.equal(100, err.code)
    assert.equal(400, err.http_status)
    assert.equal("bad token [REDACTED]", err.message)
  end)

  it("returns nil, err from the safe twin's clients", function()
    local answer = call("get_group", { "Tm9Hcm91cA" }, "safe=1")
    assert.is_false(answer.raised)
    assert.equal(131041, answer.error.code)
    answer = call("create", { { subject = "" } }, "safe=1")
    assert.is_false(answer.raised)
    assert.equal("validation", answer.error.kind)
  end)

  it("refuses, naming the phase, where nginx has no subrequests", function()
    fetch("GET", base .. "/phases")
    local outcomes
    for _ = 1, 50 do -- the log phase and the timer run after the answer
      outcomes = cjson.decode(select(2, fetch("GET", base .. "/outcomes")))
      if outcomes.log and outcomes.timer then break end
      socket.sleep(0.05)
    end
    for _, phase in ipairs { "init", "init_worker", "set", "header_filter", "log", "timer" } do
      local err = outcomes[phase]
      assert.is_table(err, phase)
      assert.equal("validation", err.kind, phase)
      assert.truthy(err.message:find(" " .. phase .. " phase", 1, true), err.message)
    end
    assert.truthy(outcomes.timer.message:find("cosocket", 1, true))
    assert.equal(0, helpers.request_count())
  end)

  it("verifies the Graph server's certificate", function()
    local answer = call("create", { { subject = "Ops" } }, "location=/_graph_other_ca")
    assert.equal("network", answer.error.kind)
    assert.equal("not_sent", answer.error.outcome)
    assert.equal(0, helpers.request_count())
    assert.is_string(call("create", { { subject = "Ops" } }).result.request_id) -- the fake's CA
  end)

  -- Both ways an answer can be too large: announced by Content-Length, or chunked, where
  -- nginx learns the size only by reading; and one asking nginx to buffer it. A
  -- subrequest holds its whole answer, so without the location's body filter a worker
  -- would grow by the 512 MiB; buffered, nginx would spool it to a file first.
  local huge = 512 * 1024 * 1024
  local too_large = {
    { "large", { large = huge } },
    { "chunked", { chunked = huge } },
    { "chunked, with X-Accel-Buffering: yes", { chunked = huge, headers = { ["X-Accel-Buffering"] = "yes" } } },
  }
  for _, case in ipairs(too_large) do
    local kind = case[1]
    it("cuts off a 512 MiB answer (" .. kind .. ") at max_response_size while it streams", function()
      helpers.fault { match = { path = "/groups$" }, fault = case[2] }
      local log_before = #read(run_dir .. "/spec/error.log")
      local before = workers_rss()
      local started = socket.gettime()
      local err = call("create", { { subject = "Ops" } }, "max=65536").error
      local elapsed = socket.gettime() - started
      local after = workers_rss()
      local pid, grown = most_grown(before, after)
      print(string.format("\n512 MiB answer (%s), max_response_size 64 KiB: %s error after %.2f s; "
        .. "worker %s VmRSS %d kB before, %d kB after", kind, err and err.kind, elapsed, pid,
        before[pid], after[pid]))
      assert.is_table(err)
      assert.equal("protocol", err.kind)
      assert.matches("larger than 65536 bytes", err.message)
      assert.equal(1, helpers.request_count())
      assert.is_true(grown < 32 * 1024, "a worker grew by " .. grown .. " kB")
      assert.is_true(elapsed < 15, elapsed .. " s")
      local logged = read(run_dir .. "/spec/error.log"):sub(log_before + 1)
      assert.is_nil(logged:find("buffered to a temporary file", 1, true), logged)
    end)
  end

  -- /_graph_plain proxies to the fake's plain-HTTP port with the README's proxy_pass:
  -- the scheme is the client's base_url's, not the location's.
  it("carries an http:// base_url through a location, in clear", function()
    local answer = call("create", { { subject = "Ops" } }, "location=/_graph_plain&scheme=http")
    assert.is_nil(answer.error, answer.error and answer.error.message)
    assert.is_string(answer.result.request_id)
    local log = helpers.requests()
    assert.equal(1, log.count)
    assert.equal("http", log.requests[1].scheme)
  end)

  it("never sends an https:// base_url in clear, whatever port the upstream names", function()
    local err = call("create", { { subject = "Ops" } }, "location=/_graph_plain").error
    assert.is_table(err)
    assert.equal("network", err.kind)
    assert.equal("not_sent", err.outcome) -- TLS to the plain port fails before any request
    assert.equal(0, helpers.request_count())
    assert.is_string(call("create", { { subject = "Ops" } }).result.request_id)
    assert.equal("https", helpers.requests().requests[1].scheme)
  end)

  it("maps nginx's proxy_read_timeout to a timeout", function()
    helpers.fault { match = { path = "/groups$" }, fault = { delay = 1 } }
    local err = call("create", { { subject = "Ops" } }, "location=/_graph_short_timeout").error
    assert.equal("timeout", err.kind)
    assert.equal("unknown", err.outcome)
    assert.is_false(err.retryable)
  end)

  it("says so when the proxy location is missing", function()
    local err = call("create", { { subject = "Ops" } }, "location=/_nowhere").error
    assert.equal("network", err.kind)
    assert.equal("not_sent", err.outcome)
    assert.truthy(err.message:find("README", 1, true))
  end)

  it("runs the location block the README shows", function()
    local function directives(text)
      local list = {}
      for line in text:gmatch "[^\n]+" do
        for statement in line:gsub("#.*", ""):gmatch "[^;]+" do
          statement = statement:match "^%s*(.-)%s*$"
          if statement ~= "" then list[#list + 1] = statement end
        end
      end
      return list
    end
    local readme = read "README.md"
    local shown = readme:match "is the inside of the location, to include.-or paste:\n\n```nginx\n(.-)```"
    assert.is_string(shown)
    assert.same(directives(read "examples/openresty/whatsapp_graph.conf"), directives(shown))
  end)

  it("keeps the stores' contract in a shared dict, refusing writes when full", function()
    local seen = cjson.decode(select(2, fetch("GET", base .. "/store_contract")))
    assert.equal("1", seen.get)
    assert.is_true(seen.absent)
    assert.is_true(seen.first_add)
    assert.is_false(seen.second_add)
    assert.equal("first", seen.kept)
    assert.is_true(seen.ttl > 0 and seen.ttl <= 0.2, seen.ttl)
    assert.equal("x", seen.popped)
    assert.is_true(seen.expired)
    assert.is_true(seen.deleted)
    assert.equal("store", seen.full)
    assert.equal("first", seen.still_there) -- nothing was evicted to make room
  end)

  it("never writes the token to nginx's logs", function()
    call("create", { { subject = "Ops" } })
    for _, log in ipairs { "spec/error.log", "example/error.log", "example/access.log" } do
      assert.is_nil(read(run_dir .. "/" .. log):find(helpers.token, 1, true), log)
    end
  end)
end)

-- An HMAC-SHA256 signature header for body, made by openssl.
local function sign(body, secret)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(body)
  f:close()
  local pipe = assert(io.popen("openssl dgst -sha256 -hmac '" .. secret .. "' -r " .. path))
  local hex = pipe:read "*a":match "^(%x+)"
  pipe:close()
  os.remove(path)
  return "sha256=" .. hex
end

-- What curl answers to each URL, fetched in parallel on connections of their own, one
-- answer a line; with body, as POSTs of it.
local function curl_all(urls, body)
  local config = os.tmpname()
  local f = assert(io.open(config, "w"))
  for _, url in ipairs(urls) do f:write('url = "', url, '"\n') end
  f:close()
  local command = "curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max 100 -H 'Connection: close' "
    .. "-w '\\n' -K " .. config .. (body and (" -d '" .. body .. "'") or "")
  local pipe = assert(io.popen(command))
  local lines = {}
  for line in pipe:read("*a"):gmatch "[^\n]+" do lines[#lines + 1] = line end
  pipe:close()
  os.remove(config)
  return lines
end

local function tally(counts, key)
  if key ~= nil then counts[key] = (counts[key] or 0) + 1 end
end

local function count_keys(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- {worker = count} as "0:26 1:24 ...".
local function shown(counts)
  local keys, parts = {}, {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do parts[#parts + 1] = k .. ":" .. counts[k] end
  return table.concat(parts, " ")
end

describe("examples/openresty", function()
  local secret = os.getenv "FAKE_GRAPH_APP_SECRET" or "test-app-secret"
  before_each(function() helpers.reset() end)

  it("answers Meta's handshake, and only with the verify token", function()
    local query = "/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token="
    local status, body = fetch("GET", example .. query .. "verify-me")
    assert.equal(200, status)
    assert.equal("1158201444", body)
    assert.equal(403, (fetch("GET", example .. query .. "wrong")))
  end)

  it("accepts signed webhooks only", function()
    local body = '{"object":"whatsapp_business_account","entry":[]}'
    local url = example .. "/webhook"
    assert.equal(200, (fetch("POST", url, body, { ["x-hub-signature-256"] = sign(body, secret) })))
    assert.equal(403, (fetch("POST", url, body, { ["x-hub-signature-256"] = sign(body, "other") })))
    assert.equal(403, (fetch("POST", url, body)))
    assert.equal(400, (fetch("POST", url, "[]", { ["x-hub-signature-256"] = sign("[]", secret) })))
  end)

  -- GET /admin/groups?request_id=... of each id, each on a new connection (so on any
  -- worker), waiting up to 5 s for each outcome.
  local function outcomes(ids)
    local urls = {}
    for i, id in ipairs(ids) do urls[i] = example .. "/admin/groups?wait=5&request_id=" .. id end
    local answers = {}
    for _, line in ipairs(curl_all(urls)) do
      local o = cjson.decode(line)
      answers[o.request_id] = o
    end
    return answers
  end

  it("creates a group and learns its id from the group_create webhook", function()
    helpers.webhooks(example .. "/webhook", secret)
    local status, body = fetch("POST", example .. "/admin/groups", '{"subject": "From nginx"}')
    assert.equal(202, status, body)
    local request_id = cjson.decode(body).request_id
    local created = outcomes({ request_id })[request_id]
    assert.equal("created", created.state)
    assert.equal(helpers.groups()[1].id, created.group_id)
    assert.matches("^https://chat%.whatsapp%.com/", created.invite_link)
    assert.equal(404, (fetch("GET", example .. "/admin/groups?request_id=unknown")))
  end)

  it("correlates 100 concurrent creates across its 4 workers, each webhook delivered twice", function()
    helpers.webhooks(example .. "/webhook", secret, 2)
    local urls = {}
    for i = 1, 100 do urls[i] = example .. "/admin/groups?n=" .. i end
    local ids, created_by = {}, {}
    for _, line in ipairs(curl_all(urls, '{"subject": "Many"}')) do
      local answer = cjson.decode(line)
      ids[#ids + 1] = answer.request_id
      tally(created_by, answer.served_by)
    end
    assert.equal(100, #ids)
    local answers = outcomes(ids)
    local created, read_by, delivered_to, handled_once = 0, {}, {}, 0
    local group_ids = {}
    for _, g in ipairs(helpers.groups()) do group_ids[g.request_id] = g.id end
    for _, id in ipairs(ids) do
      local o = answers[id] or {}
      if o.state == "created" and o.group_id == group_ids[id] then created = created + 1 end
      if o.handled == 1 then handled_once = handled_once + 1 end
      tally(read_by, o.served_by)
      tally(delivered_to, o.delivered_to)
    end
    local deliveries = helpers.webhook_log()
    print(string.format("\n100 creates: created by workers %s; outcomes read by workers %s; webhooks "
      .. "delivered to workers %s; %d of 100 created; handlers run once for %d; %d deliveries",
      shown(created_by), shown(read_by), shown(delivered_to), created, handled_once, deliveries.count))
    assert.equal(100, created)
    assert.equal(100, handled_once)
    assert.equal(200, deliveries.count)
    for _, d in ipairs(deliveries.deliveries) do assert.equal(200, d.status) end
    assert.is_true(count_keys(delivered_to) >= 2, "deliveries landed on one worker only")
    assert.is_true(count_keys(read_by) >= 2, "outcomes were read from one worker only")
  end)

  it("holds back every worker's creates while Graph's Retry-After lasts", function()
    helpers.fault { match = { method = "POST", path = "/groups$" }, count = 1,
                    fault = { status = 429, headers = { ["Retry-After"] = "2" }, graph_error = { code = 131208 } } }
    -- The first create, in the background: it waits out its own Retry-After, then succeeds.
    local first = assert(io.popen("curl -s -d '{\"subject\": \"First\"}' " .. example .. "/admin/groups"))
    local held
    for _ = 1, 100 do
      held = cjson.decode(select(2, fetch("GET", example .. "/admin/pacing"))).create_held
      if held then break end
      socket.sleep(0.02)
    end
    assert.is_number(held)
    local urls = {}
    for i = 1, 20 do urls[i] = example .. "/admin/groups?n=" .. i end
    local served_by, answered = {}, 0
    for _, line in ipairs(curl_all(urls, '{"subject": "Next"}')) do
      local answer = cjson.decode(line)
      if answer.request_id then answered = answered + 1 end
      tally(served_by, answer.served_by)
    end
    local first_answer = cjson.decode(first:read "*a")
    first:close()
    assert.is_string(first_answer.request_id)
    -- Held back by what another worker learnt, not only by its own memory.
    local others = 0
    for worker, n in pairs(served_by) do
      if worker ~= first_answer.served_by then others = others + n end
    end
    assert.is_true(others > 0, "all 20 creates were served by the throttled worker")
    local log = helpers.requests().requests
    local t0 = log[1].at
    local within = 0
    for i = 2, #log do
      if log[i].at < t0 + 2 then within = within + 1 end
    end
    print(string.format("\nafter a 131208 with Retry-After: 2 (to worker %d), 20 creates from workers %s: "
      .. "%d requests in the 2 s after the first, %d after (%.2f s to the next)", first_answer.served_by,
      shown(served_by), within, #log - 1 - within, log[2].at - t0))
    assert.equal(20, answered)
    assert.equal(0, within)
    assert.equal(22, #log) -- the first, its retry, the 20
  end)

  it("hands a create whose webhook never came to on_expire, once across its 4 workers", function()
    helpers.webhooks(nil) -- the group is made, its webhook goes nowhere
    local status, body = fetch("POST", example .. "/admin/groups?ttl=1", '{"subject": "Lost"}')
    assert.equal(202, status, body)
    local id = cjson.decode(body).request_id
    local o
    for _ = 1, 60 do
      o = cjson.decode(select(2, fetch("GET", example .. "/admin/groups?request_id=" .. id)))
      if o.handled then break end
      socket.sleep(0.1)
    end
    socket.sleep(1.5) -- every worker's sweep timer has run again since
    o = cjson.decode(select(2, fetch("GET", example .. "/admin/groups?request_id=" .. id)))
    assert.equal("expired", o.state)
    assert.equal(1, o.handled)
    assert.matches("no group_create webhook for request " .. id, read(run_dir .. "/example/error.log"))
  end)

  it("answers a validation error as 400", function()
    local status, body = fetch("POST", example .. "/admin/groups", '{"subject": ""}')
    assert.equal(400, status)
    assert.matches("subject", cjson.decode(body).error)
  end)
end)
