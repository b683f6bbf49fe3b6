-- Hostile values in every position a caller controls: client options, group ids, cursors,
-- field names, participants, join request and message ids, texts, pictures. Each is refused
-- with a validation error before any I/O; where a value is legitimately allowed (a CR LF in
-- a message, a "/" in a cursor), the request carries exactly that value, JSON-escaped or
-- percent-encoded, and its path is the one the operation always has.
local cjson = require "cjson"
local core = require "whatsapp.groups.core"
local groups = require "whatsapp.groups"
local helpers = require "helpers"

local GROUP = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"
local MSG = "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"

-- { label, value, and where it is allowed: text (a message's text, not empty), desc (may be
-- empty), subject (trimmed, not blank), cursor (printable, no space), opaque (an id that
-- travels in a JSON body), token, ua (a User-Agent) }
local HOSTILE = {
  { "CR LF", "a\r\nb", text = true, desc = true, subject = true },
  { "NUL", "a\0b" },
  { "slash", "/", text = true, desc = true, subject = true, cursor = true, opaque = true, token = true, ua = true },
  { "question mark", "?", text = true, desc = true, subject = true, cursor = true, ua = true },
  { "hash", "#", text = true, desc = true, subject = true, cursor = true, ua = true },
  { "dot dot", "..", text = true, desc = true, subject = true, cursor = true, opaque = true, token = true, ua = true },
  { "dot", ".", text = true, desc = true, subject = true, cursor = true, opaque = true, token = true, ua = true },
  { "encoded slash", "%2F", text = true, desc = true, subject = true, cursor = true, ua = true },
  { "100k bytes", string.rep("a", 100000) },
  { "overlong UTF-8", "\192\175" },
  { "surrogate", "\237\160\128" },
  { "cut UTF-8", "caf\195" },
  { "lone 255", "\255" },
  { "path traversal", "../../v1/me", text = true, desc = true, subject = true, cursor = true, opaque = true,
    token = true, ua = true },
  { "header injection", "x\r\nAuthorization: Bearer evil", text = true, desc = true, subject = true },
  { "spaces", "  ", text = true, desc = true, ua = true },
  { "tab", "\t", text = true, desc = true },
  { "empty", "", desc = true },
  { "number", 42 }, { "float", 4.5 }, { "table", {} }, { "boolean", true },
  { "function", print }, { "userdata", io.stdout },
}

local function label(value)
  if type(value) == "string" then return #value > 40 and ("%d bytes"):format(#value) or ("%q"):format(value) end
  return type(value)
end

local function pct_decode(s)
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end


-- A position inside a message: sent with send() unless a short form (pin, send_text) is
-- given; the body is the message with what send() adds.
local function in_message(name, where, build, call)
  return { name, where, call or function(c, v) return c:send(GROUP, build(v)) end,
    prepare = function(v) return "send", GROUP, build(v) end,
    body = function(v)
      local body = build(v)
      body.messaging_product, body.recipient_type, body.to = "whatsapp", "group", GROUP
      return body
    end }
end

