-- Shared setup for the specs: the fake Graph server's addresses and control API, clients
-- pointed at it, and a catcher that checks every error it sees for leaked secrets.
local cjson = require "cjson"
local http = require "socket.http"
local ltn12 = require "ltn12"
local socket = require "socket"
local groups = require "whatsapp.groups"

local helpers = {}

helpers.port = tonumber(os.getenv "FAKE_GRAPH_PORT") or 8089
helpers.tls_port = tonumber(os.getenv "FAKE_GRAPH_TLS_PORT") or 8443
helpers.dir = os.getenv "FAKE_GRAPH_DIR" or "build/fake-graph"
helpers.base_url = "http://127.0.0.1:" .. helpers.port
helpers.tls_base_url = "https://localhost:" .. helpers.tls_port
helpers.ca_file = helpers.dir .. "/certs/ca.pem"
helpers.other_ca_file = helpers.dir .. "/certs/other-ca.pem"
helpers.token = "test-token"
helpers.phone_number_id = "106540352242922"
-- A port nothing listens on: bound and closed at once would race, so use one below 1024.
helpers.closed_port_url = "http://127.0.0.1:9"

local function control(method, path, body)
  local out, encoded = {}, body and cjson.encode(body)
  local ok, status = http.request {
    url = helpers.base_url .. "/__control/" .. path,
    method = method,
    source = encoded and ltn12.source.string(encoded),
    headers = encoded and { ["content-type"] = "application/json",
                            ["content-length"] = tostring(#encoded) },
    sink = ltn12.sink.table(out),
  }
  assert(ok, "fake Graph server unreachable: " .. tostring(status))
  assert(status == 200, "control " .. path .. " answered " .. tostring(status) .. ": "
    .. table.concat(out))
  return cjson.decode(table.concat(out))
end

--- Clears the fake server's groups, faults and request log.
function helpers.reset() control("POST", "reset") end
--- The Graph requests the fake server saw since the last reset.
function helpers.requests() return control("GET", "requests") end
function helpers.request_count() return helpers.requests().count end
--- Queues a fault for the next matching requests (see spec/fake_graph/lua/fake_graph/faults.lua).
function helpers.fault(spec) control("POST", "faults", spec) end
--- Drops the queued faults (groups and the request log stay).
function helpers.reset_faults() control("DELETE", "faults") end
--- The groups the fake server remembers.
function helpers.groups() return control("GET", "groups") end
--- What a GET of the control API answers (`control_get "media"`: the uploads).
function helpers.control_get(path) return control("GET", path) end

--- The fake server's webhook deliveries since the last reset: {count, deliveries}.
function helpers.webhook_log() return control("GET", "webhooks") end

--- A user taps a group's invite link (fake server control): joins, or asks to join.
function helpers.join(group_id, wa_id)
  return control("POST", "join", { group_id = group_id, wa_id = wa_id })
end

--- WhatsApp suspends (or clears) a group (fake server control).
function helpers.suspend(group_id, suspended)
  return control("POST", "suspend", { group_id = group_id, suspended = suspended })
end

--- Where the fake server sends its signed webhooks (nil: nowhere), each POSTed copies
-- times (default once).
function helpers.webhooks(url, app_secret, copies)
  return control("POST", "webhooks", { url = url, app_secret = app_secret, copies = copies })
end

--- Creates a group through the client and returns its id (which Graph only gives by
-- webhook; the fake server's state has it too).
function helpers.create_group(client, args)
  local result = client:create(args or { subject = "Ops" })
  for _, group in ipairs(helpers.groups()) do
    if group.request_id == result.request_id then return group.id, result end
  end
  error("the fake server does not know the group of request " .. result.request_id)
end

--- A client for the fake server; options override the defaults.
function helpers.client(options)
  local merged = {
    token = helpers.token,
    phone_number_id = helpers.phone_number_id,
    base_url = helpers.base_url,
    timeout = 5,
    retries = 0, -- specs of error mapping see each answer; the retry specs set their own
  }
  for k, v in pairs(options or {}) do merged[k] = v end
  return groups.new(merged)
end

local secrets = { helpers.token }

--- Registers a string that must never appear in an error.
function helpers.secret(s)
  secrets[#secrets + 1] = s
  return s
end

local function assert_no_secret(err)
  local texts = { tostring(err) }
  for _, v in pairs(err) do
    if type(v) == "string" then texts[#texts + 1] = v end
  end
  for _, text in ipairs(texts) do
    for _, secret in ipairs(secrets) do
      assert(not text:find(secret, 1, true), "secret leaked in error: " .. text)
    end
  end
end

--- Calls fn, which must fail with one of our error objects; returns the error after
-- checking that no registered secret appears in it.
function helpers.catch(fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error, got success")
  assert(groups.is_error(err), "expected a whatsapp.groups error, got: " .. tostring(err))
  assert_no_secret(err)
  return err
end

--- The bytes of a JPEG header of the given size (what a picture check reads), padded to
-- about `size` bytes with a comment segment.
function helpers.jpeg(width, height, size)
  local function be16(n) return string.char(math.floor(n / 256) % 256, n % 256) end
  local sof = "\255\192" .. be16(17) .. "\8" .. be16(height) .. be16(width) .. "\3"
    .. "\1\34\0\2\17\1\3\17\1"
  local parts = { "\255\216" }
  local pad = (size or 0) - 40
  while pad > 0 do -- COM segments hold at most 65533 bytes each
    local n = math.min(pad, 65533)
    parts[#parts + 1] = "\255\254" .. be16(n + 2) .. string.rep("x", n)
    pad = pad - n - 4
  end
  parts[#parts + 1] = sof
  parts[#parts + 1] = "\255\217"
  return table.concat(parts)
end

-- Runs a script file in a fresh interpreter of the kind under test, with extra
-- environment; returns its exit status and what it printed (stdout and stderr together).
local function run_file(path, args, env)
  local words = { "env" }
  for k, v in pairs(env or {}) do words[#words + 1] = string.format("%s='%s'", k, v) end
  words[#words + 1] = os.getenv "LUA" or "lua5.4"
  words[#words + 1] = path
  for _, a in ipairs(args or {}) do words[#words + 1] = string.format("'%s'", a) end
  local pipe = assert(io.popen(table.concat(words, " ") .. " 2>&1; echo \"exit=$?\""))
  local out = pipe:read "*a"
  pipe:close()
  return tonumber(out:match "exit=(%d+)%s*$"), (out:gsub("exit=%d+%s*$", ""))
end

--- Runs a Lua chunk in a fresh interpreter, with extra environment.
function helpers.run_lua(code, env)
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write(code)
  f:close()
  local status, out = run_file(script, nil, env)
  os.remove(script)
  return status, out
end

--- Runs examples/<name>.lua against the fake server, as its header says to.
function helpers.run_example(name, args)
  return run_file("examples/" .. name .. ".lua", args, {
    WHATSAPP_TOKEN = helpers.token,
    WHATSAPP_PHONE_NUMBER_ID = helpers.phone_number_id,
    WHATSAPP_BASE_URL = helpers.base_url,
  })
end

--- Starts examples/webhook_receiver.lua in the background on a free port, with extra
-- environment (besides its secret and verify token) and its output going to a temporary
-- file, and waits until it listens. Returns its port, pid and that file's name.
function helpers.start_receiver(env, args)
  local probe = assert(socket.bind("127.0.0.1", 0))
  local _, port = probe:getsockname()
  probe:close()
  local log = os.tmpname()
  local words = { "WHATSAPP_APP_SECRET=" .. env.app_secret, "WHATSAPP_VERIFY_TOKEN=tok" }
  for k, v in pairs(env) do
    if k ~= "app_secret" then words[#words + 1] = k .. "=" .. v end
  end
  words[#words + 1] = os.getenv "LUA" or "lua5.4"
  words[#words + 1] = helpers.spec_dir .. "/../examples/webhook_receiver.lua"
  words[#words + 1] = tostring(port)
  for _, a in ipairs(args or {}) do words[#words + 1] = a end
  local p = assert(io.popen(table.concat(words, " ") .. " >" .. log .. " 2>&1 & echo $!"))
  local pid = tonumber(p:read "*l")
  p:close()
  for _ = 1, 100 do
    local c = socket.connect("127.0.0.1", port)
    if c then
      c:close()
      return port, pid, log
    end
    socket.sleep(0.05)
  end
  os.execute("kill " .. pid)
  error("the receiver did not start: " .. helpers.read(log))
end

-- The directory of the specs, whatever the current directory.
helpers.spec_dir = debug.getinfo(1, "S").source:match "^@(.*)/[^/]*$"

--- A whole file, as bytes.
function helpers.read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read "*a"
  f:close()
  return text
end

--- A webhook body from spec/fixtures/webhooks.
function helpers.fixture(name)
  return helpers.read(helpers.spec_dir .. "/fixtures/webhooks/" .. name)
end

--- A minimal carrier for the transport contract: the request as prepared, sent as is
-- with LuaSocket; returns status, headers, body, or nil and LuaSocket's message.
function helpers.carry(request)
  local out, headers = {}, {}
  for k, v in pairs(request.headers) do headers[k] = v end
  if request.body then headers["Content-Length"] = tostring(#request.body) end
  local ok, status, answer = http.request {
    url = request.url, method = request.method, headers = headers,
    source = request.body and ltn12.source.string(request.body), sink = ltn12.sink.table(out),
  }
  if not ok then return nil, status end
  return status, answer, table.concat(out)
end

local unpack = table.unpack or unpack -- luacheck: ignore 143

--- A client whose transport function gives every request the same answer (status,
-- headers, body; or nil, message, how) without sending it; the requests it got are in
-- the list returned second. Options override the defaults.
function helpers.answering(answer, options)
  local seen = {}
  local merged = {
    token = helpers.token, phone_number_id = helpers.phone_number_id,
    base_url = helpers.base_url, retries = 0,
    transport = function(request)
      seen[#seen + 1] = request
      return unpack(answer, 1, answer.n or #answer)
    end,
  }
  for k, v in pairs(options or {}) do merged[k] = v end
  return groups.new(merged), seen
end

--- The request a call makes, as a transport function gets it: operation, then the
-- method's arguments. Nothing is sent.
function helpers.request_of(operation, ...)
  local client, seen = helpers.answering { 200, {}, "{}" }
  pcall(client[operation], client, ...)
  client:close()
  return assert(seen[1], "no request was carried")
end

--- The path and query of a request's URL, after the base URL.
function helpers.path_of(request)
  return request.url:sub(#helpers.base_url + 1)
end

return helpers
