-- Every method's client-side checks at their boundaries: each bad call raises a validation
-- error naming the field, and no request reaches the fake server.
local helpers = require "helpers"

local unpack = table.unpack or unpack -- luacheck: ignore 143
local GROUP = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"
local client

-- { label, method, args (after self), field, reason }
local cases = {
  { "limit 0", "list_groups", { { limit = 0 } }, "limit", "from 1 to 1024" },
  { "limit 1025", "list_groups", { { limit = 1025 } }, "limit", "from 1 to 1024" },
  { "fractional limit", "list_groups", { { limit = 2.5 } }, "limit", "whole number" },
  { "limit as string", "list_groups", { { limit = "10" } }, "limit", "number expected, got string" },
  { "empty cursor", "list_groups", { { after = "" } }, "after", "cursor" },
  { "cursor with a space", "list_groups", { { before = "a b" } }, "before", "no spaces" },
  { "cursor with CR LF", "list_groups", { { after = "a\r\nb" } }, "after", "no spaces" },
  { "unknown paging field", "list_groups", { { page = 2 } }, "page", "unknown name" },
  { "args not a table", "list_groups", { "all" }, "args", "table expected, got string" },

  { "missing group id", "get_group", {}, "group_id", "string expected, got nil" },
  { "numeric group id", "get_group", { 42 }, "group_id", "string expected, got number" },
  { "empty group id", "get_group", { "" }, "group_id", "1 to 1024" },
  { "group id with /", "get_group", { "abc/participants" }, "group_id", "Graph id" },
  { "group id with ?", "get_group", { "abc?fields=x" }, "group_id", "Graph id" },
  { "group id with #", "get_group", { "abc#x" }, "group_id", "Graph id" },
  { "group id ..", "get_group", { ".." }, "group_id", "Graph id" },
  { "group id with CR LF", "get_group", { "abc\r\nX-Evil: 1" }, "group_id", "Graph id" },
  { "group id with NUL", "get_group", { "abc\0def" }, "group_id", "Graph id" },
  { "group id with UTF-8", "get_group", { "gr\195\188ppe" }, "group_id", "Graph id" },
  { "over-long group id", "get_group", { string.rep("A", 1025) }, "group_id", "1 to 1024" },
  { "no field names", "get_group", { GROUP, { fields = {} } }, "fields", "1 to 7 items, got 0" },
  { "unknown field name", "get_group", { GROUP, { fields = { "subject", "owner" } } }, "fields",
    "item 2: must be subject, description" },
  { "field named twice", "get_group", { GROUP, { fields = { "subject", "subject" } } }, "fields",
    "item 2 repeats item 1" },
  { "fields as a string", "get_group", { GROUP, { fields = "subject" } }, "fields",
    "table expected, got string" },
  { "fields with a hole", "get_group", { GROUP, { fields = { [1] = "subject", [3] = "description" } } },
    "fields", "must be a list" },

  { "update with nothing", "update_group", { GROUP, {} }, nil, "give at least one of subject, description or picture" },
  { "update with no table", "update_group", { GROUP }, nil, "give at least one of" },
  { "empty subject", "update_group", { GROUP, { subject = "   " } }, "subject", "only white space" },
  { "subject of 129", "update_group", { GROUP, { subject = string.rep("s", 129) } }, "subject",
    "at most 128 characters, got 129" },
  { "description of 2049", "update_group", { GROUP, { description = string.rep("d", 2049) } },
    "description", "at most 2048 characters, got 2049" },
  { "picture path missing", "update_group", { GROUP, { picture = "/nonexistent/pic.jpg" } },
    "picture", "neither JPEG bytes nor a readable file" },
  { "picture not a JPEG", "update_group", { GROUP, { picture = "spec/helpers.lua" } }, "picture",
    "must be a JPEG image" },
  { "picture not square", "update_group", { GROUP, { picture = helpers.jpeg(640, 480) } }, "picture",
    "must be square, got 640x480" },
  { "picture 191x191", "update_group", { GROUP, { picture = helpers.jpeg(191, 191) } }, "picture",
    "at least 192x192, got 191x191" },
  { "picture over 5 MB", "update_group", { GROUP, { picture = helpers.jpeg(640, 640, 5 * 1024 * 1024 + 1000) } },
    "picture", "at most 5 MB" },
  { "picture cut before its size", "update_group", { GROUP, { picture = "\255\216\255\192\0\17" } },
    "picture", "must be a JPEG image" },

  { "delete bad id", "delete_group", { "a/b" }, "group_id", "Graph id" },
  { "invite link bad id", "invite_link", { "?" }, "group_id", "Graph id" },
  { "reset link bad id", "reset_invite_link", { "." }, "group_id", "Graph id" },
  { "delete link bad id", "delete_invite_link", { "a b" }, "group_id", "Graph id" },

  { "no participants", "remove_participants", { GROUP, {} }, "participants", "1 to 8 items, got 0" },
  { "nine participants", "remove_participants", { GROUP, { "+16505550001", "+16505550002",
    "+16505550003", "+16505550004", "+16505550005", "+16505550006", "+16505550007",
    "+16505550008", "+16505550009" } }, "participants", "1 to 8 items, got 9" },
  { "participant twice", "remove_participants", { GROUP, { "+16505551234", "+16505551234" } },
    "participants", "item 2 repeats item 1" },
  { "participant not a number", "remove_participants", { GROUP, { "bob" } }, "participants",
    "item 1: must be a phone number" },
  { "participant too short", "remove_participants", { GROUP, { "+1234" } }, "participants",
    "item 1: must be a phone number" },
  { "participant as a number", "remove_participants", { GROUP, { 16505551234 } }, "participants",
    "item 1: string expected, got number" },
  { "participants missing", "remove_participants", { GROUP }, "participants", "is required" },

  { "join requests limit", "join_requests", { GROUP, { limit = 0 } }, "limit", "from 1 to 1024" },
  { "approve none", "approve_join_requests", { GROUP, {} }, "join_requests", "got 0" },
  { "approve empty id", "approve_join_requests", { GROUP, { "" } }, "join_requests", "item 1" },
  { "approve twice", "approve_join_requests", { GROUP, { "MTY0", "MTY0" } }, "join_requests",
    "item 2 repeats item 1" },
  { "reject id with space", "reject_join_requests", { GROUP, { "MT Y0" } }, "join_requests", "item 1" },

  { "no message", "send", { GROUP }, "message", "table expected, got nil" },
  { "interactive message", "send", { GROUP, { type = "interactive", interactive = {} } }, "type",
    "interactive messages cannot be sent to groups" },
  { "location message", "send", { GROUP, { type = "location", location = {} } }, "type",
    "location messages cannot be sent to groups" },
  { "message without type", "send", { GROUP, { text = { body = "hi" } } }, "type", "string expected, got nil" },
  { "text without object", "send", { GROUP, { type = "text" } }, "text", "table expected, got nil" },
  { "empty text", "send", { GROUP, { type = "text", text = { body = "" } } }, "text.body", "must not be empty" },
  { "text of 4097", "send", { GROUP, { type = "text", text = { body = string.rep("t", 4097) } } },
    "text.body", "at most 4096" },
  { "unknown text key", "send", { GROUP, { type = "text", text = { body = "hi", bold = true } } },
    "text.bold", "unknown name" },
  { "preview_url not boolean", "send", { GROUP, { type = "text", text = { body = "hi", preview_url = "yes" } } },
    "text.preview_url", "boolean expected, got string" },
  { "recipient set by caller", "send", { GROUP, { type = "text", text = { body = "hi" }, to = "123" } },
    "to", "unknown name" },
  { "image with id and link", "send", { GROUP, { type = "image", image = { id = "1", link = "https://x.test/a.jpg" } } },
    "image.id", "exactly one of id" },
  { "image with neither", "send", { GROUP, { type = "image", image = { caption = "c" } } },
    "image.id", "exactly one of id" },
  { "image link not http", "send", { GROUP, { type = "image", image = { link = "ftp://x.test/a.jpg" } } },
    "image.link", "http:// or https://" },
  { "audio with caption", "send", { GROUP, { type = "audio", audio = { id = "1", caption = "c" } } },
    "audio.caption", "not allowed" },
  { "image with filename", "send", { GROUP, { type = "image", image = { id = "1", filename = "a" } } },
    "image.filename", "only for documents" },
  { "template without language", "send", { GROUP, { type = "template", template = { name = "hello" } } },
    "template.language", "table expected" },
  { "template without code", "send", { GROUP, { type = "template", template = { name = "hello", language = {} } } },
    "template.language.code", "string expected, got nil" },
  { "template language with an unknown key", "send", { GROUP, { type = "template",
    template = { name = "hello", language = { code = "en", locale = "x" } } } }, "template.language.locale", "unknown name" },
  { "reply to a bad id", "send", { GROUP, { type = "text", text = { body = "hi" }, context = { message_id = "a b" } } },
    "context.message_id", "must be an id" },
  { "pin without days", "send", { GROUP, { type = "pin", pin = { type = "pin", message_id = "wamid.A" } } },
    "pin.expiration_days", "required to pin" },
  { "unpin with days", "send", { GROUP, { type = "pin", pin = { type = "unpin", message_id = "wamid.A", expiration_days = 2 } } },
    "pin.expiration_days", "only for pinning" },

  { "send_text empty", "send_text", { GROUP, "" }, "text.body", "must not be empty" },
  { "send_text unknown option", "send_text", { GROUP, "hi", { bold = true } }, "bold", "unknown name" },
  { "pin for 0 days", "pin", { GROUP, "wamid.A", 0 }, "pin.expiration_days", "from 1 to 30" },
  { "pin for 31 days", "pin", { GROUP, "wamid.A", 31 }, "pin.expiration_days", "from 1 to 30" },
  { "pin for 1.5 days", "pin", { GROUP, "wamid.A", 1.5 }, "pin.expiration_days", "whole number" },
  { "pin without message", "pin", { GROUP, nil, 3 }, "pin.message_id", "string expected, got nil" },
  { "unpin bad group", "unpin", { "x/y", "wamid.A" }, "group_id", "Graph id" },
}

describe("arguments checked before any I/O", function()
  setup(function() client = helpers.client() end)
  teardown(function() client:close() end)
  before_each(helpers.reset)

  for _, case in ipairs(cases) do
    local label, method, args, field, reason = case[1], case[2], case[3], case[4], case[5]
    it(method .. ": refuses " .. label, function()
      local err = helpers.catch(client[method], client, unpack(args, 1, 3))
      assert.equal("validation", err.kind)
      assert.equal(field, err.field)
      assert.matches(reason, err.message, 1, true)
      assert.equal(0, helpers.request_count(), "a refused call reached the server")
    end)
  end
end)