-- Positions: { name, where it is allowed (nil: nowhere), the call, and for allowed values
-- the prepare arguments of the same call and the body (or query) it must give }.
local POSITIONS = {
  { "get_group id", nil, function(c, v) return c:get_group(v) end },
  { "update_group id", nil, function(c, v) return c:update_group(v, { subject = "S" }) end },
  { "delete_group id", nil, function(c, v) return c:delete_group(v) end },
  { "invite_link id", nil, function(c, v) return c:invite_link(v) end },
  { "reset_invite_link id", nil, function(c, v) return c:reset_invite_link(v) end },
  { "delete_invite_link id", nil, function(c, v) return c:delete_invite_link(v) end },
  { "remove_participants id", nil, function(c, v) return c:remove_participants(v, { "+16505551234" }) end },
  { "join_requests id", nil, function(c, v) return c:join_requests(v) end },
  { "each_join_request id", nil, function(c, v) return c:each_join_request(v)() end },
  { "approve_join_requests id", nil, function(c, v) return c:approve_join_requests(v, { "MTY0" }) end },
  { "reject_join_requests id", nil, function(c, v) return c:reject_join_requests(v, { "MTY0" }) end },
  { "send id", nil, function(c, v) return c:send(v, { type = "text", text = { body = "hi" } }) end },
  { "send_text id", nil, function(c, v) return c:send_text(v, "hi") end },
  { "pin id", nil, function(c, v) return c:pin(v, MSG, 1) end },
  { "unpin id", nil, function(c, v) return c:unpin(v, MSG) end },

  { "list_groups after", "cursor", function(c, v) return c:list_groups { after = v } end,
    prepare = function(v) return "list_groups", { after = v } end, query = "after" },
  { "list_groups before", "cursor", function(c, v) return c:list_groups { before = v } end,
    prepare = function(v) return "list_groups", { before = v } end, query = "before" },
  { "join_requests after", "cursor", function(c, v) return c:join_requests(GROUP, { after = v }) end,
    prepare = function(v) return "join_requests", GROUP, { after = v } end, query = "after" },

  { "get_group field name", nil, function(c, v) return c:get_group(GROUP, { fields = { v } }) end },
  { "list_groups argument name", nil, function(c, v) return c:list_groups { [v] = 1 } end },
  { "create argument name", nil, function(c, v) return c:create { subject = "Ops", [v] = "x" } end },
  { "send_text option name", nil, function(c, v) return c:send_text(GROUP, "hi", { [v] = true }) end },
  { "participant", nil, function(c, v) return c:remove_participants(GROUP, { v }) end },
  { "picture", nil, function(c, v) return c:update_group(GROUP, { picture = v }) end },
  { "media link", nil, function(c, v) return c:send(GROUP, { type = "image", image = { link = v } }) end },
  { "pin days", nil, function(c, v) return c:pin(GROUP, MSG, v) end },
  { "message type", nil, function(c, v) return c:send(GROUP, { type = v, text = { body = "hi" } }) end },

  { "join request id to approve", "opaque", function(c, v) return c:approve_join_requests(GROUP, { v }) end,
    prepare = function(v) return "approve_join_requests", GROUP, { join_requests = { v } } end,
    body = function(v) return { messaging_product = "whatsapp", join_requests = { v } } end },
  { "join request id to reject", "opaque", function(c, v) return c:reject_join_requests(GROUP, { v }) end,
    prepare = function(v) return "reject_join_requests", GROUP, { join_requests = { v } } end,
    body = function(v) return { messaging_product = "whatsapp", join_requests = { v } } end },
  in_message("message id to pin", "opaque", function(v)
    return { type = "pin", pin = { type = "pin", message_id = v, expiration_days = 1 } }
  end, function(c, v) return c:pin(GROUP, v, 1) end),
  in_message("message id to unpin", "opaque", function(v)
    return { type = "pin", pin = { type = "unpin", message_id = v } }
  end, function(c, v) return c:unpin(GROUP, v) end),
  in_message("message id replied to", "opaque", function(v)
    return { type = "text", text = { body = "hi" }, context = { message_id = v } }
  end, function(c, v) return c:send_text(GROUP, "hi", { reply_to = v }) end),
  in_message("media id", "opaque", function(v) return { type = "image", image = { id = v } } end),
  in_message("text body", "text", function(v) return { type = "text", text = { body = v } } end,
    function(c, v) return c:send_text(GROUP, v) end),
  in_message("caption", "text", function(v)
    return { type = "image", image = { link = "https://example.test/a.jpg", caption = v } }
  end),
  in_message("callback data", "text", function(v)
    return { type = "text", text = { body = "hi" }, biz_opaque_callback_data = v }
  end),
  in_message("template name", "text", function(v)
    return { type = "template", template = { name = v, language = { code = "en_US" } } }
  end),
  { "subject", "subject", function(c, v) return c:create { subject = v } end,
    prepare = function(v) return "create", { subject = v } end,
    body = function(v) return { messaging_product = "whatsapp", subject = v:match "^%s*(.-)%s*$" } end,
    carried = function(v) return v:match "^%s*(.-)%s*$" end },
  { "description", "desc", function(c, v) return c:create { subject = "Ops", description = v } end,
    prepare = function(v) return "create", { subject = "Ops", description = v } end,
    body = function(v) return { messaging_product = "whatsapp", subject = "Ops", description = v } end },
}

local function refused(fn, ...)
  local err = helpers.catch(fn, ...)
  assert.equal("validation", err.kind, tostring(err))
  assert.is_false(err.retryable)
  assert.equal("not_sent", err.outcome)
  return err
end

-- Runs a call that must get through: it may fail at the server (a made-up id), but with
-- the server's answer, never a validation error. Returns the one request the server saw.
local function sent_once(call)
  helpers.reset()
  local ok, err = pcall(call)
  assert(ok or (groups.is_error(err) and err.kind ~= "validation"), tostring(err))
  local seen = helpers.requests()
  assert.equal(1, seen.count, "one request, and only one")
  return seen.requests[1]
end

describe("hostile client options", function()
  before_each(helpers.reset)

  for _, option in ipairs { "token", "phone_number_id", "version", "base_url", "user_agent", "ca_file" } do
    for _, h in ipairs(HOSTILE) do
      local value = h[2]
      local allowed = (option == "token" and h.token) or (option == "user_agent" and h.ua)
      if allowed then
        it(("%s: %s is only ever a header value"):format(option, h[1]), function()
          -- A token is at least 10 characters: the value under test, padded.
          local c = helpers.client { [option] = option == "token" and value .. "aaaaaaaaaa" or value }
          local entry = sent_once(function() return c:list_groups() end)
          c:close()
          assert.equal("/" .. core.DEFAULT_VERSION .. "/" .. helpers.phone_number_id .. "/groups", entry.path)
          if option == "user_agent" then -- HTTP drops white space around a field value
            assert.equal(value:match "^%s*(.-)%s*$", entry.user_agent or "")
          end
        end)
      else
        it(("%s: refuses %s"):format(option, h[1]), function()
          local err = refused(helpers.client, { [option] = value })
          assert.equal(option, err.field)
          if type(value) == "string" and #value > 3 then
            assert.is_nil(tostring(err):find(value, 1, true), "the value is quoted back")
          end
        end)
      end
    end
  end

  it("proxy: refuses every hostile value by name", function()
    for _, h in ipairs(HOSTILE) do
      local ok, err = pcall(helpers.client, { proxy = h[2] })
      assert.is_false(ok, h[1])
      assert.equal("validation", err.kind, h[1])
      assert.equal("proxy", err.field, h[1])
    end
    assert.equal(0, helpers.request_count())
  end)

  it("proxy: takes the URLs libcurl speaks, and never quotes one (it may hold a password)", function()
    for _, url in ipairs { "http://127.0.0.1:3128", "socks5h://proxy.test:1080", "https://u:p@proxy.test" } do
      helpers.client({ proxy = url }):close()
    end
    local ok, err = pcall(helpers.client, { proxy = "ftp://user:hunter2@proxy.test" })
    assert.is_false(ok)
    assert.not_matches("hunter2", tostring(err), 1, true)
  end)

  it("refuses options that are not a table", function()
    for _, h in ipairs(HOSTILE) do
      if type(h[2]) ~= "table" then refused(groups.new, h[2]) end
    end
  end)
end)

describe("hostile arguments", function()
  local client
  setup(function() client = helpers.client() end)
  teardown(function() client:close() end)

  for _, p in ipairs(POSITIONS) do
    local name, where, call = p[1], p[2], p[3]
    it(name .. ": refuses what is not allowed, before any I/O", function()
      helpers.reset()
      for _, h in ipairs(HOSTILE) do
        if not (where and h[where]) then refused(call, client, h[2]) end
      end
      assert.equal(0, helpers.request_count(), "a refused call reached the server")
    end)
    if where then
      for _, h in ipairs(HOSTILE) do
        if h[where] then
          it(("%s: carries %s exactly"):format(name, label(h[2])), function()
            local value = h[2]
            local request = helpers.request_of(p.prepare(value))
            local url_path = helpers.path_of(request)
            local path, query = url_path:match "^([^?]*)%??(.*)$"
            local entry = sent_once(function() return call(client, value) end)
            assert.equal(path, entry.path, "the path is the operation's")
            if p.query then
              assert.equal(query, entry.query)
              local encoded = query:match("^" .. p.query .. "=([%w%%%-%._~]*)$")
              assert.equal(value, pct_decode(assert(encoded, "one parameter, percent-encoded")))
            else
              assert.same(p.body(value), cjson.decode(request.body))
              local carried = p.carried and p.carried(value) or value
              assert.truthy(request.body:find(cjson.encode(carried), 1, true), "the value, JSON-escaped")
            end
          end)
        end
      end
    end
  end

  it("keeps a subject with CR LF exactly, trimmed only at its ends", function()
    helpers.reset()
    client:create { subject = "  x\r\nAuthorization: Bearer evil \t" }
    assert.equal("x\r\nAuthorization: Bearer evil", helpers.groups()[1].subject)
  end)
end)
